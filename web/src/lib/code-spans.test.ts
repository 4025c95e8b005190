import { describe, expect, it } from 'vitest';
import { capitalise, codeSpans } from './code-spans.js';

describe('code spans', () => {
  it('splits commands in backticks from the words around them', () => {
    expect(codeSpans('run `bash scripts/setup-python.sh`, or `pip install mlx-lm`')).toEqual([
      { text: 'run ', code: false },
      { text: 'bash scripts/setup-python.sh', code: true },
      { text: ', or ', code: false },
      { text: 'pip install mlx-lm', code: true },
    ]);
    expect(codeSpans('no command')).toEqual([{ text: 'no command', code: false }]);
    expect(codeSpans('an ` unpaired tick')).toEqual([{ text: 'an ` unpaired tick', code: false }]);
  });

  it('capitalises the first letter only', () => {
    expect(capitalise('it requires torch')).toBe('It requires torch');
    expect(capitalise('')).toBe('');
  });
});
