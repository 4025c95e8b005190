import { z } from 'zod';

/*
 * Models: hub search and detail, local models in the Hugging Face cache, downloads, and their
 * events. Sizes are bytes; times ISO-8601 strings.
 */

/** `org/name`, as huggingface_hub validates repo ids (no `--`, no `..`, no edge `-`/`.`). */
export const RepoId = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_.-]{1,96}\/[A-Za-z0-9_.-]{1,96}$/, 'expected "org/name"')
  .refine((s) => !s.includes('--') && !s.includes('..') && s.split('/').every((p) => !/^[-.]|[-.]$/.test(p)), 'invalid repo id');
export type RepoId = z.infer<typeof RepoId>;

/** A branch, tag or commit that is safe as a cache path. */
export const Revision = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._/-]+$/, 'invalid revision')
  .refine((s) => s.split('/').every((p) => p !== '' && p !== '.' && p !== '..'), 'invalid revision');

export const HubSort = z.enum(['downloads', 'likes', 'lastModified', 'createdAt', 'trendingScore']);
export type HubSort = z.infer<typeof HubSort>;

const boolParam = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** `GET /api/hub/search` query. `mlx` defaults to true (MLX-tagged repos only). */
export const HubSearchQuery = z
  .object({
    q: z.string().max(200).optional(),
    author: z.string().regex(/^[A-Za-z0-9_.-]{1,96}$/, 'invalid author').optional(),
    sort: HubSort.optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
    cursor: z.string().max(4000).optional(),
    mlx: boolParam.optional(),
    /** Only models that fit this machine (unknown sizes are kept); a page may then hold fewer. */
    fits: boolParam.optional(),
    /** Extra tag filter, e.g. `gguf`. */
    filter: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'invalid filter').optional(),
  })
  .strict();
export type HubSearchQuery = z.infer<typeof HubSearchQuery>;

export const ModelCharacteristics = z.object({
  model_type: z.string(),
  architecture_family: z.string(),
  is_multimodal: z.boolean(),
  multimodal_type: z.enum(['vision']).nullable(),
  use_cache: z.boolean(),
  is_tool_use: z.boolean(),
  max_position_embeddings: z.number().optional(),
  num_hidden_layers: z.number().optional(),
  hidden_size: z.number().optional(),
  vocab_size: z.number().optional(),
  num_attention_heads: z.number().optional(),
  num_key_value_heads: z.number().optional(),
  quantization_bits: z.number().optional(),
  quantization_group_size: z.number().optional(),
});
export type ModelCharacteristics = z.infer<typeof ModelCharacteristics>;

export const HubModelSummary = z.object({
  id: z.string(),
  author: z.string(),
  downloads: z.number(),
  likes: z.number(),
  last_modified: z.string().nullable(),
  tags: z.array(z.string()),
  pipeline_tag: z.string().nullable(),
  library_name: z.string().nullable(),
  gated: z.boolean(),
  /** Repo size from the hub, else estimated from the name; 0 when unknown. */
  size_bytes: z.number(),
  size_estimated: z.boolean(),
  parameters: z.number().nullable(),
  /** Size ≤ total memory × usable fraction; null when the size is unknown. */
  fits: z.boolean().nullable(),
  is_downloaded: z.boolean(),
});
export type HubModelSummary = z.infer<typeof HubModelSummary>;

export const HubSearchResult = z.object({ models: z.array(HubModelSummary), next_cursor: z.string().nullable() });
export type HubSearchResult = z.infer<typeof HubSearchResult>;

export const RecommendedOptions = z.object({
  tool_call_parser: z.string().optional(),
  reasoning_parser: z.string().optional(),
  message_converter: z.string().optional(),
});
export type RecommendedOptions = z.infer<typeof RecommendedOptions>;

export const HubFile = z.object({ path: z.string(), size: z.number(), lfs: z.boolean() });
export type HubFile = z.infer<typeof HubFile>;

/** `GET /api/hub/models/{org}/{name}`: info + characteristics from config.json and tags. */
export const HubModelDetail = HubModelSummary.extend({
  sha: z.string(),
  files: z.array(HubFile),
  characteristics: ModelCharacteristics.nullable(),
  model_family: z.string().nullable(),
  recommended_options: RecommendedOptions,
});
export type HubModelDetail = z.infer<typeof HubModelDetail>;

export const LocalModel = z.object({
  id: z.string(),
  /** Absolute snapshot folder (what engines load offline). */
  path: z.string(),
  commit: z.string(),
  size_bytes: z.number(),
  disk_bytes: z.number(),
  file_count: z.number(),
  modified_at: z.string(),
  characteristics: ModelCharacteristics.nullable(),
  model_family: z.string().nullable(),
  fits: z.boolean().nullable(),
  /** A download of this repo is queued or running. */
  downloading: z.boolean(),
});
export type LocalModel = z.infer<typeof LocalModel>;

export const LocalModelList = z.object({ models: z.array(LocalModel) });
export type LocalModelList = z.infer<typeof LocalModelList>;

export const DownloadState = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type DownloadState = z.infer<typeof DownloadState>;

export const Download = z.object({
  id: z.string(),
  repo: z.string(),
  revision: z.string(),
  /** Selected paths or globs; null = the whole repo. */
  files: z.array(z.string()).nullable(),
  state: DownloadState,
  bytes_done: z.number(),
  bytes_total: z.number(),
  /** 0–100, one decimal. */
  percent: z.number(),
  /** Bytes per second over the last seconds (0 when idle). */
  speed_bps: z.number(),
  eta_seconds: z.number().nullable(),
  error: z.string().nullable(),
  commit: z.string().nullable(),
  /** Who started it (may cancel it, as may an admin); null for downloads from before this was recorded. */
  created_by: z.string().nullable().default(null),
  created_at: z.string(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
});
export type Download = z.infer<typeof Download>;

/** A path or fnmatch glob inside the repo (no absolute paths, no `..`). */
export const FileSelector = z
  .string()
  .min(1)
  .max(512)
  .refine((s) => !s.startsWith('/') && !s.includes('\\') && !s.split('/').includes('..') && !s.includes('\0'), 'invalid file selector');

export const CreateDownloadRequest = z
  .object({
    repo: RepoId,
    revision: Revision.optional(),
    files: z.array(FileSelector).min(1).max(200).optional(),
  })
  .strict();
export type CreateDownloadRequest = z.infer<typeof CreateDownloadRequest>;

export const DownloadList = z.object({ downloads: z.array(Download) });
export type DownloadList = z.infer<typeof DownloadList>;

/** Progress of a download (throttled to a few per second). */
export const DownloadProgressEvent = z.object({ type: z.literal('download.progress'), download: Download });
export type DownloadProgressEvent = z.infer<typeof DownloadProgressEvent>;

/** A download reached `done`, `failed` or `cancelled`. */
export const DownloadEndEvent = z.object({ type: z.literal('download.end'), download: Download });
export type DownloadEndEvent = z.infer<typeof DownloadEndEvent>;

/** The local model list changed (download finished, model deleted): clients refetch `GET /api/models`. */
export const LocalModelsChangedEvent = z.object({ type: z.literal('models.changed') });
export type LocalModelsChangedEvent = z.infer<typeof LocalModelsChangedEvent>;
