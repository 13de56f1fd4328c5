import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECORD_TIME, isLate, timeOfRecord } from './time-of-record.ts';

const NOW = Date.parse('2026-03-02T02:00:00Z');
const { aheadMs, behindMs } = DEFAULT_RECORD_TIME;

describe('time of record', () => {
  it('no `at`: the server’s clock', () => {
    expect(timeOfRecord({ at: undefined, now: NOW, recorder: 'staff' })).toEqual({ ok: true, at: NOW, late: false });
  });

  it('the skew’s edges: 2 minutes ahead and 10 behind stand, one ms past them does not', () => {
    expect(timeOfRecord({ at: NOW + aheadMs, now: NOW, recorder: 'staff' })).toMatchObject({ ok: true, late: false });
    expect(timeOfRecord({ at: NOW + aheadMs + 1, now: NOW, recorder: 'manager', lateReason: 'x' })).toMatchObject({ ok: false, refusal: { code: 'at-in-future', field: 'at' } });
    expect(timeOfRecord({ at: NOW - behindMs, now: NOW, recorder: 'staff' })).toMatchObject({ ok: true, late: false });
    expect(timeOfRecord({ at: NOW - behindMs - 1, now: NOW, recorder: 'staff' })).toMatchObject({ ok: false, refusal: { code: 'at-outside-window', field: 'at' } });
    expect(timeOfRecord({ at: NOW - behindMs - 1, now: NOW, recorder: 'manager', lateReason: '  ' })).toMatchObject({ ok: false, refusal: { code: 'late-reason-required', field: 'lateReason' } });
    expect(timeOfRecord({ at: NOW - behindMs - 1, now: NOW, recorder: 'manager', lateReason: ' 纸质补录 ' })).toEqual({ ok: true, at: NOW - behindMs - 1, late: true, lateReason: '纸质补录' });
  });

  it('property: nothing accepted lies past the skew ahead; staff never record late; a late event always carries its reason', () => {
    fc.assert(
      fc.property(fc.integer({ min: -400 * 86_400_000, max: 400 * 86_400_000 }), fc.constantFrom('staff' as const, 'manager' as const), fc.option(fc.string({ maxLength: 8 }), { nil: undefined }), (offset, recorder, lateReason) => {
        const r = timeOfRecord({ at: NOW + offset, now: NOW, recorder, lateReason });
        if (!r.ok) return;
        expect(r.at).toBeLessThanOrEqual(NOW + aheadMs);
        if (recorder === 'staff') expect(r.late).toBe(false);
        if (r.late) expect(r.lateReason?.trim()).toBeTruthy();
        expect(r.late).toBe(isLate(r.at, NOW));
      }),
    );
  });
});
