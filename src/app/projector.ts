// Projection rows as pure functions of the office state, kept as a snapshot in
// memory and diffed event by event. Two kinds of table:
//
// - stored: `customers`, `staff`, `policies` — the live path writes each diff
//   in the append's transaction (the store's writeRows, src/store/projections.ts);
//   `rebuildProjections` replays the log through the same Projector and writes
//   the final snapshot, so both produce identical rows (updated_seq included:
//   it is the seq of the event that last changed a row);
// - live only: `rotation`, `alerts` — never stored; their diffs tell the live
//   fan-out (src/server/live.ts) when the board moved and which alert is new.
//
// Reports, report masks, deals and units are no projection any more (issue 13:
// every append wrote them and nothing read them; the app answers from the
// engine's state). The snapshot holds each row's JSON, or only a digest of it
// (`keepRows: false`: a live cache, which needs to know whether a row changed,
// not what it was).
import type { Change } from '../domain/engine/changes.ts';
import { lastProtectedDay } from '../domain/engine/ownership.ts';
import type { Customer, OfficeState } from '../domain/engine/state.ts';
import type { Outcome } from '../domain/engine/timeline.ts';
import type { OfficeEvent } from '../domain/events.ts';
import type { Rejected } from '../domain/rejection.ts';
import { endOfPeriod } from '../domain/time.ts';
import { isStoredTable, STORED_KEYS } from '../store/index.js';

export { rowWrites, writeRows } from '../store/index.js';

export type Table = 'customers' | 'staff' | 'policies' | 'rotation' | 'alerts';
/** Tables with an updated_seq column. */
const VERSIONED = new Set<Table>(['customers']);
/** Primary key columns after project_id. */
export const KEYS: Record<Table, readonly string[]> = {
  ...STORED_KEYS,
  rotation: [],
  alerts: ['alert_id'],
};
/** Snapshot order: the stored tables as the store writes them (parents first), then the live-only ones. */
const WRITE_ORDER: Table[] = ['staff', 'policies', 'customers', 'rotation', 'alerts'];

type Row = Record<string, unknown>;
export interface RowChange {
  table: Table;
  key: string;
  /** The full row (project_id added at write time), or null to delete. */
  row: Row | null;
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString());
const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (x instanceof Map ? Object.fromEntries(x) : typeof x === 'number' && !Number.isFinite(x) ? null : x));

export function customerRow(state: OfficeState, c: Customer): Row {
  const o = c.ownership;
  let status = 'none';
  let until: string | null = null;
  if (o) {
    if (o.owner === null) status = 'public';
    else if (o.closed) status = 'closed';
    else {
      status = 'protected';
      const last = lastProtectedDay(o, c);
      until = last === null ? null : iso(endOfPeriod(last, 0, state.timezone));
    }
  }
  return {
    phone: c.phone,
    name: c.name ?? null,
    owner: o?.owner ?? null,
    status,
    protected_until: until,
    basis_clause: o?.basis.clause ?? null,
    basis_events: JSON.stringify(o?.basis.events ?? []),
  };
}

function rotationRow(state: OfficeState): Row {
  const r = state.rotation;
  const makeUps: Record<string, number> = {};
  for (const [s, l] of r.makeUps) makeUps[s] = l.length;
  return {
    state: json({
      order: r.order,
      pointer: r.pointer,
      rosterDay: r.rosterDay,
      rosterEventId: r.rosterEventId,
      lastTaker: r.lastTaker,
      makeUps,
      debts: r.debts,
      turns: r.turns,
      skips: r.skips,
      presence: state.presence,
    }),
  };
}

/** The UTF-8 bytes of the text being digested (grown for a longer text), and the same memory as 32-bit words. */
let digestBytes = Buffer.from(new ArrayBuffer(1 << 14));
let digestWords = new Int32Array(digestBytes.buffer, 0, digestBytes.length >> 2);

