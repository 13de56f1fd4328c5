// Request schemas of the HTTP API (zod → validation and OpenAPI). Events are
// the domain's own schemas, with times as ISO 8601, local "YYYY-MM-DD HH:mm"
// in the project's zone, or epoch ms; `id` and `at` optional. The web app
// builds its request bodies with these schemas' input types (type-only,
// web/src/api/bodies.ts): keep its imports to zod, src/domain and
// src/app/errors.ts (nothing of node or Fastify).
import { z } from 'zod';
import { customerRef, INSTANT_RANGE_TEXT, inInstantRange, money, officeEvent, prose, rate, says, text } from '../domain/events.ts';
import { parseLocalTime } from '../domain/time.ts';
import { InvalidInputError } from '../app/errors.ts';

export const INSTANT_KEYS = ['at', 'until', 'appointment', 'expectedAt', 'effectiveAt'] as const;

export const instant = z
  .union([z.string().min(1).max(64), z.number().int().min(-8_640_000_000_000_000).max(8_640_000_000_000_000)])
  .describe('ISO 8601 with offset (2025-03-01T10:00:00+08:00), local "YYYY-MM-DD HH:mm" in the project time zone, or epoch ms');

/** Why a manager registers an event after the fact (补登): required when `at` lies more than the skew before the server's clock. */
export const lateReason = prose(500).trim().min(1).describe('补登原因: why the event is registered after the fact (manager only)');

export const projectParam = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'a project id is 1-64 letters, digits, "-" or "_"');
export const projectParams = z.object({ project: projectParam });
export const idParams = z.object({ project: projectParam, id: text(128, 1) });
export const atQuery = z.object({ at: instant.optional() });

type AnyObject = z.ZodObject<z.ZodRawShape>;
const options = (officeEvent.options as readonly AnyObject[]).map((o) => {
  const patch: Record<string, z.ZodType> = { id: text(128, 1).optional(), at: instant.optional() };
  for (const k of INSTANT_KEYS) {
    const field = o.shape[k];
    if (k === 'at' || !field) continue;
    patch[k] = (field as z.ZodType).safeParse(undefined).success ? instant.optional() : instant;
  }
  return o.extend(patch);
});
export const httpEvent = z.discriminatedUnion('type', options as unknown as [AnyObject, ...AnyObject[]]).describe('An office event (see docs/api.md)');

type InstantKey = (typeof INSTANT_KEYS)[number];
type Instant = z.input<typeof instant>;
/** One office event as POST /events takes it: `id` and `at` optional, its times as instants. */
type HttpEventOf<E> = Omit<E, 'id' | InstantKey> & { id?: string; at?: Instant } & { [K in keyof E as K extends Exclude<InstantKey, 'at'> ? K : never]: Instant | Extract<E[K], undefined> };
/** The body of POST /events as a type (httpEvent's own is lost to the cast above): what the web app records events with. */
export type HttpEventInput = z.input<typeof officeEvent> extends infer E ? (E extends unknown ? HttpEventOf<E> : never) : never;

export const createProjectBody = z.strictObject({
  id: projectParam.optional(),
  name: text(200, 1),
  timezone: text(64, 1).optional(),
  preset: text(64, 1),
  set: z.record(z.string().max(100), z.unknown()).optional(),
});

export const staffBody = z.strictObject({
  id: text(128, 1).optional(),
  at: instant.optional(),
  lateReason: lateReason.optional(),
  staff: text(64, 1),
  name: text(200).optional(),
  team: text(200).optional(),
  role: z.enum(['consultant', 'manager', 'frontdesk', 'channel', 'outreach', 'controller']).optional(),
  agency: text(200).optional(),
});

export const rosterBody = z.strictObject({ id: text(128, 1).optional(), at: instant.optional(), lateReason: lateReason.optional(), order: z.array(text(64, 1)).max(200) });
export const statusBody = z.strictObject({
  id: text(128, 1).optional(),
  at: instant.optional(),
  lateReason: lateReason.optional(),
  staff: text(64, 1),
  state: z.enum(['present', 'busy', 'away-personal', 'away-business', 'sick', 'off']),
  until: instant.optional(),
});
export const policyBody = z.strictObject({
  id: text(128, 1).optional(),
  at: instant.optional(),
  lateReason: lateReason.optional(),
  preset: text(64, 1),
  set: z.record(z.string().max(100), z.unknown()).optional(),
  effectiveAt: instant,
  by: text(64, 1).optional(),
});

export const judgeBody = z.strictObject({
  customer: customerRef,
  party: z.array(customerRef).max(50).optional(),
  says: says.optional(),
  at: instant.optional(),
  purpose: z.enum(['tour', 'deposit', 'sign']).optional(),
  recognizedBy: text(64, 1).optional(),
});

