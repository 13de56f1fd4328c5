// The rotation's turns today (the front desk's 今日轮次, the board's 已接, the
// consultant's 今日轮次) count only the project's local day — not every turn
// since the project began — and a process restarted from a checkpoint or from
// the whole log answers the same.
import { afterAll, describe, expect, it } from 'vitest';
import { GuishuApp } from '../../src/app/office.ts';
import { cleanup, officeWithStaff, open, tempDir } from '../ops/helpers.ts';

afterAll(cleanup);

// Asia/Shanghai (the project's zone): 07:30 local is still the previous day in UTC.
const DAY1 = Date.parse('2025-03-03T10:00:00+08:00');
const DAY2_EARLY = Date.parse('2025-03-04T07:30:00+08:00'); // 2025-03-03T23:30Z
const DAY2 = Date.parse('2025-03-04T10:00:00+08:00');

describe('turns today', () => {
  it('counts the local day of the question, not the month', async () => {
    const dataDir = tempDir('turns');
    const store = await open({ kind: 'sqlite', dataDir });
    await officeWithStaff(store);
    let clock = DAY1;
    const app = new GuishuApp({ store, now: () => clock, checkpointEvery: 3 });
    const visit = async (phone: string) => {
      const r = await app.recordEvent('p1', { type: 'visit', customer: { phone, name: '客户' }, says: { firstVisit: true } } as never);
      expect(r.status).toBe('accepted');
    };
    await app.recordEvent('p1', { type: 'duty', order: ['gw01', 'gw02', 'gw03'] } as never);
    for (const p of ['13900000001', '13900000002', '13900000003', '13900000004']) {
      await visit(p);
      clock += 60_000;
    }
    const day1 = await app.rotation('p1');
    expect(day1.turnsToday).toEqual({ gw01: 2, gw02: 1, gw03: 1 });
    expect(day1.turns).toEqual({ gw01: 2, gw02: 1, gw03: 1 });

    // The next morning, before anyone is received (and before midnight UTC ends): nothing today yet.
    clock = DAY2_EARLY;
    expect((await app.rotation('p1')).turnsToday).toEqual({});
    clock = DAY2;
    await app.recordEvent('p1', { type: 'duty', order: ['gw02', 'gw03', 'gw01'] } as never);
    await visit('13900000005');
    const day2 = await app.rotation('p1');
    expect(day2.turnsToday).toEqual({ gw02: 1 });
    expect(day2.turns).toEqual({ gw01: 2, gw02: 2, gw03: 1 }); // the fairness ledger keeps counting
    // Asked about yesterday: yesterday's turns.
    expect((await app.rotation('p1', DAY1 + 3_600_000)).turnsToday).toEqual({ gw01: 2, gw02: 1, gw03: 1 });
    await app.checkpointAll();

    // A restart from the checkpoint, and one from the whole log, answer the same.
    for (const checkpointEvery of [3, 0]) {
      const again = new GuishuApp({ store, now: () => clock, checkpointEvery });
      expect((await again.rotation('p1')).turnsToday).toEqual({ gw02: 1 });
      expect((await again.rotation('p1', DAY1 + 3_600_000)).turnsToday).toEqual({ gw01: 2, gw02: 1, gw03: 1 });
    }
  });
});
