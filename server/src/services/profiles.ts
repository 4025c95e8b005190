// Server profiles: CRUD + duplicate, port auto-assignment with conflicts refused (other profiles
// AND ports bound on this machine), parsers pre-filled from the model family, validation with
// clear field errors, delete of a running profile stops it first.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  CreateProfileRequest,
  Profile,
  ProfileFields,
  type FieldIssue,
  type UpdateProfileRequest,
} from '@mlx-manager/contract';
import type { Kysely } from 'kysely';
import { profilesRepository } from '../db/repositories/profiles.js';
import type { Database } from '../db/schema.js';
import type { ProfileRow } from '../db/tables/profiles.js';
import { portFree } from '../engines/port-check.js';
import { recommendOptions } from '../hub/families.js';
import { AppError } from './errors.js';
import type { EventBus } from './event-bus.js';

export interface ProfilesDeps {
  db: Kysely<Database>;
  events: EventBus;
  defaultPortStart: number;
  /** Is this port free on the machine? (injectable for tests) */
  isPortFree?: (host: string, port: number) => Promise<boolean>;
}

const COLUMN_FIELDS = ['name', 'engine', 'model', 'host', 'port', 'start_on_boot'] as const;

function toRow(id: string, fields: ProfileFields, createdAt: string, updatedAt: string): ProfileRow {
  const settings: Record<string, unknown> = { ...fields };
  for (const k of COLUMN_FIELDS) delete settings[k];
  return {
    id,
    name: fields.name,
    engine: fields.engine,
    model: fields.model,
    host: fields.host,
    port: fields.port,
    start_on_boot: fields.start_on_boot ? 1 : 0,
    settings: JSON.stringify(settings),
    created_at: createdAt,
    updated_at: updatedAt,
  };
}

/** Row → contract profile; defaults fill settings added after the row was written. */
function fromRow(row: ProfileRow): Profile {
  const settings = JSON.parse(row.settings) as Record<string, unknown>;
  const fields = ProfileFields.parse({
    ...settings,
    name: row.name,
    engine: row.engine,
    model: row.model,
    host: row.host,
    port: Number(row.port),
    start_on_boot: Number(row.start_on_boot) === 1,
  });
  return Profile.parse({ ...fields, id: row.id, created_at: row.created_at, updated_at: row.updated_at });
}

const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Rules across fields and per engine, beyond the contract's field schemas. Pure. */
export function profileIssues(p: ProfileFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  // A model is a repo id or an absolute path: never something an engine could read as a flag.
  if (!REPO_ID.test(p.model) && !path.isAbsolute(p.model)) issues.push({ field: 'model', message: 'must be a Hugging Face repo id (org/name) or an absolute path' });
  if ((p.engine === 'builtin' || p.engine === 'llama-server') && !p.model.toLowerCase().endsWith('.gguf')) {
    issues.push({ field: 'model', message: `the ${p.engine} engine runs GGUF files: give the absolute path of a .gguf file` });
  }
  if ((p.engine === 'builtin' || p.engine === 'llama-server') && !path.isAbsolute(p.model)) issues.push({ field: 'model', message: 'must be an absolute path to a .gguf file' });
  if (p.engine === 'custom' && p.command.length === 0) issues.push({ field: 'command', message: 'a custom engine needs a command (argv, e.g. ["my-server", "--port", "{port}"])' });
  if (p.engine !== 'custom' && p.command.length > 0) issues.push({ field: 'command', message: 'only custom engines take a command' });
  if (p.chat_template_file !== null && !path.isAbsolute(p.chat_template_file)) issues.push({ field: 'chat_template_file', message: 'must be an absolute path' });
  if (p.executable !== null && !path.isAbsolute(p.executable)) issues.push({ field: 'executable', message: 'must be an absolute path' });
  return issues;
}

