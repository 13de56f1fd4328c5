// What-if replays the log under another policy without keeping its events,
// unless a correction in the log needs them. Either way its answer must be the
// one a timeline that keeps every event (and checks every id) gives.
import { afterAll, describe, expect, it } from 'vitest';
import { GuishuApp } from '../../src/app/office.ts';
import { ownerOf, Timeline } from '../../src/domain/engine/index.ts';
import { decodeWireEvent } from '../../src/domain/wire.ts';
import { importTimeline } from '../../src/ops/import-timeline.ts';
import { checkPolicy, policyOfEvent } from '../../src/app/policy.ts';
import type { OfficeEvent } from '../../src/domain/events.ts';
import { fromStored } from '../../src/app/codec.ts';
import { NO_PROGRESS, TARGETS, cleanup, open, timelineFile } from '../ops/helpers.ts';

afterAll(cleanup);

const AT = Date.parse('2026-01-05T02:00:00Z');
const OTHER = 'sales-dept-first-visit';

describe.each(TARGETS)('what-if on $name', (target) => {
  it.skipIf(target.skipReason !== null)('answers as a replay that keeps every event, with and without a correction in the log', async () => {
    const { file, lines } = timelineFile();
    const store = await open(target.freshConfig());
    await importTimeline(store, { file, project: 'p1', progress: NO_PROGRESS });
    const app = new GuishuApp({ store, checkpointEvery: 0 });

    const reference = async () => {
      const policy = checkPolicy(OTHER, undefined);
      const t = new Timeline({ timezone: 'Asia/Shanghai', policy: { ...policy, effectiveAt: Number.NEGATIVE_INFINITY }, keepHistory: 'events', resolvePolicy: policyOfEvent });
      for await (const row of store.readEvents('p1', { fromSeq: 2 })) {
        const e = fromStored(row);
        if (e.type !== 'policy') t.apply(e);
      }
      return new Map([...t.state.customers.keys()].map((phone) => [phone, ownerOf(t.state, phone, AT).owner ?? 'none']));
    };
    const check = async () => {
      const answer = await app.whatIf('p1', { preset: OTHER, at: AT });
      const expected = await reference();
      expect(answer.customers.length).toBeGreaterThan(0);
      for (const c of answer.customers) expect(c.after.owner, c.phone).toBe(expected.get(c.phone) ?? 'none');
      return answer;
    };

    await check();
    // A correction: the what-if replays with the events kept and still agrees.
    const visit = lines.slice(1).map((l, i) => decodeWireEvent(l, i + 2)).find((e): e is Extract<OfficeEvent, { type: 'visit' }> => e.type === 'visit')!;
    const corrected = await app.recordEvent('p1', { type: 'correction', of: visit.id, by: 'jl01', set: { customer: { phone: '13900000001' } }, reason: '登记号码有误', at: AT } as never);
    expect(corrected.status).toBe('accepted');
    const after = await check();
    // Replayed without its events, the correction would be refused (unknown-event) and listed as a changed refusal.
    expect(after.rejections.find((r) => r.id === corrected.id)).toBeUndefined();
    expect((await reference()).has('13900000001')).toBe(true);
    await store.close();
  });
});