/**
 * A 53-bit digest of a row's JSON text: what a projector with `keepRows: false`
 * keeps instead of the text. Not cryptographic; fast and well distributed: the
 * text's UTF-8 bytes are read as 32-bit words through two independent lanes (the
 * xxHash32 round and the MurmurHash3 body, each with its own finalizer), 21 bits
 * of one and 32 of the other. Reading words, not chars, makes it about half the
 * cost of a per-char hash such as cyrb53, and a fraction of the JSON.stringify
 * before it. (The JSON is well-formed UTF-16, JSON.stringify escaping lone
 * surrogates, so the UTF-8 encoding loses nothing; the words are read in the
 * platform's byte order, little-endian everywhere Node runs in practice: a
 * checkpoint taken on another order would only rewrite every row once.)
 *
 * Why a collision is acceptable: a row is compared only with its own previous
 * version, so a collision needs a row whose new JSON differs from its old one
 * and yet digests the same, about 2^-53 per changed row (some 10^-7 over a
 * billion row updates). Its only effect is one projection update skipped (that
 * row keeps its older values until it changes again): projections are derived
 * from the log, never read by the engine, and `guishu rebuild --check` reports
 * any drift, which `guishu rebuild` repairs. Changing this function changes
 * the engine fingerprint (this file is an engine source), so a checkpoint never
 * mixes digests of two functions.
 */
