import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import Markdown from './Markdown.svelte';
import ThinkingPanel from './ThinkingPanel.svelte';
import ToolCallBubble from './ToolCallBubble.svelte';

describe('Markdown', () => {
  it('gives each code block a copy button that copies the code', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { container } = render(Markdown, { text: 'Run:\n\n```sh\necho "hi" && ls\n```\n\n<script>window.bad = 1</script>' });
    expect(container.querySelector('script')).toBeNull();
    const button = screen.getByRole('button', { name: 'Copy code' });
    await fireEvent.click(button);
    expect(writeText).toHaveBeenCalledWith('echo "hi" && ls');
  });
});

describe('ThinkingPanel', () => {
  it('is open while thinking and closes by itself with its duration when the answer starts', async () => {
    const view = render(ThinkingPanel, { text: 'hmm', ms: 1200, thinking: true });
    const details = view.container.querySelector('details') as HTMLDetailsElement;
    expect(details.open).toBe(true);
    expect(details.textContent).toContain('Thinking… 1.2 s');
    await view.rerender({ text: 'hmm', ms: 2345, thinking: false });
    await tick();
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')?.textContent).toContain('Thought for 2.3 s');
  });
});

describe('ToolCallBubble', () => {
  it('shows the arguments and the result pretty-printed, or the error', () => {
    const ok = render(ToolCallBubble, { call: { id: 'a', name: 'calculator', arguments: '{"expression":"1+1"}', result: '{"result":2}' } });
    expect(ok.getByTestId('tool-result').textContent).toBe('{\n  "result": 2\n}');
    const failed = render(ToolCallBubble, { call: { id: 'b', name: 'weather', arguments: '{}', error: 'A location is required' } });
    expect(failed.getByTestId('tool-error').textContent).toBe('A location is required');
  });
});
