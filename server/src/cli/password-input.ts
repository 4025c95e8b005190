import { CliError, type CliIo, type CliStdin } from './io.js';

/** Longest password accepted from stdin (the contract allows 1024 characters). */
const MAX_STDIN_BYTES = 4096;

/** Pure: the password in what was piped to stdin (one trailing newline is not part of it). */
export function passwordFromStdinText(text: string): string {
  return text.replace(/\r?\n$/, '');
}

async function readAll(stdin: CliStdin): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (Buffer.byteLength(text) > MAX_STDIN_BYTES) throw new CliError('--password-stdin: input is too long', 2);
  }
  return text;
}

/**
 * Reads a line from a terminal without echoing it (raw mode, so the password never appears on
 * screen); backspace edits, Enter ends, Ctrl-C aborts.
 */
export function promptHidden(prompt: string, stdin: CliStdin, write: (text: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new CliError('aborted', 130));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    write(prompt);
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/**
 * The password for `login`: `--password` (warned, like below), `--password-stdin`, the
 * MLX_MANAGER_PASSWORD variable (scripts), else asked once at a hidden prompt on a terminal.
 */
export async function readPassword(opts: { password?: string; passwordStdin?: boolean }, io: CliIo): Promise<string> {
  const fromEnv = io.env.MLX_MANAGER_PASSWORD;
  if (opts.password === undefined && !opts.passwordStdin && fromEnv) return fromEnv;
  if (opts.password !== undefined || opts.passwordStdin || !io.stdin?.isTTY) {
    if (opts.password === undefined && !opts.passwordStdin) throw new CliError('no password given: run in a terminal to be asked, pipe it with --password-stdin, or set MLX_MANAGER_PASSWORD', 2);
    return readGivenPassword(opts, io);
  }
  return promptHidden('Password: ', io.stdin, (text) => process.stderr.write(text));
}

/** `--password` (with a warning) or `--password-stdin`. */
async function readGivenPassword(opts: { password?: string; passwordStdin?: boolean }, io: CliIo): Promise<string> {
  const stdin = io.stdin;
  if (opts.password !== undefined) {
    io.stderr('warning: --password is visible to other users in the process list and stays in shell history; use the prompt or --password-stdin');
    return opts.password;
  }
  if (!stdin) throw new CliError('--password-stdin: no standard input', 2);
  return passwordFromStdinText(await readAll(stdin));
}

/**
 * The password for `user create`: piped on stdin with `--password-stdin`, else asked twice at a
 * hidden prompt on a terminal. `--password` still works but puts the password in the process
 * list and the shell history, so it warns.
 */
export async function readNewPassword(opts: { password?: string; passwordStdin?: boolean }, io: CliIo): Promise<string> {
  const stdin = io.stdin;
  if (opts.password !== undefined || opts.passwordStdin) return readGivenPassword(opts, io);
  if (!stdin?.isTTY) throw new CliError('no password given: run in a terminal to be asked, or pipe it with --password-stdin', 2);
  const write = (text: string) => process.stderr.write(text);
  const first = await promptHidden('Password: ', stdin, write);
  const again = await promptHidden('Repeat password: ', stdin, write);
  if (first !== again) throw new CliError('the two passwords differ', 2);
  return first;
}
