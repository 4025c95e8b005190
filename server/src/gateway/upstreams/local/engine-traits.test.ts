import { describe, expect, it } from 'vitest';
import { developerToSystem, reasoningAsReasoningContent } from './engine-traits.js';

describe('reasoningAsReasoningContent', () => {
  it('renames reasoning in a whole answer and in a chunk', () => {
    expect(reasoningAsReasoningContent({ id: 'x', choices: [{ index: 0, message: { role: 'assistant', content: 'hi', reasoning: 'hmm' } }] })).toEqual({
      id: 'x',
      choices: [{ index: 0, message: { role: 'assistant', content: 'hi', reasoning_content: 'hmm' } }],
    });
    expect(reasoningAsReasoningContent({ choices: [{ index: 0, delta: { reasoning: 'a' }, finish_reason: null }] })).toEqual({
      choices: [{ index: 0, delta: { reasoning_content: 'a' }, finish_reason: null }],
    });
  });

  it('leaves answers without reasoning, usage chunks and errors alone', () => {
    const plain = { choices: [{ index: 0, delta: { content: 'x' } }] };
    expect(reasoningAsReasoningContent(plain)).toEqual(plain);
    expect(reasoningAsReasoningContent({ choices: [], usage: { prompt_tokens: 1 } })).toEqual({ choices: [], usage: { prompt_tokens: 1 } });
    expect(reasoningAsReasoningContent({ error: { message: 'x' } })).toEqual({ error: { message: 'x' } });
  });

  it('keeps an existing reasoning_content rather than overwriting it', () => {
    expect(reasoningAsReasoningContent({ choices: [{ message: { reasoning: 'a', reasoning_content: 'b' } }] })).toEqual({ choices: [{ message: { reasoning_content: 'b' } }] });
  });
});

describe('developerToSystem', () => {
  it('sends developer messages as system ones and leaves the rest', () => {
    expect(developerToSystem({ model: 'm', messages: [{ role: 'developer', content: 'rules' }, { role: 'user', content: 'hi' }] })).toEqual({
      model: 'm',
      messages: [{ role: 'system', content: 'rules' }, { role: 'user', content: 'hi' }],
    });
  });
});
