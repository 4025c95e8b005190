import { describe, expect, it } from 'vitest';
import { IMAGE_TEXT_CLASS, sanitizeHtml } from './safe-html.js';

const IMG = /<img/i;

describe('sanitizeHtml', () => {
  it('keeps images unless asked, and removes their handlers either way', () => {
    expect(sanitizeHtml('<p><img src="https://cdn.example/a.png" alt="A" onerror="x()"></p>', {})).toBe('<p><img src="https://cdn.example/a.png" alt="A"></p>');
  });

  it('puts alt text where each image was, drops images without one, and the links they leave empty', () => {
    const html = sanitizeHtml(
      '<p><img src="https://cdn.example/arch.png" alt=" Model architecture "></p>' +
        '<p><a href="https://example.org/license"><img src="https://badge.example/l.svg"></a> <a href="https://example.org/doc"><img src="https://badge.example/d.svg" alt="Docs"></a></p>' +
        '<p>text <img src="data:image/png;base64,AAAA"></p>',
      {},
      { imagesAsText: true },
    );
    expect(html).not.toMatch(IMG);
    expect(html).toContain(`<span class="${IMAGE_TEXT_CLASS}" title="Image not shown: this app loads no pictures from other sites">Model architecture</span>`);
    expect(html).toMatch(/<a href="https:\/\/example\.org\/doc" target="_blank" rel="noopener noreferrer nofollow"><span class="img-alt"[^>]*>Docs<\/span><\/a>/);
    expect(html).not.toContain('example.org/license');
    expect(html).toContain('<p>text </p>');
  });

  it('escapes alt text that looks like markup', () => {
    const html = sanitizeHtml('<img src="https://x.example/i.png" alt="<b>bold</b> &amp; more">', {}, { imagesAsText: true });
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt; &amp; more</span>');
    expect(html).not.toMatch(/<b>/);
  });
});
