// Boot-time recovery of the engines a previous manager recorded in `<data>/run/`: adopt the live
// ones the caller wants (same pid AND start time, answering their readiness probe), kill every
// other group of ours, drop stale records. Never leaves an orphan. See DESIGN.md "Run records".
import { launcherFor } from './launchers/index.js';
import type { LaunchProfile } from './launchers/types.js';
import { groupAlive, isAlive, processStartTime, terminateGroup } from './process-tree.js';
import { probeBaseUrl, waitReady } from './readiness.js';
import type { RunRecord, RunRecordStore } from './run-records.js';

export interface RecoverResult {
  adopted: string[];
  reaped: number[];
  dropped: number;
}

/** What a record says about a process now. */
export type RecordFate = 'live' | 'orphan_group' | 'stale';

export async function judgeRecord(record: RunRecord): Promise<RecordFate> {
  const leaderAlive = isAlive(record.pid);
  if (leaderAlive && (await processStartTime(record.pid)) === record.start_time) return 'live';
  // A dead leader's pid cannot be reused as a group id while its group has members: they are ours.
  if (!leaderAlive && groupAlive(record.pid)) return 'orphan_group';
  return 'stale';
}

/** Whether an engine left running answers its readiness probe now (bounded). */
export function answersReadiness(profile: LaunchProfile, timeoutMs = 10_000): Promise<boolean> {
  const probes = launcherFor(profile.engine).readiness(profile);
  return waitReady(probeBaseUrl(profile.host, profile.port), probes, AbortSignal.timeout(timeoutMs)).then(
    () => true,
    () => false,
  );
}

/**
 * Walks every record. `tryAdopt` is asked only about live engines and returns whether it took the
 * engine over (it runs the adoption on the profile's queue); everything of ours it declines is killed.
 */
export async function recoverRecords(store: RunRecordStore, graceMs: number, tryAdopt: (record: RunRecord) => Promise<boolean>): Promise<RecoverResult> {
  const { records, invalid } = store.list();
  for (const file of invalid) store.dropFile(file);
  const result: RecoverResult = { adopted: [], reaped: [], dropped: invalid.length };
  for (const record of records) {
    const fate = await judgeRecord(record);
    if (fate === 'stale') {
      store.remove(record.profile_id);
      result.dropped++;
      continue;
    }
    if (fate === 'live' && (await tryAdopt(record))) {
      result.adopted.push(record.profile_id);
      continue;
    }
    await terminateGroup(record.pid, graceMs);
    store.remove(record.profile_id);
    result.reaped.push(record.pid);
  }
  return result;
}
