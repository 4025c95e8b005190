// The environment an engine runs with: the manager's, minus the manager's own settings (its JWT
// secret and master key may be set as MLX_MANAGER_* variables and must never reach a child
// process, least of all a custom command), plus what the launcher and the profile add.
export function engineEnv(base: NodeJS.ProcessEnv, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!k.startsWith('MLX_MANAGER_') && v !== undefined) env[k] = v;
  return { ...env, ...extra };
}
