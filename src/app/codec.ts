// How an office event is kept in the log: the body without personal data as
// `payload` (hashed), the customers' phones and names apart as `personal`
// (only a salted digest is hashed, so it can be erased), and id/type/at in
// their own columns. `fromStored` puts the event back together for replay.
import { createHash } from 'node:crypto';
import type { OfficeEvent } from '../domain/events.ts';
import type { NewEvent, ReplayedEvent, StoredEvent } from '../store/index.js';

/** Top-level fields that name customers. */
const PERSONAL_KEYS = ['customer', 'party', 'referrer', 'referred', 'a', 'b', 'customers'] as const;
/** Free text about the customer (a follow-up's note): kept with the personal part, dropped where the customers are masked or erased. */
const PERSONAL_TEXT = ['note'] as const;
/** Nested objects that may name customers (what the customer says; a correction's new values). */
const NESTED = ['says', 'set'] as const;
const NESTED_KEYS = [...PERSONAL_KEYS, 'referredBy'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function splitPersonal(event: OfficeEvent): { payload: Obj; personal: Obj | undefined } {
  const { id: _id, type: _type, at: _at, ...rest } = event as unknown as Obj;
  const payload: Obj = { ...rest };
  const personal: Obj = {};
  for (const k of [...PERSONAL_KEYS, ...PERSONAL_TEXT]) {
    if (payload[k] !== undefined) {
      personal[k] = payload[k];
      delete payload[k];
    }
  }
  for (const n of NESTED) {
    const inner = payload[n];
    if (!isObj(inner)) continue;
    const copy: Obj = { ...inner };
    for (const k of NESTED_KEYS) {
      if (copy[k] !== undefined) {
        personal[`${n}.${k}`] = copy[k];
        delete copy[k];
      }
    }
    payload[n] = copy;
  }
  return { payload, personal: Object.keys(personal).length ? personal : undefined };
}

export function toNewEvent(event: OfficeEvent, outcome: { status: 'accepted' | 'rejected'; code?: string }, recordedBy: string | null): NewEvent {
  const { payload, personal } = splitPersonal(event);
  return {
    eventId: event.id,
    type: event.type,
    at: event.at,
    recordedBy,
    payload,
    personal,
    status: outcome.status,
    rejectionCode: outcome.status === 'rejected' ? (outcome.code ?? null) : null,
  };
}

/**
 * The office event a stored row records. When personal data was erased the
 * customers are gone: each becomes `{phone: ''}` (a replay then treats the
 * registration as one without a valid phone).
 */
export function fromStored(row: ReplayedEvent, ...overlay: [erasedOverlay?: unknown]): OfficeEvent {
  const out: Obj = { id: row.eventId, type: row.type, at: row.atMs, ...(isObj(row.payload) ? row.payload : {}) };
  // After erasure, `erasedOverlay` (table `erasures`) stands in for the blanked
  // personal part: the erased customer under a stable pseudonymous phone, the
  // event's other customers as they were. Present personal data always wins.
  // A replay passes the overlay (even undefined); for an erased row without
  // one (an erasure recorded without an overlay, or personal blanked behind
  // the store's back, which verify reports) it replays stand-in customers.
  // A view of the event (one argument) shows it without customers.
  const erasedOverlay = overlay[0];
  const personal = isObj(row.personal) ? row.personal : isObj(erasedOverlay) ? erasedOverlay
    : overlay.length > 0 && row.personalErased ? standInPersonal(row) : {};
  for (const [key, value] of Object.entries(personal)) {
    const dot = key.indexOf('.');
    if (dot < 0) out[key] = value;
    else {
      const n = key.slice(0, dot);
      const inner = isObj(out[n]) ? { ...(out[n] as Obj) } : {};
      inner[key.slice(dot + 1)] = value;
      out[n] = inner;
    }
  }
  return out as unknown as OfficeEvent;
}

/** Every customer reference an event carries (for the customer card's timeline). */
export function customerRefs(event: OfficeEvent): { phone: string }[] {
  const e = event as unknown as Obj;
  const refs: { phone: string }[] = [];
  const add = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(add);
    else if (isObj(v) && typeof v.phone === 'string') refs.push({ phone: v.phone });
  };
  for (const k of PERSONAL_KEYS) add(e[k]);
  for (const n of NESTED) if (isObj(e[n])) for (const k of NESTED_KEYS) add((e[n] as Obj)[k]);
  return refs;
}

/** The event with every customer reference passed through `fn` (erasure, masking); free text about the customer goes. */
export function mapCustomerRefs(event: OfficeEvent, fn: (ref: Obj) => Obj): OfficeEvent {
  const e: Obj = { ...(event as unknown as Obj) };
  for (const k of PERSONAL_TEXT) delete e[k];
  const map = (v: unknown): unknown => (Array.isArray(v) ? v.map(map) : isObj(v) && typeof v.phone === 'string' ? fn(v) : v);
  for (const k of PERSONAL_KEYS) if (e[k] !== undefined) e[k] = map(e[k]);
  for (const n of NESTED) {
    if (!isObj(e[n])) continue;
    const inner: Obj = { ...(e[n] as Obj) };
    for (const k of NESTED_KEYS) if (inner[k] !== undefined) inner[k] = map(inner[k]);
    e[n] = inner;
  }
  return e as unknown as OfficeEvent;
}

/** The customer fields each event type must have (the rest are optional). */
const REQUIRED_REFS: Record<string, readonly string[]> = {
  call: ['customer'], visit: ['customer'], recognize: ['customer'], followup: ['customer'], outreach: ['customer'], report: ['customer'],
  referral: ['referrer', 'referred'], relation: ['a', 'b'], 'staff-relation': ['customer'], deal: ['customers'], complaint: ['customer'],
  'no-contact': ['customer'],
};

/**
 * The personal part of an erased event that has no overlay: each customer it
 * must name becomes a stand-in — one pseudonymous phone per event (segment
 * 17401, apart from eraseCustomer's 17400), name ERASED_NAME's text — so the
 * project still replays (its decisions on that event may differ from the
 * recorded ones; the log keeps the recorded decision).
 */
export function standInPersonal(row: Pick<StoredEvent, 'type' | 'eventId'>): Obj {
  const digits = String(parseInt(createHash('sha256').update(row.eventId).digest('hex').slice(0, 8), 16) % 1_000_000).padStart(6, '0');
  const ref = { phone: `17401${digits}`, name: '（已删除）' };
  const out: Obj = {};
  for (const k of REQUIRED_REFS[row.type] ?? []) out[k] = k === 'customers' ? [ref] : ref;
  return out;
}
