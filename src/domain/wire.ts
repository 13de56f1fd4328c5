// The NDJSON timeline: one office event per line, as `guishu generate` writes
// and `guishu import-timeline`, backups and benchmarks read. Instants are ISO
// 8601 with an offset (readable) or epoch ms (compact); both are accepted.
import { type OfficeEvent, officeEvent } from './events.ts';

const INSTANT_FIELDS = ['at', 'until', 'appointment', 'expectedAt', 'effectiveAt'] as const;

export class WireError extends Error {
  constructor(
    readonly line: number,
    readonly field: string,
    message: string,
  ) {
    super(`line ${line}: ${field}: ${message}`);
  }
}

function toInstant(value: unknown, line: number, field: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const ms = parseIsoOffset(value) ?? Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new WireError(line, field, `not a time: ${JSON.stringify(value)}`);
}

/**
 * The instant of `YYYY-MM-DDTHH:MM:SS±HH:MM` (or `…Z`), the form encodeWireEvent
 * writes, without Date.parse (a third of a trusted decode's time); undefined for
 * anything else, which Date.parse then reads. Same result as Date.parse.
 */
function parseIsoOffset(text: string): number | undefined {
  const n = text.length;
  if (n !== 25 && n !== 20) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  let offset = 0;
  const sign = text.charCodeAt(19);
  if (n === 20) {
    if (sign !== 90) return undefined; // Z
  } else {
    if ((sign !== 43 && sign !== 45) || text.charCodeAt(22) !== 58) return undefined;
    const oh = digits(text, 20, 2);
    const om = digits(text, 23, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offset = (sign === 43 ? 1 : -1) * (oh * 60 + om);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  // A day past the month's end (02-30) is left to Date.parse, as is anything unusual.
  if (day > 28 && new Date(utc).getUTCDate() !== day) return undefined;
  return utc - offset * 60_000;
}

/** The value of `count` decimal digits at `from`, or -1 if one is not a digit. */
function digits(text: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Decodes one line. `trusted` skips schema validation for logs this system
 * wrote itself (a replay must not pay for re-validating what it validated on
 * the way in); anything from outside is validated and errors name the field.
 */
export function decodeWireEvent(text: string, line: number, trusted = false): OfficeEvent {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new WireError(line, '(json)', (e as Error).message);
  }
  for (const f of INSTANT_FIELDS) if (raw[f] !== undefined) raw[f] = toInstant(raw[f], line, f);
  if (trusted) return raw as unknown as OfficeEvent;
  const parsed = officeEvent.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WireError(line, issue.path.join('.') || '(event)', issue.message);
  }
  return parsed.data;
}

export function encodeWireEvent(event: OfficeEvent, offsetMinutes = 480): string {
  const out: Record<string, unknown> = { ...event };
  for (const f of INSTANT_FIELDS) {
    const v = out[f];
    if (typeof v === 'number') out[f] = isoWithOffset(v, offsetMinutes);
  }
  return JSON.stringify(out);
}

function isoWithOffset(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
