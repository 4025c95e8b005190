import { describe, expect, it } from 'vitest';
import type { Profile } from '@mlx-manager/contract';
import { profilesUsing, quantizationsOf, renderModelCard } from './model-card.js';

describe('model card', () => {
  it('renders Markdown without front matter', () => {
    const html = renderModelCard('---\nlicense: mit\n---\n# Tiny\n\nRuns **anywhere**.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    expect(html).toContain('<h1>Tiny</h1>');
    expect(html).toContain('<strong>anywhere</strong>');
    expect(html).toContain('<table>');
    expect(html).not.toContain('license');
  });

  it('drops scripts, handlers, javascript: links and styles from a hostile card', () => {
    const html = renderModelCard(
      '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[click](javascript:alert(3))\n\n<a href="https://example.org" onclick="alert(4)">ok</a>\n\n<iframe src="https://evil"></iframe><style>body{}</style><div style="position:fixed">x</div>',
    );
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:|<iframe|<style|style=/i);
    expect(html).not.toMatch(/<img/i); // an image without alt text is dropped (no broken-image icon)
    expect(html).toMatch(/<a href="https:\/\/example\.org" target="_blank" rel="noopener noreferrer nofollow">ok<\/a>/);
  });

  it('shows a Markdown image as its alt text, never as a broken image', () => {
    const html = renderModelCard('# M\n\n![Benchmark chart](https://cdn.example/chart.png)\n\n<img src="https://cdn.example/logo.png" alt="Logo" width="200">\n');
    expect(html).not.toMatch(/<img/i);
    expect(html).toMatch(/<span class="img-alt"[^>]*>Benchmark chart<\/span>/);
    expect(html).toMatch(/<span class="img-alt"[^>]*>Logo<\/span>/);
  });

  it('lists quantizations smallest first, first parts only', () => {
    expect(
      quantizationsOf([
        { path: 'README.md', size: 1 },
        { path: 'm-Q8_0.gguf', size: 800 },
        { path: 'm-Q4_K_M.gguf', size: 400 },
        { path: 'big-F16-00002-of-00002.gguf', size: 5 },
        { path: 'mmproj-f16.gguf', size: 3 },
      ]),
    ).toEqual([
      { name: 'Q4_K_M', path: 'm-Q4_K_M.gguf', size: 400 },
      { name: 'Q8_0', path: 'm-Q8_0.gguf', size: 800 },
    ]);
  });

  it('finds the profiles that run the repo by id or by a path in its snapshot', () => {
    const p = (id: string, model: string) => ({ id, model }) as Profile;
    const all = [p('a', 'org/m'), p('b', '/cache/models--org--m/snapshots/c1/m.gguf'), p('c', 'org/other'), p('d', '/cache/models--org--m2/x.gguf')];
    expect(profilesUsing(all, 'org/m', '/cache/models--org--m/snapshots/c1').map((x) => x.id)).toEqual(['a', 'b']);
    expect(profilesUsing(all, 'org/m', undefined).map((x) => x.id)).toEqual(['a']);
  });
});
