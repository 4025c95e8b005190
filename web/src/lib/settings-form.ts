import { SETTINGS_SCHEMA } from '@mlx-manager/contract';
import { plainFieldMessage } from './form-errors.js';

/**
 * The Settings page's pure side: which field shows each runtime setting, the draft the form
 * edits (numbers as typed text), and the patch a save sends (only what changed, checked against
 * the contract's own schema first). Keys this table does not know yet (added by a newer server)
 * still show, as a checkbox, number or text field named after the key.
 */
export type SettingKind = 'boolean' | 'number' | 'percent' | 'text' | 'secret' | 'choice';

export interface SettingField {
  key: string;
  group: string;
  label: string;
  hint: string;
  kind: SettingKind;
  /** For a choice: value → label (the first is the "not set here" one). */
  choices?: readonly (readonly [string, string])[];
}

type Known = Omit<SettingField, 'key'>;

const KNOWN: Record<string, Known> = {
  registration_open: {
    group: 'Accounts',
    label: 'Anyone may register',
    hint: 'New accounts still wait for an administrator to approve them. When off, only an administrator creates accounts.',
    kind: 'boolean',
  },
  max_pending_users: {
    group: 'Accounts',
    label: 'Most accounts waiting for approval',
    hint: 'Registration pauses while this many accounts wait.',
    kind: 'number',
  },
  v1_open_on_loopback: {
    group: 'Gateway',
    label: 'No API key needed from this computer',
    hint: 'Programs on this machine (127.0.0.1) may call /v1 without a key; every other client still needs one.',
    kind: 'boolean',
  },
  gateway_allow_private_upstreams: {
    group: 'Gateway',
    label: 'Providers may be on the local network',
    hint: 'Gateway providers may point at private addresses, such as a model server elsewhere on your LAN.',
    kind: 'boolean',
  },
  memory_budget_fraction: {
    group: 'Resources',
    label: 'Memory the running models may use (%)',
    hint: 'Share of this machine’s memory the engines may take together.',
    kind: 'percent',
  },
  audit_retention_days: {
    group: 'Resources',
    label: 'Keep the audit log for (days)',
    hint: 'Older entries are deleted.',
    kind: 'number',
  },
  hf_token: {
    group: 'Hugging Face hub',
    label: 'Hugging Face token',
    hint: 'Opens gated and private repos (accept a gated repo’s terms on the hub first). Stored encrypted; never shown again.',
    kind: 'secret',
  },
  hf_endpoint: {
    group: 'Hugging Face hub',
    label: 'Hub address',
    hint: 'A mirror or a local hub, such as https://hf-mirror.example. Empty: HF_ENDPOINT, else the public hub.',
    kind: 'text',
  },
  log_level: {
    group: 'Server',
    label: 'Log level',
    hint: 'How much the server writes to its log; applies at once. “As configured” uses MLX_MANAGER_LOG_LEVEL (or config.json), else info.',
    kind: 'choice',
    choices: [
      ['', 'As configured'],
      ['error', 'Errors only'],
      ['warn', 'Warnings and errors'],
      ['info', 'Info (requests, engine events)'],
      ['debug', 'Debug'],
      ['trace', 'Trace (everything)'],
    ],
  },
};

const GROUP_ORDER = ['Accounts', 'Gateway', 'Hugging Face hub', 'Resources', 'Server', 'Other'];

function humanize(key: string): string {
  const words = key.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The fields for the settings the server answered, grouped in a stable order. */
export function settingFields(settings: Readonly<Record<string, unknown>>): SettingField[] {
  const fields: SettingField[] = [];
  for (const [key, value] of Object.entries(settings)) {
    const known = KNOWN[key];
    if (known) fields.push({ key, ...known });
    else {
      const kind: SettingKind = typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? 'number' : 'text';
      fields.push({ key, group: 'Other', label: humanize(key), hint: '', kind });
    }
  }
  return fields.sort((a, b) => GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group));
}

export type Draft = Record<string, boolean | string>;

/** What the form edits: booleans as they are, numbers as text (a percent as 0–100). */
export function draftOf(settings: Readonly<Record<string, unknown>>, fields: readonly SettingField[]): Draft {
  const draft: Draft = {};
  for (const field of fields) {
    const value = settings[field.key];
    if (field.kind === 'boolean') draft[field.key] = value === true;
    // A secret is never in the form: the server answers only its hint. Typing one replaces it.
    else if (field.kind === 'secret') draft[field.key] = '';
    else if (field.kind === 'percent' && typeof value === 'number') draft[field.key] = String(Math.round(value * 1000) / 10);
    else draft[field.key] = value === null || value === undefined ? '' : String(value);
  }
  return draft;
}

function valueOf(field: SettingField, raw: boolean | string): { value: unknown } | { error: string } {
  if (field.kind === 'boolean') return { value: raw === true };
  const text = String(raw).trim();
  if (field.kind === 'text' || field.kind === 'secret' || field.kind === 'choice') return { value: text };
  if (text === '' || !Number.isFinite(Number(text))) return { error: 'Enter a number.' };
  const n = Number(text);
  return { value: field.kind === 'percent' ? n / 100 : n };
}

function schemaProblem(key: string, value: unknown, field: SettingField): string | undefined {
  const schema = (SETTINGS_SCHEMA as Record<string, { removeDefault(): { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } } }>)[key];
  if (!schema) return undefined; // a key the server knows and this build does not: the server checks it
  const parsed = schema.removeDefault().safeParse(value);
  if (parsed.success) return undefined;
  if (field.kind === 'percent') return 'Enter a share from 1 to 100.';
  return plainFieldMessage(key, parsed.error?.issues[0]?.message ?? 'invalid value');
}

/** The keys whose draft differs from the stored settings, with a plain message for each bad one. */
export function patchFrom(
  settings: Readonly<Record<string, unknown>>,
  fields: readonly SettingField[],
  draft: Draft,
): { patch: Record<string, unknown>; errors: Record<string, string> } {
  const patch: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const raw = draft[field.key];
    if (raw === undefined) continue;
    if (field.kind === 'secret' && String(raw).trim() === '') continue; // kept as stored
    const parsed = valueOf(field, raw);
    if ('error' in parsed) {
      errors[field.key] = parsed.error;
      continue;
    }
    if (Object.is(parsed.value, settings[field.key])) continue;
    const problem = schemaProblem(field.key, parsed.value, field);
    if (problem) errors[field.key] = problem;
    else patch[field.key] = parsed.value;
  }
  return { patch, errors };
}
