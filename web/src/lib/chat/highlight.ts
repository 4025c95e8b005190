/**
 * Pure: a small code highlighter for answers — comments, strings, numbers and keywords of the
 * languages models write most, as `<span class="hl-…">` around HTML-escaped text. Deliberately
 * simple (one regex pass, no grammar); unknown languages get the common keyword set.
 */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const COMMON = 'if else for while do return break continue switch case default try catch finally throw new class function const let var import export from as in of true false null undefined this async await yield';
const KEYWORDS: Record<string, string> = {
  python: 'def class if elif else for while return import from as with try except finally raise lambda pass break continue in is not and or None True False self async await yield global nonlocal',
  rust: 'fn let mut pub struct enum impl trait use mod match if else for while loop return break continue as ref self Self crate super where async await move true false const static',
  go: 'func package import var const type struct interface map chan go defer select if else for range return break continue switch case default nil true false',
  sql: 'select from where join left right inner outer on group by order having limit offset insert into values update set delete create table drop alter index and or not null as distinct union all case when then else end',
  bash: 'if then else elif fi for while do done case esac function return in export local echo exit',
  c: 'int char float double void long short unsigned signed struct union enum typedef const static extern return if else for while do switch case default break continue sizeof include define',
};
const ALIASES: Record<string, string> = { py: 'python', rs: 'rust', golang: 'go', sh: 'bash', shell: 'bash', zsh: 'bash', cpp: 'c', 'c++': 'c', h: 'c', hpp: 'c' };

const HASH_COMMENTS = new Set(['python', 'bash', 'ruby', 'yaml', 'toml', 'r', 'perl']);

function keywordSet(lang: string): Set<string> {
  const key = ALIASES[lang] ?? lang;
  return new Set((KEYWORDS[key] ?? COMMON).split(' '));
}

/** Highlighted HTML for `code` in language `lang` (case-insensitive, may be empty). */
export function highlight(code: string, lang: string): string {
  const language = ALIASES[lang.toLowerCase()] ?? lang.toLowerCase();
  const words = keywordSet(language);
  const comment = HASH_COMMENTS.has(language) ? '#[^\\n]*' : language === 'sql' ? '--[^\\n]*' : '\\/\\/[^\\n]*|\\/\\*[\\s\\S]*?\\*\\/';
  const pattern = new RegExp(`(${comment})|("(?:[^"\\\\\\n]|\\\\.)*"|'(?:[^'\\\\\\n]|\\\\.)*'|\`(?:[^\`\\\\]|\\\\.)*\`)|(\\b\\d+(?:\\.\\d+)?\\b)|([A-Za-z_][A-Za-z0-9_]*)`, 'g');
  let out = '';
  let last = 0;
  for (const m of code.matchAll(pattern)) {
    out += escapeHtml(code.slice(last, m.index));
    const [text, isComment, isString, isNumber, word] = m;
    const cls = isComment ? 'hl-comment' : isString ? 'hl-string' : isNumber ? 'hl-number' : word && words.has(language === 'sql' ? word.toLowerCase() : word) ? 'hl-keyword' : null;
    out += cls ? `<span class="${cls}">${escapeHtml(text)}</span>` : escapeHtml(text);
    last = m.index + text.length;
  }
  return out + escapeHtml(code.slice(last));
}
