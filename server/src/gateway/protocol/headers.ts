// Which client headers an upstream may see. Anthropic's version and beta flags (Claude Code sends
// several betas) mean something only to Anthropic's API: forwarded there, never to an OpenAI
// backend. Everything else (the client's key above all) stays with the gateway.

export const ANTHROPIC_VERSION = '2023-06-01';

type ClientHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Headers to add to a request for an Anthropic upstream, from the client's (lower-case names, as Node gives them). */
export function anthropicHeadersToForward(client: ClientHeaders): Record<string, string> {
  const out: Record<string, string> = { 'anthropic-version': single(client['anthropic-version']) ?? ANTHROPIC_VERSION };
  const beta = client['anthropic-beta'];
  const betas = (Array.isArray(beta) ? beta : beta === undefined ? [] : [beta]).flatMap((b) => b.split(',')).map((b) => b.trim()).filter((b) => b !== '');
  if (betas.length > 0) out['anthropic-beta'] = betas.join(',');
  return out;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
