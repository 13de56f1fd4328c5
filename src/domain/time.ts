// Local time for an office. Every rule that says "N days" counts local
// calendar days in the office's time zone (Asia/Shanghai by default); the
// zone arithmetic comes from @date-fns/tz, never a hand-written offset.
import { TZDate, tzOffset } from '@date-fns/tz';

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';
const MS_PER_DAY = 86_400_000;
const OFFSET_BUCKET_MS = 15 * 60_000; // zone offsets change on quarter-hour boundaries at the finest

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Offsets are looked up once per UTC day per zone: replaying a million events
 * must not ask the zone database a million times. A day whose offset is the
 * same at both ends has it throughout (zones change offset at most a few times
 * a year); a transition day is answered per quarter hour.
 */
const offsetCache = new Map<string, Map<number, number>>();
const OFFSET_VARIES = Number.NaN;
/** The last day answered (events come in time order: most lookups ask the same day again). */
let lastOffsetZone: string | undefined;
let lastOffsetDay = Number.NaN;
let lastOffset = 0;
/** The zone's offset throughout UTC day `day` (days since the epoch), or NaN when it changes that day. */
function offsetOfUtcDay(timezone: string, day: number): number {
  let zone = offsetCache.get(timezone);
  if (!zone) offsetCache.set(timezone, (zone = new Map()));
  let minutes = zone.get(day);
  if (minutes === undefined) {
    const start = tzOffset(timezone, new Date(day * MS_PER_DAY));
    const end = tzOffset(timezone, new Date((day + 1) * MS_PER_DAY - 1));
    minutes = start === end ? start : OFFSET_VARIES;
    if (zone.size > 200_000) zone.clear();
    zone.set(day, minutes);
  }
  return minutes;
}

function offsetMinutes(timezone: string, ms: number): number {
  const day = Math.floor(ms / MS_PER_DAY);
  if (day === lastOffsetDay && timezone === lastOffsetZone) return lastOffset;
  const minutes = offsetOfUtcDay(timezone, day);
  if (!Number.isNaN(minutes)) {
    lastOffsetZone = timezone;
    lastOffsetDay = day;
    lastOffset = minutes;
    return minutes;
  }
  return tzOffset(timezone, new Date(Math.floor(ms / OFFSET_BUCKET_MS) * OFFSET_BUCKET_MS));
}

export function isValidTimezone(timezone: string): boolean {
  return !Number.isNaN(tzOffset(timezone, new Date(0)));
}

/**
 * Reads a wall-clock time as people write it in the office ("2024-07-03 09:35",
 * a date alone means 00:00) or an ISO instant with an offset. Returns epoch ms,
 * or undefined when the text is not a time.
 */
export function parseLocalTime(text: string, timezone: string): number | undefined {
  const m = LOCAL_TIME.exec(text.trim());
  if (m) {
    const [, y, mo, d, h, mi, s] = m;
    if (Number(mo) < 1 || Number(mo) > 12 || Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59) return undefined;
    const date = new TZDate(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), timezone);
    const ms = date.getTime();
    // Reject rolled-over dates such as 2024-02-31.
    return Number.isNaN(ms) || new TZDate(ms, timezone).getDate() !== Number(d) ? undefined : ms;
  }
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text.trim())) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** The local calendar day of an instant, as a day number (days since 1970-01-01 local). */
export function localDay(ms: number, timezone: string): number {
  return Math.floor((ms + offsetMinutes(timezone, ms) * 60_000) / MS_PER_DAY);
}

const dayStartCache = new Map<string, Map<number, number>>();

let lastStartZone: string | undefined;
let lastStartDay = Number.NaN;
let lastStart = 0;

/** The instant a local day starts (memoised per zone: protection ends are asked for on every lookup). */
export function startOfLocalDay(day: number, timezone: string): number {
  if (day === lastStartDay && timezone === lastStartZone) return lastStart;
  let zone = dayStartCache.get(timezone);
  if (!zone) dayStartCache.set(timezone, (zone = new Map()));
  let start = zone.get(day);
  if (start === undefined) {
    // Local midnight falls within the UTC days day-1 and day (offsets are under a day). Where the zone keeps one
    // whole-minute offset through both, midnight is the day less that offset; else the zone's calendar decides.
    const offset = offsetOfUtcDay(timezone, day);
    if (Number.isInteger(offset) && offsetOfUtcDay(timezone, day - 1) === offset) {
      start = day * MS_PER_DAY - offset * 60_000;
    } else {
      const utc = new Date(day * MS_PER_DAY);
      start = new TZDate(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), 0, 0, 0, timezone).getTime();
    }
    if (zone.size > 100_000) zone.clear();
    zone.set(day, start);
  }
  lastStartZone = timezone;
  lastStartDay = day;
  lastStart = start;
  return start;
}

/**
 * The last instant of protection that covers local days 0..N after `startDay`:
 * "15 days" from a registration on day 0 protects through the end of day 15.
 */
export function endOfPeriod(startDay: number, days: number, timezone: string): number {
  return startOfLocalDay(startDay + days + 1, timezone) - 1;
}

/** The last instant a zone's offset can still be added to in a Date (8.64e15 less two days). */
const LAST_SHOWABLE = 8.64e15 - 2 * MS_PER_DAY;

/** "YYYY-MM-DD HH:mm" in the office's zone. */
export function formatLocalTime(ms: number, timezone: string): string {
  // A time beyond what a Date holds (stored before times were range-checked) is shown at the limit, not as NaN.
  const d = new TZDate(Number.isNaN(ms) ? LAST_SHOWABLE : Math.max(-LAST_SHOWABLE, Math.min(LAST_SHOWABLE, ms)), timezone);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function formatLocalDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * The local day of an instant, counted as the next day from `cutoffMinute`
 * (minutes after local midnight) on: `localDay`, plus one when
 * `localMinuteOfDay` ≥ the cut-off, with the zone asked once.
 */
export function localDayFromCutoff(ms: number, timezone: string, cutoffMinute: number): number {
  const local = ms + offsetMinutes(timezone, ms) * 60_000;
  const day = Math.floor(local / MS_PER_DAY);
  return Math.floor((((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / 60_000) >= cutoffMinute ? day + 1 : day;
}

/** Minutes since local midnight (for a daily cut-off such as 18:00). */
export function localMinuteOfDay(ms: number, timezone: string): number {
  const local = ms + offsetMinutes(timezone, ms) * 60_000;
  return Math.floor((((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / 60_000);
}
