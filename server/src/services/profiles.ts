// Server profiles: CRUD + duplicate, port auto-assignment with conflicts refused (other profiles
// AND ports bound on this machine), parsers pre-filled from the model family, validation with
// clear field errors, delete of a running profile stops it first. Who may change what is decided
// here, against the stored profile (docs/security.md): routes only say who is asking.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  CreateProfileRequest,
  ProfileFields,
  UpdateProfileRequest,
  isGgufEngine,
  mayManageProfile,
  modelFileProblem,
  modelProblem,
  programFieldChanges,
  programFieldsSet,
  type FieldIssue,
  type Profile,
  type ProfileViewer,
} from '@mlx-manager/contract';
import type { Kysely } from 'kysely';
import { profilesRepository } from '../db/repositories/profiles.js';
import type { Database } from '../db/schema.js';
import type { ProfileRow } from '../db/tables/profiles.js';
import { portFree } from '../engines/port-check.js';
import { recommendOptions } from '../hub/families.js';
import { hostProblem, machineAddresses } from './engine-host.js';
import { AppError } from './errors.js';
import type { EventBus } from './event-bus.js';
import { fromRow as decodeRow, maskSecrets, toRow as encodeRow } from './profile-rows.js';
import type { SecretBox } from './secret-box.js';

/** Who asks for a change: the service judges it against the stored profile. */
export type ProfileActor = ProfileViewer;

/** Ports tried when assigning one: enough for any real set of profiles, bounded in time. */
const PORT_CANDIDATES = 200;

export interface ProfilesDeps {
  db: Kysely<Database>;
  events: EventBus;
  defaultPortStart: number;
  /** Seals env values and extra arguments at rest. */
  secrets: SecretBox;
  /** Is this port free on the machine? (injectable for tests) */
  isPortFree?: (host: string, port: number) => Promise<boolean>;
  /** This machine's addresses, where a non-wildcard engine host must be (injectable for tests). */
  localAddresses?: () => string[];
}

/** Rules across fields and per engine, beyond the contract's field schemas. Pure. */
export function profileIssues(p: ProfileFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  // A model is a repo id or a plain absolute path: never a flag, never shell or template syntax.
  const bad = modelProblem(p.model);
  if (bad) issues.push({ field: 'model', message: bad });
  issues.push(...modelFileIssues(p));
  if (p.engine === 'custom' && p.command.length === 0) issues.push({ field: 'command', message: 'a custom engine needs a command (argv, e.g. ["my-server", "--port", "{port}"])' });
  if (p.engine !== 'custom' && p.command.length > 0) issues.push({ field: 'command', message: 'only custom engines take a command' });
  if (p.chat_template_file !== null && !path.isAbsolute(p.chat_template_file)) issues.push({ field: 'chat_template_file', message: 'must be an absolute path' });
  if (p.executable !== null && !path.isAbsolute(p.executable)) issues.push({ field: 'executable', message: 'must be an absolute path' });
  return issues;
}

/**
 * GGUF engines take a repo id (+ a file of its snapshot, or none when it holds only one) or the
 * absolute path of a `.gguf` anywhere; other engines load a folder and take no file. Pure.
 */
export function modelFileIssues(p: Pick<ProfileFields, 'engine' | 'model' | 'model_file'>): FieldIssue[] {
  if (!isGgufEngine(p.engine)) {
    return p.model_file === null ? [] : [{ field: 'model_file', message: `only GGUF engines (built-in, llama-server) take a model file; ${p.engine} loads the whole repo` }];
  }
  if (path.isAbsolute(p.model)) {
    if (!p.model.toLowerCase().endsWith('.gguf')) return [{ field: 'model', message: `the ${p.engine} engine runs GGUF files: give a repo id or the absolute path of a .gguf file` }];
    return p.model_file === null ? [] : [{ field: 'model_file', message: 'a path already names the file: leave the model file empty' }];
  }
  const problem = p.model_file === null ? null : modelFileProblem(p.model_file);
  return problem ? [{ field: 'model_file', message: problem }] : [];
}

