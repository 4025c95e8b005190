/** What a command may touch of the outside world; tests pass their own. */
/** Standard input as the password reader needs it (a terminal has setRawMode). */
export type CliStdin = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Where secrets are read from (`user create`); absent → no prompt, no piped input. */
  stdin?: CliStdin;
}

export const processIo: CliIo = {
  env: process.env,
  stdout: (line) => process.stdout.write(line + '\n'),
  stderr: (line) => process.stderr.write(line + '\n'),
  stdin: process.stdin,
};

/** A failure the CLI reports as one clear line and an exit code, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
