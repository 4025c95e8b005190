/**
 * Model output → safe HTML. Markdown (GFM, line breaks) is rendered by marked with raw HTML
 * shown as text, images shown as links (no request to an address a model chose), code blocks
 * highlighted; DOMPurify then removes anything active that slipped through (script, event
 * handlers, javascript: URLs). The result is meant for `{@html}`.
 */
import { Marked, type Tokens } from 'marked';
import { sanitizeHtml } from '../safe-html.js';
import { escapeHtml, highlight } from './highlight.js';

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    image({ href, text }: Tokens.Image): string {
      return `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`;
    },
    code({ text, lang }: Tokens.Code): string {
      const language = (lang ?? '').trim().split(/\s+/)[0] ?? '';
      const label = language ? `<span class="code-lang">${escapeHtml(language)}</span>` : '';
      return `<div class="code-block">${label}<pre><code class="hl">${highlight(text, language)}</code></pre></div>`;
    },
  },
});

/** Safe HTML for a Markdown answer. */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown) as string;
  return sanitizeHtml(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'img', 'video', 'audio', 'iframe', 'form', 'input', 'button', 'textarea', 'select'],
    ADD_ATTR: ['target'],
  });
}
