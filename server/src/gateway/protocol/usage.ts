// Token counts across protocols. Anthropic's `input_tokens` excludes cached prompt tokens (read
// or written), OpenAI's `prompt_tokens` includes them: see docs/gateway-protocols.md ("Usage").
import type { AnthropicUsage } from './anthropic/types.js';
import type { OpenAiUsage } from './openai/types.js';

export function anthropicUsageFrom(usage: OpenAiUsage | null | undefined): AnthropicUsage {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}

export function openAiUsageFrom(usage: Partial<AnthropicUsage> | null | undefined): OpenAiUsage {
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const prompt = (usage?.input_tokens ?? 0) + cacheRead + (usage?.cache_creation_input_tokens ?? 0);
  const completion = usage?.output_tokens ?? 0;
  const out: OpenAiUsage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (cacheRead > 0) out.prompt_tokens_details = { cached_tokens: cacheRead };
  return out;
}
