import { TZDate } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEZONE, endOfPeriod, formatLocalTime, localDay, localDayFromCutoff, localMinuteOfDay, parseLocalTime, startOfLocalDay } from './time.ts';

const SH = DEFAULT_TIMEZONE;
const NY = 'America/New_York';
const HOUR = 3_600_000;

describe('parseLocalTime', () => {
  it('reads an office wall-clock time in Asia/Shanghai (UTC+8, no DST)', () => {
    expect(SH).toBe('Asia/Shanghai');
    expect(parseLocalTime('2024-07-03 09:35', SH)).toBe(Date.UTC(2024, 6, 3, 1, 35));
    expect(parseLocalTime('2024-07-03T09:35', SH)).toBe(Date.UTC(2024, 6, 3, 1, 35));
    expect(parseLocalTime('2024-07-03 09:35:20', SH)).toBe(Date.UTC(2024, 6, 3, 1, 35, 20));
    // A date alone is local midnight, which is the previous day in UTC.
    expect(parseLocalTime('2024-07-03', SH)).toBe(Date.UTC(2024, 6, 2, 16, 0));
  });

  it('accepts an ISO instant with an offset, whatever the office zone', () => {
    expect(parseLocalTime('2024-07-03T09:35:00+08:00', SH)).toBe(Date.UTC(2024, 6, 3, 1, 35));
    expect(parseLocalTime('2024-07-03T01:35:00Z', SH)).toBe(Date.UTC(2024, 6, 3, 1, 35));
    expect(parseLocalTime('2024-07-03T01:35:00Z', NY)).toBe(Date.UTC(2024, 6, 3, 1, 35));
  });

  it.each(['2024-02-31 10:00', '2023-02-29 10:00', '2024-04-31', '2024-07-03 25:00', '2024-7-3 09:35', 'yesterday', ''])('refuses %j', (text) => {
    expect(parseLocalTime(text, SH)).toBeUndefined();
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseLocalTime('2024-02-29 10:00', SH)).toBe(Date.UTC(2024, 1, 29, 2, 0));
  });

  it('round-trips through formatLocalTime', () => {
    expect(formatLocalTime(parseLocalTime('2025-12-31 23:59', SH)!, SH)).toBe('2025-12-31 23:59');
  });
});

describe('local days', () => {
  it('changes at local midnight, not UTC midnight', () => {
    const before = parseLocalTime('2024-07-03 23:59', SH)!;
    const after = parseLocalTime('2024-07-04 00:00', SH)!;
    expect(localDay(after, SH) - localDay(before, SH)).toBe(1);
    // 07:59 in Shanghai is 23:59 UTC the day before: still the same local day as 00:01.
    expect(localDay(parseLocalTime('2024-07-03 07:59', SH)!, SH)).toBe(localDay(parseLocalTime('2024-07-03 00:01', SH)!, SH));
    expect(localDay(parseLocalTime('2024-07-03 08:00', SH)!, SH)).toBe(localDay(before, SH));
    expect(localMinuteOfDay(parseLocalTime('2024-07-03 18:00', SH)!, SH)).toBe(18 * 60);
  });

  it('an N-day period covers local days 0..N: endOfPeriod is the last millisecond of day N', () => {
    const start = localDay(parseLocalTime('2025-03-01 10:00', SH)!, SH);
    const end = endOfPeriod(start, 15, SH);
    expect(end).toBe(parseLocalTime('2025-03-17 00:00', SH)! - 1);
    expect(formatLocalTime(end, SH)).toBe('2025-03-16 23:59');
    expect(localDay(end, SH)).toBe(start + 15);
    expect(localDay(end + 1, SH)).toBe(start + 16);
    expect(endOfPeriod(start, 0, SH)).toBe(parseLocalTime('2025-03-02 00:00', SH)! - 1);
    expect(startOfLocalDay(start, SH)).toBe(parseLocalTime('2025-03-01 00:00', SH));
  });
});

