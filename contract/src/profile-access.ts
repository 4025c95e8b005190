import type { ProfileFields } from './profiles.js';

/*
 * Who may set what on a profile, as pure rules shared by the server (which enforces them) and
 * the web app (which only offers what the server would accept). See docs/security.md.
 *
 * "Program fields" decide which program runs and with what: for anyone but an admin they
 * would be code execution on the machine (a custom command, an executable, extra arguments or
 * environment, Python shipped with a model repo, a template file read from disk) or exposure
 * of the engine beyond this machine (a host other than loopback).
 */

/** The profile fields only an admin may set or change. */
export const PROGRAM_FIELDS = ['engine', 'executable', 'command', 'extra_args', 'env', 'trust_remote_code', 'chat_template_file', 'host'] as const;
export type ProgramField = (typeof PROGRAM_FIELDS)[number];

/** Shown instead of the value of a profile secret (env values, extra arguments) to non-admins. */
export const MASKED_SECRET = '••••';

/** A host name that reaches only this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The program fields a profile holds with something other than the harmless default. */
export function programFieldsSet(p: Pick<ProfileFields, ProgramField>): ProgramField[] {
  const set: ProgramField[] = [];
  if (p.engine === 'custom') set.push('engine');
  if (p.executable !== null) set.push('executable');
  if (p.command.length > 0) set.push('command');
  if (p.extra_args.length > 0) set.push('extra_args');
  if (Object.keys(p.env).length > 0) set.push('env');
  if (p.trust_remote_code) set.push('trust_remote_code');
  if (p.chat_template_file !== null) set.push('chat_template_file');
  if (!isLoopbackHost(p.host)) set.push('host');
  return set;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return sameValue(ka, kb) && ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
  }
  return a === b;
}

/**
 * The program fields that differ between what is stored (or the defaults, for a new profile)
 * and what would be written. Any change counts, "empty" values included: wiping an admin's
 * `env` with `{}` changes what runs as surely as setting one. Switching to a non-custom engine
 * or to a loopback host is harmless in itself and is not listed.
 */
export function programFieldChanges(before: Pick<ProfileFields, ProgramField>, after: Pick<ProfileFields, ProgramField>): ProgramField[] {
  const changed: ProgramField[] = [];
  for (const field of PROGRAM_FIELDS) {
    if (sameValue(before[field], after[field])) continue;
    if (field === 'engine' && after.engine !== 'custom') continue;
    if (field === 'host' && isLoopbackHost(after.host)) continue;
    changed.push(field);
  }
  return changed;
}

export interface ProfileViewer {
  id: string;
  isAdmin: boolean;
}

/**
 * May this user edit, duplicate or delete the profile? Admins may; other users only their own
 * profiles, and never one holding program fields (an admin put them there, or made it run a
 * program the user could then change the arguments of).
 */
export function mayManageProfile(viewer: ProfileViewer, p: Pick<ProfileFields, ProgramField> & { created_by: string | null }): boolean {
  if (viewer.isAdmin) return true;
  return p.created_by === viewer.id && programFieldsSet(p).length === 0;
}

/**
 * May this user read a profile's engine output (its log, a failure's last lines)? Engines print
 * paths, prompts and now and then a secret: admins may, and the user who created the profile.
 */
export function mayReadEngineOutput(viewer: ProfileViewer, p: { created_by: string | null }): boolean {
  return viewer.isAdmin || (p.created_by !== null && p.created_by === viewer.id);
}
