import { marked } from 'marked';
import { ggufQuantization, isLoadableGguf, type Profile } from '@mlx-manager/contract';
import { sanitizeHtml } from '../../safe-html.js';

/*
 * A model's page: its card (README) rendered safely, its quantizations, and the profiles that
 * run it. The README comes from the hub, i.e. from anyone: it is Markdown rendered by `marked`
 * and then sanitised by DOMPurify, so no script, event handler or `javascript:` link survives.
 */

/** Hub cards start with YAML metadata (`---\nlicense: …\n---`); it is not for reading. */
function withoutFrontMatter(markdown: string): string {
  return markdown.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '');
}

/** README Markdown → HTML safe to insert. Links open in a new tab without giving it this page; images show as their alt text. */
export function renderModelCard(markdown: string): string {
  const html = marked.parse(withoutFrontMatter(markdown), { async: false, gfm: true });
  // Images become their alt text: the app shows no picture from another site (its CSP).
  return sanitizeHtml(html, { FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe', 'object', 'embed'], FORBID_ATTR: ['style'] }, { imagesAsText: true });
}

export interface Quantization {
  name: string;
  path: string;
  size: number;
}

/** The GGUF files a repo offers, one per quantization, smallest first. */
export function quantizationsOf(files: ReadonlyArray<{ path: string; size: number }>): Quantization[] {
  return files
    .filter((f) => isLoadableGguf(f.path))
    .map((f) => ({ name: ggufQuantization(f.path) ?? 'GGUF', path: f.path, size: f.size }))
    .sort((a, b) => a.size - b.size);
}

/** Profiles that run this repo: by repo id, or by a path inside its local snapshot folder. */
export function profilesUsing(profiles: readonly Profile[], repo: string, localPath: string | undefined): Profile[] {
  return profiles.filter((p) => p.model === repo || (localPath !== undefined && (p.model === localPath || p.model.startsWith(`${localPath}/`))));
}
