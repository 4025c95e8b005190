import { describe, expect, it } from 'vitest';
import { splitThinkTags, ThinkTagStream } from './think-tags.js';

function streamAll(pieces: string[]): { thinking: string; text: string } {
  const stream = new ThinkTagStream();
  const out = { thinking: '', text: '' };
  for (const piece of [...pieces.map((p) => stream.push(p)), stream.flush()]) {
    out.thinking += piece.thinking;
    out.text += piece.text;
  }
  return out;
}

describe('think tags', () => {
  it('splits a leading block from the answer', () => {
    expect(splitThinkTags('<think>plan</think>\nAnswer')).toEqual({ thinking: 'plan', text: 'Answer' });
    expect(splitThinkTags('  <think>a</think>b')).toEqual({ thinking: 'a', text: 'b' });
  });

  it('leaves text without a leading tag alone, even if it mentions one later', () => {
    expect(splitThinkTags('Use <think> tags')).toEqual({ thinking: '', text: 'Use <think> tags' });
    expect(streamAll(['Use ', '<think>', ' tags'])).toEqual({ thinking: '', text: 'Use <think> tags' });
  });

  it('treats an unclosed block as all thinking (the answer was cut off)', () => {
    expect(splitThinkTags('<think>still going')).toEqual({ thinking: 'still going', text: '' });
    expect(streamAll(['<think>still', ' going'])).toEqual({ thinking: 'still going', text: '' });
  });

  it('finds tags split anywhere across fragments', () => {
    const whole = '<think>step one</think>\n\nThe answer.';
    for (let cut = 1; cut < whole.length; cut++) {
      expect(streamAll([whole.slice(0, cut), whole.slice(cut)])).toEqual({ thinking: 'step one', text: 'The answer.' });
    }
    expect(streamAll(whole.split(''))).toEqual({ thinking: 'step one', text: 'The answer.' });
  });

  it('gives back a held prefix that turned out not to be a tag', () => {
    expect(streamAll(['<th', 'e end'])).toEqual({ thinking: '', text: '<the end' });
    expect(streamAll(['<th'])).toEqual({ thinking: '', text: '<th' });
  });
});
