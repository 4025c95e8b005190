import { describe, expect, it } from 'vitest';
import { highlight } from './highlight.js';
import { renderMarkdown } from './markdown.js';
import { finishAnswer, initialAnswer, reduceFrame } from './stream-reducer.js';

function render(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

describe('renderMarkdown', () => {
  it('renders an HTML/script payload from a stream inert', () => {
    const payload = '<script>window.pwned = 1</script><img src=x onerror="window.pwned=2"> [x](javascript:alert(1)) <a href="#" onclick="alert(1)">y</a>\n\n<iframe src="//evil"></iframe>';
    let s = initialAnswer(0);
    for (const part of payload.match(/.{1,7}/gs) ?? []) s = reduceFrame(s, JSON.stringify({ choices: [{ delta: { content: part } }] }), 1);
    s = finishAnswer(s, 2);
    const html = renderMarkdown(s.content);
    const el = render(html);
    expect(el.querySelector('script, img, iframe, [onerror], [onclick]')).toBeNull();
    expect([...el.querySelectorAll('a')].map((a) => a.getAttribute('href'))).not.toContain('javascript:alert(1)');
    // The markup is shown as text, so the reader sees what the model wrote.
    expect(el.textContent).toContain('<script>window.pwned = 1</script>');
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('renders Markdown, highlighted code and safe links', () => {
    const el = render(renderMarkdown('# Title\n\n**bold** and `code`\n\n```python\ndef f(x):\n    return "hi" # note\n```\n\n[docs](https://example.com)\n\n![pic](https://example.com/p.png)'));
    expect(el.querySelector('h1')?.textContent).toBe('Title');
    expect(el.querySelector('strong')?.textContent).toBe('bold');
    expect(el.querySelector('.code-lang')?.textContent).toBe('python');
    expect(el.querySelector('pre code .hl-keyword')?.textContent).toBe('def');
    expect(el.querySelector('pre code .hl-string')?.textContent).toBe('"hi"');
    expect(el.querySelector('pre code .hl-comment')?.textContent).toBe('# note');
    const links = [...el.querySelectorAll('a')];
    expect(links[0]?.getAttribute('rel')).toContain('noopener');
    expect(links[0]?.getAttribute('target')).toBe('_blank');
    expect(el.querySelector('img')).toBeNull();
    expect(links[1]?.getAttribute('href')).toBe('https://example.com/p.png');
  });
});

describe('highlight', () => {
  it('escapes everything it does not wrap', () => {
    expect(highlight('a < b && "<x>"', 'js')).toBe('a &lt; b &amp;&amp; <span class="hl-string">&quot;&lt;x&gt;&quot;</span>');
    expect(highlight('SELECT 1 -- c', 'sql')).toBe('<span class="hl-keyword">SELECT</span> <span class="hl-number">1</span> <span class="hl-comment">-- c</span>');
  });
});