export function rowDigest(text: string): number {
  // A UTF-16 code unit is at most 3 UTF-8 bytes.
  if (text.length * 3 + 4 > digestBytes.length) {
    digestBytes = Buffer.from(new ArrayBuffer((text.length * 3 + 4) * 2));
    digestWords = new Int32Array(digestBytes.buffer, 0, digestBytes.length >> 2);
  }
  const bytes = digestBytes;
  const words = digestWords;
  const n = bytes.write(text, 0, 'utf8');
  const full = n >> 2;
  let h1 = (0x165667b1 + n) | 0;
  let h2 = n ^ 0x2c1b3c6d;
  for (let i = 0; i <= full; i++) {
    let w = 0;
    if (i < full) w = words[i]!;
    else if (n & 3) for (let j = full << 2; j < n; j++) w |= bytes[j]! << ((j & 3) << 3);
    else break;
    // xxHash32 round
    h1 = (h1 + Math.imul(w, 0x85ebca77)) | 0;
    h1 = Math.imul((h1 << 13) | (h1 >>> 19), 0x9e3779b1);
    // MurmurHash3 (x86, 32-bit) body
    let k = Math.imul(w, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h2 ^= k;
    h2 = (h2 << 13) | (h2 >>> 19);
    h2 = (Math.imul(h2, 5) + 0xe6546b64) | 0;
  }
  h1 ^= h1 >>> 15;
  h1 = Math.imul(h1, 0x85ebca77);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae3d);
  h1 ^= h1 >>> 16;
  h2 ^= h2 >>> 16;
  h2 = Math.imul(h2, 0x85ebca6b);
  h2 ^= h2 >>> 13;
  h2 = Math.imul(h2, 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  return 4294967296 * (h1 & 0x1fffff) + (h2 >>> 0);
}

export interface ProjectorOptions {
  /**
   * Keep each row's JSON (true, the default: `rows()` hands them back, as a
   * rebuild, a bulk import or a check needs), or only a 53-bit digest of it
   * (false: a live cache, which only needs to know whether a row changed;
   * `rows()` then throws). `step`'s row changes are the same either way.
   */
  keepRows?: boolean;
}

/**
 * A projector's snapshot as plain, structured-clone-able data (maps of strings
 * and numbers, plain rows): what `Projector.restore` goes on from.
 */
export interface ProjectorCheckpoint {
  /** Whether `snap` holds the rows' JSON (true) or their digests (false). Absent: true. */
  keepRows?: boolean;
  /** table → key → row JSON (without updated_seq), or its `rowDigest` when `keepRows` is false. */
  snap: [Table, Map<string, string | number>][];
  /** `table\u0000key` → updated_seq of the versioned tables' rows. */
  versions: Map<string, number>;
  alertCount: number;
  policyVersion: number;
}

export class Projector {
  /** table → key → row JSON (without updated_seq), or its `rowDigest` when rows are not kept. */
  private readonly snap = new Map<Table, Map<string, string | number>>();
  private rowsKept: boolean;
  private readonly versions = new Map<string, number>();
  private alertCount = 0;
  private policyVersion = 0;

  constructor(options: ProjectorOptions = {}) {
    this.rowsKept = options.keepRows ?? true;
    for (const t of WRITE_ORDER) this.snap.set(t, new Map());
  }

  /** Whether the projector keeps its rows (`rows()` works) or only their digests. */
  get keepsRows(): boolean {
    return this.rowsKept;
  }

  /** Keeps only the rows' digests from now on (as `keepRows: false`): e.g. a rebuild's projector taken as a live cache. Nothing changes if they already are. */
  forgetRows(): void {
    if (!this.rowsKept) return;
    for (const t of this.snap.values()) for (const [key, text] of t) t.set(key, rowDigest(text as string));
    this.rowsKept = false;
  }

  /** The snapshot as a checkpoint: copies of the maps (their strings and rows are never changed in place), so later steps leave it as it was. */
  checkpoint(): ProjectorCheckpoint {
    return {
      keepRows: this.rowsKept,
      snap: WRITE_ORDER.map((t): [Table, Map<string, string | number>] => [t, new Map(this.snap.get(t)!)]),
      versions: new Map(this.versions),
      alertCount: this.alertCount,
      policyVersion: this.policyVersion,
    };
  }

  /**
   * A projector that goes on from a checkpoint as the checkpointed one would.
   * It takes the checkpoint's maps as its own (no copy). It keeps rows or
   * digests as the checkpointed one did; `{ keepRows: false }` makes a
   * projector that kept rows keep digests (its maps are then changed in place);
   * `{ keepRows: true }` on a checkpoint of digests throws (the rows are gone).
   */
  static restore(cp: ProjectorCheckpoint, options: ProjectorOptions = {}): Projector {
    const kept = cp.keepRows ?? true;
    if (options.keepRows === true && !kept) throw new Error('Projector.restore: the checkpoint holds digests of the rows (keepRows: false), not the rows; replay the log into a new Projector() to have them');
    const p = new Projector({ keepRows: kept });
    const want = kept ? 'string' : 'number';
    for (const [table, rows] of cp.snap) {
      if (!p.snap.has(table)) throw new Error(`Projector.restore: unknown table ${table}`);
      for (const v of rows.values()) {
        if (typeof v !== want) throw new Error(`Projector.restore: table ${table} holds a ${typeof v} where a checkpoint with keepRows: ${String(kept)} holds ${want}s`);
        break;
      }
      p.snap.set(table, rows);
    }
    // The maps themselves, not copies (a million-event project has some 330,000 versions): `readonly` guards them after construction, and this is construction.
    const own = p as unknown as { versions: Map<string, number> };
    own.versions = cp.versions;
    p.alertCount = cp.alertCount;
    p.policyVersion = cp.policyVersion;
    if (options.keepRows === false) p.forgetRows();
    return p;
  }

  /** The genesis policy (seq 1): version 1, in force from the start. */
  genesis(event: Extract<OfficeEvent, { type: 'policy' }>, seq: number): RowChange[] {
    this.policyVersion = 1;
    const out: RowChange[] = [];
    this.put(out, 'policies', policyRow(event, 1), seq);
    return out;
  }

  /**
   * The rows an event changed. `full` recomputes everything (a correction
   * replays the timeline; rulings and departures reach far).
   */
  step(state: OfficeState, event: OfficeEvent, outcome: Outcome, rejections: ReadonlyMap<string, Rejected>, seq: number): RowChange[] {
    const out: RowChange[] = [];
    if (!outcome.accepted) return out;
    if (event.type === 'policy') {
      this.policyVersion++;
      this.put(out, 'policies', policyRow(event, this.policyVersion), seq);
    }
    const changes = outcome.changes;
    const full = event.type === 'correction' || changes.some((c) => c.kind === 'left' || c.kind === 'staff' || c.kind === 'policy');

    // customers
    const phones = full ? new Set(state.customers.keys()) : touchedPhones(changes);
    for (const phone of phones) {
      const c = state.customers.get(phone);
      if (c) this.put(out, 'customers', customerRow(state, c), seq);
    }
    if (full) this.dropMissing(out, 'customers', new Set(state.customers.keys()));

    this.put(out, 'rotation', rotationRow(state), seq);

    // staff
    if (full) {
      for (const m of state.staff.values()) {
        this.put(out, 'staff', { staff_id: m.id, name: m.name ?? m.id, team: m.team ?? null, role: m.role, agency: m.agency ?? null, left_at: iso(m.leftAt) }, seq);
      }
    }

    // alerts: numbered in order of the state's list
    if (full || state.alerts.length !== this.alertCount) {
      const from = full ? 0 : this.alertCount;
      for (let i = from; i < state.alerts.length; i++) {
        const a = state.alerts[i]!;
        this.put(out, 'alerts', { alert_id: `a${i + 1}`, kind: a.kind, customer: a.customer ?? null, due_at: iso(a.at), payload: JSON.stringify({ staff: a.staff ?? null, basis: a.basis, message: a.message }) }, seq);
      }
      if (full) this.dropMissing(out, 'alerts', new Set(state.alerts.map((_a, i) => `a${i + 1}`)));
      this.alertCount = state.alerts.length;
    }
    return out;
  }

  private put(out: RowChange[], table: Table, row: Row, seq: number): void {
    const key = KEYS[table].map((k) => String(row[k])).join('\u0000');
    const text = JSON.stringify(row);
    const kept = this.rowsKept ? text : rowDigest(text);
    const t = this.snap.get(table)!;
    if (t.get(key) === kept) return;
    t.set(key, kept);
    const full = { ...row };
    if (VERSIONED.has(table)) {
      this.versions.set(`${table}\u0000${key}`, seq);
      full.updated_seq = seq;
    }
    out.push({ table, key, row: full });
  }

  private dropMissing(out: RowChange[], table: Table, keep: ReadonlySet<string>): void {
    const t = this.snap.get(table)!;
    for (const key of [...t.keys()]) {
      if (keep.has(key)) continue;
      t.delete(key);
      this.versions.delete(`${table}\u0000${key}`);
      out.push({ table, key, row: null });
    }
  }

  /** A policy version after the genesis (what `step` does for a `policy` event). */
  policyVersionAt(event: Extract<OfficeEvent, { type: 'policy' }>, seq: number): void {
    this.policyVersion++;
    this.put([], 'policies', policyRow(event, this.policyVersion), seq);
  }

  /** Every row recomputed from the final state, as a full step would (a synthetic staff change forces it). */
  recomputeAll(state: OfficeState, rejections: ReadonlyMap<string, Rejected>, seq: number): void {
    const forced: Outcome = { accepted: true, changes: [{ kind: 'left', staff: '', at: 0 }] };
    this.step(state, { id: '(cold start)', type: 'leave', at: 0, staff: '' } as OfficeEvent, forced, rejections, seq);
  }

  /** Takes each versioned row's updated_seq from what is stored, so later diffs keep the log's history. */
  restoreVersions(table: Table, stored: readonly Row[]): void {
    if (!VERSIONED.has(table)) return;
    for (const row of stored) {
      const key = KEYS[table].map((k) => String(row[k])).join('\u0000');
      if (this.snap.get(table)!.has(key)) this.versions.set(`${table}\u0000${key}`, Number(row.updated_seq));
    }
  }

  /** The rows of the stored tables (customers, staff, policies): what a rebuild writes and rebuild --check compares. */
  storedRows(): RowChange[] {
    return this.rows().filter((c) => isStoredTable(c.table));
  }

  /** Every row of the snapshot (rebuild). A projector that keeps only digests (`keepRows: false`) has none: it throws. */
  rows(): RowChange[] {
    if (!this.rowsKept) throw new Error('Projector.rows: this projector keeps only digests of its rows (keepRows: false); replay the log into a new Projector() (keepRows: true) to have the rows');
    const out: RowChange[] = [];
    for (const table of WRITE_ORDER) {
      for (const [key, text] of this.snap.get(table)!) {
        const row = JSON.parse(text as string) as Row;
        if (VERSIONED.has(table)) row.updated_seq = this.versions.get(`${table}\u0000${key}`) ?? 0;
        out.push({ table, key, row });
      }
    }
    return out;
  }
}

function policyRow(event: Extract<OfficeEvent, { type: 'policy' }>, version: number): Row {
  return { version, effective_at: iso(event.effectiveAt ?? event.at), preset: event.preset, set: JSON.stringify(event.set ?? {}), created_at: iso(event.at) };
}

function touchedPhones(changes: readonly Change[]): Set<string> {
  const out = new Set<string>();
  for (const ch of changes) {
    const c = ch as unknown as Record<string, unknown>;
    if (typeof c.phone === 'string') out.add(c.phone);
    if (ch.kind === 'relation') {
      out.add(ch.a);
      out.add(ch.b);
    }
    if (ch.kind === 'party') for (const p of ch.phones) out.add(p);
    if (ch.kind === 'deal') for (const p of ch.deal.customers) out.add(p);
  }
  return out;
}