export function createProfilesService(deps: ProfilesDeps) {
  const repo = profilesRepository(deps.db);
  const isPortFree = deps.isPortFree ?? portFree;
  let beforeDelete: (id: string) => Promise<void> = async () => undefined;
  const changed = () => deps.events.publish({ type: 'profiles.changed' });

  async function getRow(id: string): Promise<ProfileRow> {
    const row = await repo.findById(id);
    if (!row) throw new AppError('not_found', `Profile ${id} not found`);
    return row;
  }

  function validate(fields: ProfileFields): void {
    const issues = profileIssues(fields);
    if (issues.length > 0) throw new AppError('validation_failed', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
  }

  async function checkName(name: string, selfId: string | null): Promise<void> {
    const other = await repo.findByName(name);
    if (other && other.id !== selfId) throw new AppError('conflict', `A profile named "${name}" already exists`, [{ field: 'name', message: 'already used' }]);
  }

  async function checkPort(host: string, port: number, selfId: string | null): Promise<void> {
    const other = await repo.findByPort(port);
    if (other && other.id !== selfId) throw new AppError('conflict', `Port ${port} is already used by profile "${other.name}"`, [{ field: 'port', message: 'already used by another profile' }]);
    if (!(await isPortFree(host, port))) throw new AppError('conflict', `Port ${port} is already in use on this machine`, [{ field: 'port', message: 'in use on this machine' }]);
  }

  /** The lowest port from the configured start that no profile uses and nothing listens on. */
  async function nextPort(host: string): Promise<number> {
    const used = new Set(await repo.usedPorts());
    for (let port = deps.defaultPortStart; port <= 65535; port++) {
      if (used.has(port)) continue;
      if (await isPortFree(host, port)) return port;
    }
    throw new AppError('conflict', `No free port at or above ${deps.defaultPortStart}`);
  }

  /** Unique write failures (a concurrent create won the race) become the same 409 as the checks. */
  async function guardUnique<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      const msg = (err as Error).message ?? '';
      if (/unique|duplicate key/i.test(msg)) throw new AppError('conflict', /port/i.test(msg) ? 'Port already used by another profile' : 'A profile with this name already exists');
      throw err;
    }
  }

  return {
    /** Registered by the servers service: stop a running engine before its profile goes. */
    setBeforeDelete(fn: (id: string) => Promise<void>): void {
      beforeDelete = fn;
    },

    async list(): Promise<Profile[]> {
      return (await repo.list()).map(fromRow);
    },

    async get(id: string): Promise<Profile> {
      return fromRow(await getRow(id));
    },

    async create(input: unknown): Promise<Profile> {
      const parsed = CreateProfileRequest.safeParse(input);
      if (!parsed.success) throw new AppError('validation_failed', 'Invalid profile', parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message })));
      const raw = (input ?? {}) as Record<string, unknown>;
      const body = parsed.data;
      // Parsers not given at all are pre-filled from the model family; an explicit null stays null.
      // Only for mlx-openai-server: the names come from its parser lists (vllm-mlx names differ).
      const recommended = body.engine === 'mlx-openai-server' ? recommendOptions(body.model) : {};
      for (const key of ['tool_call_parser', 'reasoning_parser', 'message_converter'] as const) {
        const value = recommended[key];
        if (!(key in raw) && value) body[key] = value;
      }
      await checkName(body.name, null);
      const port = body.port ?? (await nextPort(body.host));
      if (body.port !== undefined) await checkPort(body.host, body.port, null);
      const fields: ProfileFields = { ...body, port };
      validate(fields);
      const now = new Date().toISOString();
      const row = toRow(randomUUID(), fields, now, now);
      await guardUnique(() => repo.insert(row));
      changed();
      return fromRow(row);
    },

    async update(id: string, patch: UpdateProfileRequest): Promise<Profile> {
      const current = fromRow(await getRow(id));
      const { id: _id, created_at, updated_at: _u, ...currentFields } = current;
      const merged = ProfileFields.safeParse({ ...currentFields, ...patch });
      if (!merged.success) throw new AppError('validation_failed', 'Invalid profile', merged.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message })));
      const fields = merged.data;
      if (fields.name !== current.name) await checkName(fields.name, id);
      if (fields.port !== current.port || fields.host !== current.host) await checkPort(fields.host, fields.port, id);
      validate(fields);
      const row = toRow(id, fields, created_at, new Date().toISOString());
      await guardUnique(() => repo.replace(row));
      changed();
      return fromRow(row);
    },

    async remove(id: string): Promise<void> {
      await getRow(id);
      await beforeDelete(id);
      await repo.delete(id);
      changed();
    },

    async duplicate(id: string, name?: string): Promise<Profile> {
      const source = fromRow(await getRow(id));
      const { id: _id, created_at: _c, updated_at: _u, ...fields } = source;
      let copyName = name ?? `${source.name} (copy)`;
      for (let n = 2; !name && (await repo.findByName(copyName)); n++) copyName = `${source.name} (copy ${n})`;
      await checkName(copyName, null);
      const port = await nextPort(fields.host);
      const now = new Date().toISOString();
      const row = toRow(randomUUID(), { ...fields, name: copyName, port, start_on_boot: false }, now, now);
      await guardUnique(() => repo.insert(row));
      changed();
      return fromRow(row);
    },
  };
}

export type ProfilesService = ReturnType<typeof createProfilesService>;
