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
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new WireError(line, field, `not a time: ${JSON.stringify(value)}`);
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
