// A profile ↔ its database row. Searched or unique fields are columns, the rest is `settings`
// JSON, and the secrets (env values, extra arguments) are sealed one by one in `secrets`, so the
// database file never holds an HF_TOKEN or an `--api-key` in clear.
import { MASKED_SECRET, Profile, ProfileFields } from '@mlx-manager/contract';
import type { ProfileRow } from '../db/tables/profiles.js';
import type { SecretBox } from './secret-box.js';

const COLUMN_FIELDS = ['name', 'engine', 'model', 'host', 'port', 'start_on_boot'] as const;
const SECRET_FIELDS = ['env', 'extra_args'] as const;

interface SealedSecrets {
  env: Record<string, string>;
  extra_args: string[];
}

export interface RowMeta {
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toRow(id: string, fields: ProfileFields, meta: RowMeta, box: SecretBox): ProfileRow {
  const settings: Record<string, unknown> = { ...fields };
  for (const k of [...COLUMN_FIELDS, ...SECRET_FIELDS]) delete settings[k];
  const secrets: SealedSecrets = {
    env: Object.fromEntries(Object.entries(fields.env).map(([k, v]) => [k, box.seal(v)])),
    extra_args: fields.extra_args.map((a) => box.seal(a)),
  };
  return {
    id,
    name: fields.name,
    engine: fields.engine,
    model: fields.model,
    host: fields.host,
    port: fields.port,
    start_on_boot: fields.start_on_boot ? 1 : 0,
    settings: JSON.stringify(settings),
    created_by: meta.createdBy,
    secrets: JSON.stringify(secrets),
    created_at: meta.createdAt,
    updated_at: meta.updatedAt,
  };
}

/** The row's secrets in clear: sealed ones opened; rows from before sealing keep them in settings. */
function openSecrets(row: ProfileRow, settings: Record<string, unknown>, box: SecretBox): Partial<SealedSecrets> {
  if (row.secrets === null) return { env: settings.env as Record<string, string>, extra_args: settings.extra_args as string[] };
  const sealed = JSON.parse(row.secrets) as SealedSecrets;
  return {
    env: Object.fromEntries(Object.entries(sealed.env).map(([k, v]) => [k, box.openOrPlain(v)])),
    extra_args: sealed.extra_args.map((a) => box.openOrPlain(a)),
  };
}

/** Row → contract profile; defaults fill settings added after the row was written. */
export function fromRow(row: ProfileRow, box: SecretBox): Profile {
  const settings = JSON.parse(row.settings) as Record<string, unknown>;
  const fields = ProfileFields.parse({
    ...settings,
    ...openSecrets(row, settings, box),
    name: row.name,
    engine: row.engine,
    model: row.model,
    host: row.host,
    port: Number(row.port),
    start_on_boot: Number(row.start_on_boot) === 1,
  });
  return Profile.parse({ ...fields, id: row.id, created_by: row.created_by, created_at: row.created_at, updated_at: row.updated_at });
}

/** What a non-admin sees: which variables and how many arguments, never their values. */
export function maskSecrets(p: Profile): Profile {
  return {
    ...p,
    env: Object.fromEntries(Object.keys(p.env).map((k) => [k, MASKED_SECRET])),
    extra_args: p.extra_args.map(() => MASKED_SECRET),
  };
}
