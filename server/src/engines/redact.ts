// Command lines are logged and persisted; values of secret-looking flags never are.
const SECRET_FLAG = /(key|token|secret|password)/i;

/** `--api-key X` → `--api-key ***`, `--api-key=X` → `--api-key=***`. Pure. */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    if (arg.startsWith('-') && eq > 0 && SECRET_FLAG.test(arg.slice(0, eq))) {
      out.push(`${arg.slice(0, eq)}=***`);
    } else if (arg.startsWith('-') && SECRET_FLAG.test(arg) && i + 1 < argv.length) {
      out.push(arg, '***');
      i++;
    } else out.push(arg);
  }
  return out;
}