describe('a zone with daylight saving (America/New_York)', () => {
  // 2024-03-10 02:00 EST → 03:00 EDT; 2024-11-03 02:00 EDT → 01:00 EST.
  it('reads wall-clock times on either side of the spring transition with their own offsets', () => {
    expect(parseLocalTime('2024-03-10 01:30', NY)).toBe(Date.UTC(2024, 2, 10, 6, 30));
    expect(parseLocalTime('2024-03-10 03:30', NY)).toBe(Date.UTC(2024, 2, 10, 7, 30));
    expect(parseLocalTime('2024-07-03 09:35', NY)).toBe(Date.UTC(2024, 6, 3, 13, 35));
  });

  it('has a 23-hour and a 25-hour local day, and periods end at local midnight across them', () => {
    const spring = localDay(parseLocalTime('2024-03-10 12:00', NY)!, NY);
    expect(startOfLocalDay(spring + 1, NY) - startOfLocalDay(spring, NY)).toBe(23 * HOUR);
    const autumn = localDay(parseLocalTime('2024-11-03 12:00', NY)!, NY);
    expect(startOfLocalDay(autumn + 1, NY) - startOfLocalDay(autumn, NY)).toBe(25 * HOUR);

    const start = localDay(parseLocalTime('2024-03-09 10:00', NY)!, NY);
    expect(endOfPeriod(start, 1, NY)).toBe(Date.UTC(2024, 2, 11, 4, 0) - 1); // midnight EDT
    expect(endOfPeriod(start, 0, NY)).toBe(Date.UTC(2024, 2, 10, 5, 0) - 1); // midnight EST
    expect(formatLocalTime(endOfPeriod(start, 1, NY), NY)).toBe('2024-03-10 23:59');
  });

  it('counts the local day and minute with the offset in force at the instant', () => {
    const lateEst = Date.UTC(2024, 2, 10, 6, 59); // 01:59 EST
    const earlyEdt = Date.UTC(2024, 2, 10, 7, 0); // 03:00 EDT
    expect(localMinuteOfDay(lateEst, NY)).toBe(1 * 60 + 59);
    expect(localMinuteOfDay(earlyEdt, NY)).toBe(3 * 60);
    expect(localDay(Date.UTC(2024, 2, 11, 3, 59), NY)).toBe(localDay(lateEst, NY));
    expect(localDay(Date.UTC(2024, 2, 11, 4, 0), NY)).toBe(localDay(lateEst, NY) + 1);
  });
});

describe('local midnight without a calendar per day', () => {
  // startOfLocalDay takes midnight as the day less the zone's offset where the offset holds through the UTC days around it,
  // and asks the zone's calendar (TZDate) otherwise: both must agree on every day, transitions and historical offsets included.
  const startsAsTZDateSays = (zone: string, from: number, to: number) => {
    const wrong: string[] = [];
    for (let day = Math.floor(from / 86_400_000); day <= Math.floor(to / 86_400_000); day++) {
      const utc = new Date(day * 86_400_000);
      const want = new TZDate(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), 0, 0, 0, zone).getTime();
      if (startOfLocalDay(day, zone) !== want) wrong.push(utc.toISOString().slice(0, 10));
    }
    return wrong;
  };
  // DST at 02:00, a 30-minute DST, DST at midnight, a day skipped (Apia, 2011-12-30), a half-hour zone.
  it.each([NY, 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Beirut', 'Pacific/Apia', 'Asia/Kolkata'])('%s: every day from 1975 to 2040 starts where TZDate says', (zone) => {
    expect(startsAsTZDateSays(zone, Date.UTC(1975, 0, 1), Date.UTC(2040, 0, 1))).toEqual([]);
  });
  it('Asia/Shanghai from local mean time (+08:05:43) to +08:00 in 1901, and China\'s DST of 1986–1991', () => {
    expect(startsAsTZDateSays(SH, Date.UTC(1899, 0, 1), Date.UTC(1903, 0, 1))).toEqual([]);
    expect(startsAsTZDateSays(SH, Date.UTC(1985, 0, 1), Date.UTC(1992, 0, 1))).toEqual([]);
  });

  it('the business day after a cut-off is the local day, plus one from the cut-off minute on', () => {
    for (const zone of [SH, NY]) {
      for (let t = Date.UTC(2024, 2, 9); t < Date.UTC(2024, 2, 12); t += 7 * 60_000) {
        for (const cutoff of [0, 17 * 60 + 30, 18 * 60, 24 * 60]) {
          expect(localDayFromCutoff(t, zone, cutoff)).toBe(localDay(t, zone) + (localMinuteOfDay(t, zone) >= cutoff ? 1 : 0));
        }
      }
    }
  });
});
