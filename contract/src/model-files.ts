import { z } from 'zod';
import type { EngineKind } from './profiles.js';

/*
 * GGUF profiles name a repo id plus one file of its downloaded snapshot (docs/model-files.md).
 * These pure rules are shared by the server (validation, resolution at start) and the web form
 * (which offers the files found on disk and picks the only one by itself).
 */

/** Engines that load one `.gguf` file rather than a model folder. */
export function isGgufEngine(engine: EngineKind): boolean {
  return engine === 'builtin' || engine === 'llama-server';
}

/** What a shell, a flag parser or a line-based format could read as more than a file name. */
const UNSAFE_FILE_CHARS = /[\p{Cc};&|$`<>(){}[\]*?!~#'"\\]/u;

/**
 * Why a `model_file` is refused, or null. It is a path relative to the repo's snapshot (GGUF
 * repos keep quantizations in sub-folders too), so it may never be absolute, climb with `..`,
 * hold empty or `.` segments, or anything a command line could misread.
 */
export function modelFileProblem(file: string): string | null {
  if (file.length === 0 || file.length > 1024) return 'must be a file name of 1 to 1024 characters';
  if (file.startsWith('/') || /^[A-Za-z]:/.test(file)) return 'must be a file inside the downloaded repo, not an absolute path';
  if (file.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) return 'must be a file inside the downloaded repo (no "..", "." or empty parts)';
  if (UNSAFE_FILE_CHARS.test(file)) return 'must not contain quotes, control characters, backslashes or shell characters';
  if (file.startsWith('-')) return 'must not start with "-"';
  if (!file.toLowerCase().endsWith('.gguf')) return 'must be a .gguf file';
  return null;
}

/** What a request may write as `model_file`. */
export const SafeModelFile = z.string().trim().superRefine((file, ctx) => {
  const problem = modelFileProblem(file);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const SPLIT_PART = /-(\d{5})-of-\d{5}\.gguf$/i;

/**
 * A `.gguf` an engine can be pointed at: not a vision projector (`mmproj`, loaded beside a
 * model, never alone) and, of a model split in parts, only the first part (the engine finds the rest).
 */
export function isLoadableGguf(path: string): boolean {
  const name = path.split('/').pop() ?? path;
  if (!name.toLowerCase().endsWith('.gguf') || /^mmproj/i.test(name)) return false;
  const part = SPLIT_PART.exec(name);
  return part === null || part[1] === '00001';
}

/** The quantization written in a GGUF file name (`Q4_K_M`, `IQ2_XS`, `Q8_0`, `F16`, `BF16`), or null. */
export function ggufQuantization(path: string): string | null {
  const name = (path.split('/').pop() ?? path).replace(SPLIT_PART, '.gguf');
  const match = /(?:^|[-_.])((?:I?Q\d(?:_[A-Z0-9]+)*)|BF16|F16|F32)(?=[-_.])/i.exec(name);
  return match?.[1] ? match[1].toUpperCase() : null;
}

/** The file to use when none was chosen: the only loadable GGUF, else null (none, or a choice to make). */
export function pickModelFile(paths: readonly string[]): string | null {
  const loadable = paths.filter(isLoadableGguf);
  return loadable.length === 1 ? (loadable[0] as string) : null;
}

export const LocalModelFile = z.object({
  /** Path inside the snapshot. */
  path: z.string(),
  size_bytes: z.number(),
  /** A GGUF an engine can load (see isLoadableGguf). */
  loadable_gguf: z.boolean(),
  quantization: z.string().nullable(),
});
export type LocalModelFile = z.infer<typeof LocalModelFile>;

/** `GET /api/models/{org}/{name}/files`: the files of the snapshot `refs/main` points at. */
export const LocalModelFiles = z.object({
  repo: z.string(),
  commit: z.string(),
  files: z.array(LocalModelFile),
});
export type LocalModelFiles = z.infer<typeof LocalModelFiles>;

/** `GET /api/hub/models/{org}/{name}/readme`: the model card as Markdown (never rendered by the server). */
export const ModelReadme = z.object({
  repo: z.string(),
  /** Null when the repo has no README.md. */
  markdown: z.string().nullable(),
  /** The text was cut at the size limit. */
  truncated: z.boolean(),
});
export type ModelReadme = z.infer<typeof ModelReadme>;