export const whatifBody = z.strictObject({
  preset: text(64, 1),
  set: z.record(z.string().max(100), z.unknown()).optional(),
  at: instant.optional(),
});

// -------------------------------------------------------------- deals and money (deals.ts)

export const proposal = z.strictObject({
  /** The deal's id (a new one is made when absent). */
  deal: text(128, 1).optional(),
  /** The event id, for a safe retry. */
  id: text(128, 1).optional(),
  customers: z.array(customerRef).min(1).max(10),
  /** Who closed it; a consultant closes as themselves (default: the caller's staff id). */
  closedBy: text(64, 1).optional(),
  stage: z.enum(['deposit', 'contract']).default('deposit'),
  unit: text(200, 1),
  price: money,
});

export const stageBody = z.strictObject({ id: text(128, 1).optional(), price: money.optional(), unit: text(200, 1).optional() });
export const cancelBody = z.strictObject({ id: text(128, 1).optional(), reason: prose(2000).trim().min(1) });
export const confirmBody = z.strictObject({ id: text(128, 1).optional(), reason: prose(2000).trim().min(1).default('经理确认业绩与佣金分配'), by: text(64, 1).optional() });
export const correctBody = z.strictObject({
  id: text(128, 1).optional(),
  set: z.strictObject({ price: money.optional(), unit: text(200, 1).optional(), closedBy: text(64, 1).optional() }).refine((s) => Object.keys(s).length > 0, { message: 'correct at least one of price, unit, closedBy' }),
  reason: prose(2000).trim().min(1),
  by: text(64, 1).optional(),
});
export const ratesBody = z.strictObject({
  id: text(128, 1).optional(),
  commission: z.strictObject({ roles: z.partialRecord(z.enum(['consultant', 'manager', 'frontdesk', 'channel', 'outreach', 'controller']), rate).optional(), agencies: z.record(text(200, 1), rate).optional() }),
  effectiveAt: instant.optional(),
  lateReason: lateReason.optional(),
});

// -------------------------------------------------------------- the pool (people.ts), reminders (disputes.ts)

export const claimBody = z.strictObject({
  /** As the pool shows it (138****5678). */
  phone: z.string().min(1).max(64),
  ref: z.string().max(128),
});

export const readBody = z.strictObject({ ids: z.array(z.string().min(1).max(300)).max(500).optional(), all: z.boolean().optional() });

export const eventsQuery = z.object({
  afterSeq: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?)?/;

/** Month 1-12, hour 0-23, minute and second 0-59 (parseLocalTime itself lets month 13 roll over into January). */
function wallClockInRange(text: string): boolean {
  const m = WALL.exec(text.trim());
  if (!m) return true;
  const [, , mo, , h, mi, sec] = m.map((x) => (x === undefined ? undefined : Number(x)));
  return mo! >= 1 && mo! <= 12 && (h ?? 0) <= 23 && (mi ?? 0) <= 59 && (sec ?? 0) <= 59;
}

/** Reads an instant field in the project's zone; a bad value is a 400 naming the field. */
export function toInstant(value: unknown, timezone: string, field: string): number | undefined {
  if (value === undefined) return undefined;
  let ms: number | undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) ms = value;
  else if (typeof value === 'string' && wallClockInRange(value)) ms = parseLocalTime(value, timezone);
  if (ms !== undefined && Number.isFinite(ms)) {
    // A year 0001 (read as 1901 by Date), 275760 or epoch 0 is a typo or an attack, and would haunt every card that shows it.
    if (inInstantRange(ms)) return ms;
    throw new InvalidInputError(field, `time out of range: ${JSON.stringify(value).slice(0, 80)} (an office records times ${INSTANT_RANGE_TEXT})`, 'invalid-time');
  }
  throw new InvalidInputError(field, `not a time: ${JSON.stringify(value).slice(0, 80)} (ISO 8601 with offset, "YYYY-MM-DD HH:mm" or epoch ms)`, 'invalid-time');
}

/** An HTTP event with its times read in the project's zone (a correction's `set` too). */
export function eventTimes(body: Record<string, unknown>, timezone: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  for (const k of INSTANT_KEYS) if (out[k] !== undefined) out[k] = toInstant(out[k], timezone, k);
  if (out.type === 'correction' && typeof out.set === 'object' && out.set !== null && !Array.isArray(out.set)) {
    const set: Record<string, unknown> = { ...(out.set as Record<string, unknown>) };
    for (const k of INSTANT_KEYS) if (set[k] !== undefined) set[k] = toInstant(set[k], timezone, `set.${k}`);
    out.set = set;
  }
  return out;
}
