// Times a person reads are in the project's time zone — not UTC, not the
// browser's zone, not a zone written into the code.
import { afterEach, describe, expect, it } from 'vitest';
import { daysBetween, DEFAULT_ZONE, localDate, localDateTime, localTime, projectZone, setProjectZone } from './format.ts';

afterEach(() => setProjectZone(null));

// 07:46 UTC: 15:46 in Shanghai, 23:46 the evening before in Los Angeles (PST).
const AT = '2025-03-04T07:46:05.000Z';

describe('time formatting in the project zone', () => {
  it('defaults to the server default zone until the project is known', () => {
    expect(projectZone()).toBe(DEFAULT_ZONE);
    expect(localTime(AT)).toBe('2025-03-04 15:46');
    expect(localTime(AT, false)).toBe('15:46');
    expect(localDateTime(AT)).toBe('2025-03-04 15:46:05');
    expect(localDate(AT)).toBe('2025-03-04');
  });

  it("follows the project's zone once set", () => {
    setProjectZone('America/Los_Angeles');
    expect(localTime(AT)).toBe('2025-03-03 23:46');
    expect(localTime(AT, false)).toBe('23:46');
    expect(localDateTime(AT)).toBe('2025-03-03 23:46:05');
    expect(localDate(AT)).toBe('2025-03-03');
    // Calendar days count the project's dates: 23:46 and 00:10 the next local day are one day apart.
    expect(daysBetween(AT, '2025-03-04T08:10:00Z')).toBe(1);
    expect(daysBetween(AT, '2025-03-04T08:10:00Z', 'Asia/Shanghai')).toBe(0);
  });

  it('takes an explicit zone over the project one, and ignores an unknown zone', () => {
    setProjectZone('Europe/London');
    expect(localTime(AT, true, 'Asia/Shanghai')).toBe('2025-03-04 15:46');
    expect(localTime(AT)).toBe('2025-03-04 07:46');
    setProjectZone('Mars/Olympus_Mons');
    expect(projectZone()).toBe(DEFAULT_ZONE);
  });

  it('shows nothing for a missing or unreadable time', () => {
    expect(localTime(null)).toBe('');
    expect(localTime('not a time')).toBe('');
    expect(localDateTime(undefined)).toBe('');
  });
});
