import { randomBytes } from 'node:crypto';
import type { AuditHop, AuditRecord } from '@mlx-manager/contract';
import type { AuditRow } from './tables/gateway.js';

/*
 * The gateway's audit records on their way to the table, packed. A busy gateway queues one record
 * per request; as rows (an id, an ISO time, the hops as JSON, an object of 17 fields) each record
 * was a dozen small objects that lived until its batch was written, long enough for the garbage
 * collector to copy them, and sending 200 such rows to the writer thread meant cloning 3400 values.
 * Packed, a record is numbers in a Float64Array and indexes into the batch's list of distinct
 * strings (the same user, key, model and target repeat from one request to the next), and the
 * rows are made where they are written (the writer thread, db/sqlite-writer.ts) by
 * `expandAuditBatch`. docs/gateway-data-plane.md has the figures.
 */

/** The table's columns, in the order of each row's parameters (`expandAuditBatch` writes them so). */
export const AUDIT_COLUMNS = [
  'id', 'time', 'user_id', 'api_key_id', 'endpoint', 'requested_model', 'rule_id', 'backend',
  'target_id', 'target_model', 'status', 'duration_ms', 'ttft_ms', 'tokens_in', 'tokens_out', 'hops', 'error',
] as const satisfies readonly (keyof AuditRow)[];
/** The table's columns missing from AUDIT_COLUMNS: none (a test asserts it at type level). */
export type AuditColumnsMissing = Exclude<keyof AuditRow, (typeof AUDIT_COLUMNS)[number]>;

/** What the data plane records: a record without its id and cost; `time` (a Date, ISO text or ms) defaults to now. */
export type AuditEntry = Omit<AuditRecord, 'id' | 'time' | 'cost_usd'> & { time?: Date | string | number };

/** Records packed for writing (plain data: it crosses to the writer thread as it is). */
export interface PackedAuditBatch {
  count: number;
  /** NUMBERS_PER_ROW numbers a record (NaN: null), see `AuditBatchBuilder.add`. */
  numbers: Float64Array;
  /** STRINGS_PER_ROW indexes into `strings` a record (-1: null). */
  refs: Int32Array;
  strings: string[];
  /** The last 64 bits of every id but the counter's 12, drawn once per process (see `expandAuditBatch`). */
  idSuffix: { variant: string; node: string };
}

const NUMBERS_PER_ROW = 10;
const STRINGS_PER_ROW = 14;
/** `refs` value of a record whose hops are its one hop's columns (not JSON in `strings`). */
const ONE_HOP = -2;

const PROCESS_BITS = randomBytes(7);
/** Two random bits after the variant bits `10`, then 48 random bits. */
const ID_SUFFIX = { variant: (0x8 | (PROCESS_BITS[0]! & 0x3)).toString(16), node: PROCESS_BITS.subarray(1).toString('hex') };
/** The ids' 24-bit counter (unique within this process), from a random start. */
let idCounter = Math.floor(Math.random() * 0x1000000);

const orNaN = (v: number | null): number => (v === null ? NaN : v);

function timeOf(time: AuditEntry['time'], nowMs: number): number {
  const ms = time === undefined ? nowMs : typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : time.getTime();
  return Number.isFinite(ms) ? ms : nowMs;
}

/** Fills one batch of up to `capacity` records. */
export class AuditBatchBuilder {
  private readonly numbers: Float64Array;
  private readonly refs: Int32Array;
  private readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  /** The string each `refs` field had last, and its index: consecutive records mostly repeat them. */
  private readonly lastString: (string | null)[] = new Array<string | null>(STRINGS_PER_ROW).fill(null);
  private readonly lastRef = new Int32Array(STRINGS_PER_ROW).fill(-1);
  count = 0;

  constructor(readonly capacity: number) {
    this.numbers = new Float64Array(capacity * NUMBERS_PER_ROW);
    this.refs = new Int32Array(capacity * STRINGS_PER_ROW);
  }

  get full(): boolean {
    return this.count >= this.capacity;
  }

  /** Adds a record made now (`nowMs`, which the id carries); false when the batch is full. */
  add(entry: AuditEntry, nowMs: number): boolean {
    if (this.full) return false;
    idCounter = (idCounter + 1) & 0xffffff;
    const n = this.count * NUMBERS_PER_ROW;
    const numbers = this.numbers;
    numbers[n] = timeOf(entry.time, nowMs);
    numbers[n + 1] = nowMs;
    numbers[n + 2] = idCounter;
    numbers[n + 3] = entry.status;
    numbers[n + 4] = entry.duration_ms;
    numbers[n + 5] = orNaN(entry.ttft_ms);
    numbers[n + 6] = orNaN(entry.tokens_in);
    numbers[n + 7] = orNaN(entry.tokens_out);
    const hop: AuditHop | undefined = entry.hops.length === 1 ? entry.hops[0] : undefined;
    numbers[n + 8] = hop ? orNaN(hop.status) : NaN;
    numbers[n + 9] = hop ? hop.duration_ms : NaN;
    const s = this.count * STRINGS_PER_ROW;
    this.ref(s, 0, entry.user_id);
    this.ref(s, 1, entry.api_key_id);
    this.ref(s, 2, entry.endpoint);
    this.ref(s, 3, entry.requested_model);
    this.ref(s, 4, entry.rule_id);
    this.ref(s, 5, entry.backend);
    this.ref(s, 6, entry.target_id);
    this.ref(s, 7, entry.target_model);
    this.ref(s, 8, entry.error);
    this.ref(s, 9, hop ? hop.backend : null);
    this.ref(s, 10, hop ? hop.target_id : null);
    this.ref(s, 11, hop ? hop.target_model : null);
    this.ref(s, 12, hop ? hop.error : null);
    // Anything but one hop (none: a model that routes nowhere; several: failover) is rare: as JSON.
    if (hop) this.refs[s + 13] = ONE_HOP;
    else this.ref(s, 13, JSON.stringify(entry.hops));
    this.count++;
    return true;
  }

