// Memory bounded by configuration (GUISHU_WARM_PROJECTS): a process holds at
// most that many projects; the one idle longest leaves memory (its checkpoint
// saved first) and comes back from its checkpoint on its next request,
// answering exactly as a process that never let it go.
import { afterAll, describe, expect, it } from 'vitest';
import { GuishuApp } from '../../src/app/office.ts';
import { cleanup, officeWithStaff, open, TARGETS } from '../ops/helpers.ts';

afterAll(cleanup);

const T0 = Date.parse('2025-03-03T10:00:00+08:00');
const PROJECTS = ['p1', 'p2', 'p3', 'p4'];

describe.each(TARGETS)('warm-project limit on $name', (target) => {
  it.skipIf(target.skipReason !== null)('with a limit of 2 and 4 projects touched in turn, at most 2 are held; an evicted project answers the same when it comes back', async () => {
    const store = await open(target.freshConfig());
    for (const id of PROJECTS) await officeWithStaff(store, id);
    let clock = T0;
    const app = new GuishuApp({ store, now: () => clock, warmProjects: 2, checkpointEvery: 1000 });
    // Each project: its rotation and a few visits (a different customer count per project).
    for (const [i, id] of PROJECTS.entries()) {
      await app.recordEvent(id, { type: 'duty', order: ['gw01', 'gw02', 'gw03'] } as never);
      for (let k = 0; k <= i + 2; k++) {
        const r = await app.recordEvent(id, { type: 'visit', customer: { phone: `1390000${i}${String(k).padStart(3, '0')}`, name: `客户${i}-${k}` }, says: { firstVisit: true } } as never);
        expect(r.status).toBe('accepted');
        clock += 60_000;
      }
      expect(app.heldProjects().length).toBeLessThanOrEqual(2);
    }
    // A reference process without a limit: what every project answers.
    const reference = new GuishuApp({ store, now: () => clock, checkpointEvery: 0 });
    const answers = async (a: GuishuApp, id: string, i: number) => ({
      judge: await a.judge(id, { phone: `1390000${i}001`, at: clock }),
      card: await a.customer(id, `1390000${i}000`, clock),
      rotation: await a.rotation(id, clock),
    });
    const expected = new Map<string, unknown>();
    for (const [i, id] of PROJECTS.entries()) expected.set(id, await answers(reference, id, i));

    // Touch all four in turn, twice: each comes back after the two others pushed it out.
    for (let round = 0; round < 2; round++) {
      for (const [i, id] of PROJECTS.entries()) {
        expect(await answers(app, id, i)).toEqual(expected.get(id));
        const held = app.heldProjects();
        expect(held.length).toBeLessThanOrEqual(2);
        expect(held.at(-1)).toBe(id); // the one just used is the most recent
      }
    }
    expect(app.stats.evicted).toBeGreaterThanOrEqual(6);
    // They came back from their checkpoints (saved as they left), not from a replay of the log.
    expect(app.stats.restored).toBeGreaterThanOrEqual(6);

    // A write to an evicted project lands on the state it left with.
    const back = await app.recordEvent('p1', { type: 'visit', customer: { phone: '13900000000', name: '客户0-0' } } as never);
    expect(back.status).toBe('accepted');
    expect((await app.customer('p1', '13900000000', clock)).visits).toBe(2);
    expect(app.heldProjects().length).toBeLessThanOrEqual(2);
  });
});
