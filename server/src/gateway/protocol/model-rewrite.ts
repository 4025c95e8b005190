// Some engines load whatever model the request names (mlx_lm.server would fetch it), others refuse
// a name that is not theirs: the gateway sends each the name it expects. See
// docs/gateway-protocols.md ("The model field").

/** A copy of the body with `model` replaced; the input is never mutated. */
export function withModel<T extends Record<string, unknown>>(body: T, model: string): T & { model: string } {
  return { ...body, model };
}