  /** The records added so far (a copy of the used part when the batch is not full). */
  seal(): PackedAuditBatch {
    const full = this.full;
    return {
      count: this.count,
      numbers: full ? this.numbers : this.numbers.slice(0, this.count * NUMBERS_PER_ROW),
      refs: full ? this.refs : this.refs.slice(0, this.count * STRINGS_PER_ROW),
      strings: this.strings,
      idSuffix: ID_SUFFIX,
    };
  }

  private ref(row: number, field: number, value: string | null): void {
    let ref: number;
    if (value === null) ref = -1;
    else if (value === this.lastString[field]) ref = this.lastRef[field]!;
    else {
      ref = this.index.get(value) ?? -1;
      if (ref < 0) {
        ref = this.strings.push(value) - 1;
        this.index.set(value, ref);
      }
      this.lastString[field] = value;
      this.lastRef[field] = ref;
    }
    this.refs[row + field] = ref;
  }
}

/**
 * Pure: a packed batch → every row's parameters, one row after the other in AUDIT_COLUMNS order.
 *
 * It runs in the writer thread too, which gets its source text: it must not use anything outside
 * its own body (no imports, no module constants: the layout numbers are repeated here, and the
 * round-trip tests would see them drift apart).
 *
 * A record's id sorts by when it was made: a UUID in version 7's layout (48 bits of Unix
 * milliseconds first), so the primary key index grows at its end instead of taking each insert at
 * a random page (that halved the cost of a row). The rest is the process's counter and its random
 * bits, so ids of one millisecond differ, in one process and between instances sharing a database.
 */
export function expandAuditBatch(batch: PackedAuditBatch): unknown[] {
  const numbersPerRow = 10;
  const stringsPerRow = 14;
  const oneHop = -2;
  const { count, numbers, refs, strings, idSuffix } = batch;
  const text = (ref: number): string | null => (ref < 0 ? null : strings[ref]!);
  const optional = (v: number): number | null => (Number.isFinite(v) ? Math.round(v) : null);
  const required = (v: number): number => (Number.isFinite(v) ? Math.round(v) : 0);
  // Each distinct string as JSON once (the hops' text is written by hand: a row's one hop is the
  // common case, and the same strings repeat).
  const quoted: string[] = [];
  const json = (ref: number): string => (ref < 0 ? 'null' : (quoted[ref] ??= JSON.stringify(strings[ref])));
  // Records of one millisecond share their time and the front of their ids.
  let timeMs = NaN;
  let timeText = '';
  let idMs = NaN;
  let idFront = '';
  const out: unknown[] = new Array(count * 17);
  let k = 0;
  for (let row = 0; row < count; row++) {
    const n = row * numbersPerRow;
    const s = row * stringsPerRow;
    if (numbers[n + 1] !== idMs) {
      idMs = numbers[n + 1]!;
      const ms = idMs.toString(16).padStart(12, '0');
      idFront = `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7`;
    }
    const counter = numbers[n + 2]!.toString(16).padStart(6, '0');
    out[k++] = `${idFront}${counter.slice(0, 3)}-${idSuffix.variant}${counter.slice(3)}-${idSuffix.node}`;
    if (numbers[n] !== timeMs) {
      timeMs = numbers[n]!;
      timeText = new Date(timeMs).toISOString();
    }
    out[k++] = timeText;
    for (let f = 0; f < 8; f++) out[k++] = text(refs[s + f]!);
    out[k++] = required(numbers[n + 3]!);
    out[k++] = required(numbers[n + 4]!);
    out[k++] = optional(numbers[n + 5]!);
    out[k++] = optional(numbers[n + 6]!);
    out[k++] = optional(numbers[n + 7]!);
    const hops = refs[s + 13]!;
    out[k++] =
      hops === oneHop
        ? `[{"backend":${json(refs[s + 9]!)},"target_id":${json(refs[s + 10]!)},"target_model":${json(refs[s + 11]!)},` +
          `"status":${optional(numbers[n + 8]!) ?? 'null'},"error":${json(refs[s + 12]!)},"duration_ms":${required(numbers[n + 9]!)}}]`
        : text(hops);
    out[k++] = text(refs[s + 8]!);
  }
  return out;
}

/** Pure: rows from the flat parameters `expandAuditBatch` made. */
export function auditRowsOf(parameters: readonly unknown[]): AuditRow[] {
  const rows: AuditRow[] = [];
  for (let i = 0; i < parameters.length; i += AUDIT_COLUMNS.length) {
    const row: Record<string, unknown> = {};
    AUDIT_COLUMNS.forEach((column, c) => (row[column] = parameters[i + c]));
    rows.push(row as unknown as AuditRow);
  }
  return rows;
}

