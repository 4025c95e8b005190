/**
 * Pure: which files a message may carry and how. Text and code files are recognised by their
 * name (extension or a well-known extensionless name), never by the browser's MIME type, which
 * is unreliable for `.md`, `.log` and friends; images and video by MIME type, and only for models
 * that take pictures.
 */

export const MAX_ATTACHMENTS = 4;
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
// Inlined text is stored with the chat (each message text at most 200,000 characters).
export const MAX_TEXT_BYTES = 192 * 1024;
export const MAX_VIDEO_BYTES = 200 * 1024 * 1024;
export const MAX_VIDEO_SECONDS = 120;
/** Frames sampled from a video and sent as pictures. */
export const VIDEO_FRAMES = 6;

const TEXT_EXTENSIONS = new Set(
  'txt md markdown csv tsv json jsonl xml yaml yml toml ini cfg conf env log py js mjs cjs ts tsx jsx svelte vue html htm css scss sql sh bash zsh fish rs go java kt swift c h cc cpp hpp cs rb php pl lua r dart scala ex exs erl hs ml clj tex rst adoc diff patch gitignore dockerignore editorconfig'.split(' '),
);
const TEXT_NAMES = new Set('readme license licence makefile dockerfile procfile gemfile changelog contributing authors todo notice copying version manifest .gitignore .dockerignore .editorconfig .env .npmrc .nvmrc .prettierrc .eslintrc .babelrc .gitattributes'.split(' '));

export type AttachmentKind = 'image' | 'video' | 'text';

export type Classification = { ok: true; kind: AttachmentKind } | { ok: false; reason: string };

export function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

export function isTextFileName(name: string): boolean {
  const base = (name.split(/[\\/]/).pop() ?? name).toLowerCase();
  return TEXT_NAMES.has(base) || TEXT_EXTENSIONS.has(extensionOf(base));
}

/** Pure: whether this file may be attached for this model, and as what; the reason when not. */
export function classifyFile(file: { name: string; type: string; size: number }, opts: { multimodal: boolean; count: number }): Classification {
  if (opts.count >= MAX_ATTACHMENTS) return { ok: false, reason: `At most ${MAX_ATTACHMENTS} attachments per message.` };
  if (isTextFileName(file.name)) {
    if (file.size > MAX_TEXT_BYTES) return { ok: false, reason: `${file.name} is larger than ${MAX_TEXT_BYTES / 1024} KB; text files are inlined in the message.` };
    return { ok: true, kind: 'text' };
  }
  const media = file.type.startsWith('image/') ? 'image' : file.type.startsWith('video/') ? 'video' : null;
  if (!media) return { ok: false, reason: `${file.name}: only images, videos and text or code files (.txt, .md, .py, .json …) can be attached.` };
  if (!opts.multimodal) return { ok: false, reason: `This model reads text only: ${file.name} cannot be sent to it. Pick a vision model for pictures and video.` };
  if (media === 'image' && file.size > MAX_IMAGE_BYTES) return { ok: false, reason: `${file.name} is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB.` };
  if (media === 'video' && file.size > MAX_VIDEO_BYTES) return { ok: false, reason: `${file.name} is larger than ${MAX_VIDEO_BYTES / 1024 / 1024} MB.` };
  return { ok: true, kind: media };
}

/** The file picker's `accept`: what classifyFile may take for this model. */
export function acceptFor(multimodal: boolean): string {
  const text = [...TEXT_EXTENSIONS].map((e) => `.${e}`).join(',');
  return multimodal ? `image/*,video/*,${text}` : text;
}

/** Pure: evenly spaced sample times (seconds) over a video, avoiding the very first and last frame. */
export function frameTimes(durationSeconds: number, count = VIDEO_FRAMES): number[] {
  if (!(durationSeconds > 0)) return [0];
  return Array.from({ length: count }, (_, i) => (durationSeconds * (i + 0.5)) / count);
}