export function createProfilesService(deps: ProfilesDeps) {
  const repo = profilesRepository(deps.db);
  const isPortFree = deps.isPortFree ?? portFree;
  const localAddresses = deps.localAddresses ?? machineAddresses;
  let beforeDelete: (id: string) => Promise<void> = async () => undefined;
  const changed = () => deps.events.publish({ type: 'profiles.changed' });
  const fromRow = (row: ProfileRow) => decodeRow(row, deps.secrets);
  const toRow = (id: string, fields: ProfileFields, createdBy: string | null, createdAt: string) =>
    encodeRow(id, fields, { createdBy, createdAt, updatedAt: new Date().toISOString() }, deps.secrets);

  async function getRow(id: string): Promise<ProfileRow> {
    const row = await repo.findById(id);
    if (!row) throw new AppError('not_found', `Profile ${id} not found`);
    return row;
  }

  function validate(fields: ProfileFields): void {
    const issues = profileIssues(fields);
    if (issues.length > 0) throw new AppError('validation_failed', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
  }

  /** Before any port is looked at: a host the engine could never bind is a 400 at once. */
  function checkHost(host: string): void {
    const problem = hostProblem(host, localAddresses());
    if (problem) throw new AppError('validation_failed', `host: ${problem}`, [{ field: 'host', message: problem }]);
  }

  function forbidProgramFields(actor: ProfileActor, fields: readonly string[]): void {
    if (actor.isAdmin || fields.length === 0) return;
    const names = fields.map((f) => (f === 'engine' ? 'a custom engine' : f === 'host' ? 'a host other than loopback' : f));
    throw new AppError('forbidden', `Only an admin may set ${names.join(', ')} (they choose what program runs, with what, or who can reach it)`, fields.map((field) => ({ field, message: 'admin only' })));
  }

  function requireManage(actor: ProfileActor, p: Profile, what: string): void {
    if (mayManageProfile(actor, p)) return;
    const why = p.created_by === actor.id ? 'it runs a program an admin configured' : 'it belongs to someone else';
    throw new AppError('forbidden', `You may not ${what} profile "${p.name}": ${why}`);
  }

  function invalid(issues: readonly { path: readonly PropertyKey[]; message: string }[]): AppError {
    const fields = issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', message: i.message }));
    const first = fields[0];
    return new AppError('validation_failed', first ? `Invalid profile: ${first.field}: ${first.message}` : 'Invalid profile', fields);
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

  /** The lowest port from the configured start that no profile uses and nothing listens on (bounded search). */
  async function nextPort(host: string): Promise<number> {
    const used = new Set(await repo.usedPorts());
    const last = Math.min(65535, deps.defaultPortStart + PORT_CANDIDATES - 1);
    for (let port = deps.defaultPortStart; port <= last; port++) {
      if (used.has(port)) continue;
      if (await isPortFree(host, port)) return port;
    }
    throw new AppError('conflict', `No free port from ${deps.defaultPortStart} to ${last}: give one explicitly`, [{ field: 'port', message: 'no free port found' }]);
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

  const view = (viewer: ProfileViewer, p: Profile): Profile => (viewer.isAdmin ? p : maskSecrets(p));

  return {
    /** Registered by the servers service: stop a running engine before its profile goes. */
    setBeforeDelete(fn: (id: string) => Promise<void>): void {
      beforeDelete = fn;
    },

    /** Every profile in full (secrets in clear): for the engines, never for a response. */
    async list(): Promise<Profile[]> {
      return (await repo.list()).map(fromRow);
    },

    /** One profile in full (secrets in clear): for the engines, never for a response. */
    async get(id: string): Promise<Profile> {
      return fromRow(await getRow(id));
    },

    /** What this user may see: env values and extra arguments masked for non-admins. */
    async listFor(viewer: ProfileViewer): Promise<Profile[]> {
      return (await this.list()).map((p) => view(viewer, p));
    },

    async getFor(viewer: ProfileViewer, id: string): Promise<Profile> {
      return view(viewer, await this.get(id));
    },

    async create(input: unknown, actor: ProfileActor): Promise<Profile> {
      const parsed = CreateProfileRequest.safeParse(input);
      if (!parsed.success) throw invalid(parsed.error.issues);
      const raw = (input ?? {}) as Record<string, unknown>;
      const body = parsed.data;
      forbidProgramFields(actor, programFieldsSet(body));
      checkHost(body.host);
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
      const row = toRow(randomUUID(), fields, actor.id, new Date().toISOString());
      await guardUnique(() => repo.insert(row));
      changed();
      return view(actor, fromRow(row));
    },

    async update(id: string, patch: unknown, actor: ProfileActor): Promise<Profile> {
      const parsedPatch = UpdateProfileRequest.safeParse(patch);
      if (!parsedPatch.success) throw invalid(parsedPatch.error.issues);
      const current = fromRow(await getRow(id));
      requireManage(actor, current, 'edit');
      const { id: _id, created_at, updated_at: _u, created_by, ...currentFields } = current;
      const merged = ProfileFields.safeParse({ ...currentFields, ...parsedPatch.data });
      if (!merged.success) throw invalid(merged.error.issues);
      const fields = merged.data;
      forbidProgramFields(actor, programFieldChanges(currentFields, fields));
      if (fields.host !== current.host) checkHost(fields.host);
      if (fields.name !== current.name) await checkName(fields.name, id);
      if (fields.port !== current.port || fields.host !== current.host) await checkPort(fields.host, fields.port, id);
      validate(fields);
      const row = toRow(id, fields, created_by, created_at);
      await guardUnique(() => repo.replace(row));
      changed();
      return view(actor, fromRow(row));
    },

    async remove(id: string, actor: ProfileActor): Promise<void> {
      requireManage(actor, fromRow(await getRow(id)), 'delete');
      await beforeDelete(id);
      await repo.delete(id);
      changed();
    },

    async duplicate(id: string, name: string | undefined, actor: ProfileActor): Promise<Profile> {
      const source = fromRow(await getRow(id));
      requireManage(actor, source, 'duplicate');
      const { id: _id, created_at: _c, updated_at: _u, created_by: _by, ...fields } = source;
      // A copy is a new write: rows from before the current rules are checked again.
      validate(fields);
      checkHost(fields.host);
      let copyName = name ?? `${source.name} (copy)`;
      for (let n = 2; !name && (await repo.findByName(copyName)); n++) copyName = `${source.name} (copy ${n})`;
      await checkName(copyName, null);
      const port = await nextPort(fields.host);
      const row = toRow(randomUUID(), { ...fields, name: copyName, port, start_on_boot: false }, actor.id, new Date().toISOString());
      await guardUnique(() => repo.insert(row));
      changed();
      return view(actor, fromRow(row));
    },
  };
}

export type ProfilesService = ReturnType<typeof createProfilesService>;
