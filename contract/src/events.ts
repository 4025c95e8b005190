import { z } from 'zod';
import { DownloadEndEvent, DownloadProgressEvent, LocalModelsChangedEvent } from './hub.js';
import { ProfilesChangedEvent, ServerChangedEvent, ServerMetricsEvent } from './servers.js';
import { SettingsChangedEvent } from './settings.js';
import { AuditRecordedEvent, GatewayChangedEvent } from './gateway.js';

/*
 * Server-sent events of `GET /api/events`: one discriminated union on `type`.
 * Each area appends its own event schemas to `AppEventSchemas` below (one line each);
 * the SSE frame's `event:` name equals `type` and its `data:` is the JSON event.
 */

/** The pending-registration count changed (admins only). */
export const UsersChangedEvent = z.object({
  type: z.literal('users.changed'),
  pending_count: z.number().int().nonnegative(),
});
export type UsersChangedEvent = z.infer<typeof UsersChangedEvent>;

/** The caller's own API keys changed (created or revoked, possibly from another tab or the CLI). */
export const KeysChangedEvent = z.object({ type: z.literal('keys.changed') });
export type KeysChangedEvent = z.infer<typeof KeysChangedEvent>;

/**
 * The viewer's sessions were ended (password reset, disabled, role changed, logged out
 * everywhere, deleted): open streams re-check their viewer at once and close if it fails.
 */
export const SessionRevokedEvent = z.object({ type: z.literal('session.revoked'), user_id: z.string() });
export type SessionRevokedEvent = z.infer<typeof SessionRevokedEvent>;

export const AppEventSchemas = [
  UsersChangedEvent,
  KeysChangedEvent,
  SessionRevokedEvent,
  DownloadProgressEvent,
  DownloadEndEvent,
  LocalModelsChangedEvent,
  ServerChangedEvent,
  ServerMetricsEvent,
  ProfilesChangedEvent,
  SettingsChangedEvent,
  GatewayChangedEvent,
  AuditRecordedEvent,
  // other areas: append their event schemas here
] as const;

export const AppEvent = z.discriminatedUnion('type', AppEventSchemas);
export type AppEvent = z.infer<typeof AppEvent>;
export type AppEventType = AppEvent['type'];
