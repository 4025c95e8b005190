import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { passwordFromStdinText, promptHidden } from './password-input.js';

/** A fake terminal: a stream that records raw-mode switches. */
function fakeTty(): PassThrough & { isTTY: boolean; rawModes: boolean[]; setRawMode(raw: boolean): void } {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; rawModes: boolean[]; setRawMode(raw: boolean): void };
  s.isTTY = true;
  s.rawModes = [];
  s.setRawMode = (raw) => void s.rawModes.push(raw);
  return s;
}

describe('password input', () => {
  it('stdin: one trailing newline is not part of the password, inner spaces are', () => {
    expect(passwordFromStdinText('pass word\n')).toBe('pass word');
    expect(passwordFromStdinText('secret\r\n')).toBe('secret');
    expect(passwordFromStdinText('secret')).toBe('secret');
  });

  it('prompt: reads in raw mode without echoing, honours backspace, restores the terminal', async () => {
    const tty = fakeTty();
    const written: string[] = [];
    const answer = promptHidden('Password: ', tty, (t) => written.push(t));
    tty.write('hunter22x\u007f\r');
    expect(await answer).toBe('hunter22');
    expect(written.join('')).toBe('Password: \n');
    expect(tty.rawModes).toEqual([true, false]);
  });

  it('prompt: Ctrl-C aborts', async () => {
    const tty = fakeTty();
    const answer = promptHidden('Password: ', tty, () => undefined);
    tty.write('abc\u0003');
    await expect(answer).rejects.toThrow('aborted');
  });
});
