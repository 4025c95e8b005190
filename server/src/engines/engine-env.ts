// The environment an engine runs with: an allowlist of the manager's variables (what a Python
// or native program needs to find itself, its locale, its temp folder and the Hugging Face
// cache), plus what the launcher and the profile add. Everything else stays behind: provider
// keys (OPENAI_API_KEY, ANTHROPIC_API_KEY), cloud credentials (AWS_*) and the manager's own
// MLX_MANAGER_* settings (its JWT secret, its master key) never reach an engine, least of all a
// custom command. An admin who wants an engine to see more puts it in the profile's `env`.

/** Variables passed through by exact name. */
const PASSED = new Set(['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR', 'TMP', 'TEMP', 'USER', 'LOGNAME', 'SHELL', 'VIRTUAL_ENV', 'TERM', 'NO_COLOR', 'SSL_CERT_FILE', 'SSL_CERT_DIR']);

/** Variables passed through by prefix: locale, Hugging Face (cache, offline mode, token) and Python. */
const PASSED_PREFIXES = ['LC_', 'HF_', 'HUGGINGFACE_', 'PYTHON'];

/** Would this variable of the manager's environment reach an engine? */
export function passesToEngine(name: string): boolean {
  return PASSED.has(name) || PASSED_PREFIXES.some((p) => name.startsWith(p));
}

export function engineEnv(base: NodeJS.ProcessEnv, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && passesToEngine(k)) env[k] = v;
  return { ...env, ...extra };
}
