// Engine checkpoints: a process that starts from a checkpoint and the log
// after it must answer and write exactly as one that replayed the whole log;
// a checkpoint that does not fit (another engine, a correction after it) is
// passed over for the log; an erasure takes the checkpoint with it; and the
// cache, which no longer holds the events, still recognises an old repeat.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GuishuApp } from '../../src/app/office.ts';
import type { OfficeEvent } from '../../src/domain/events.ts';
import { decodeWireEvent } from '../../src/domain/wire.ts';
import { importTimeline } from '../../src/ops/import-timeline.ts';
import type { EventStore } from '../../src/store/index.js';
import { NO_PROGRESS, TARGETS, cleanup, open, strip, tempDir, timelineFile } from './helpers.ts';

afterAll(cleanup);

/** What a front desk and a manager would ask of a project: compared between processes. */
async function answers(app: GuishuApp, phones: readonly string[]) {
  const out: unknown[] = [];
  for (const phone of phones) {
    out.push(await app.judge('p1', { phone, at: Date.parse('2026-01-05T02:00:00Z') }));
    // When each process wrote the events differs (recorded-at); what they answer does not.
    const card = await app.customer('p1', phone, Date.parse('2026-01-05T02:00:00Z'));
    out.push({ ...card, timeline: card.timeline.map(({ recordedAt: _r, recordedLocal: _l, ...entry }) => entry) });
  }
  out.push(await app.reports('p1', Date.parse('2026-01-05T02:00:00Z')));
  out.push(await app.deals('p1'));
  out.push(await app.rotation('p1', Date.parse('2026-01-05T02:00:00Z')));
  return out;
}

function phonesOf(events: readonly OfficeEvent[], n: number): string[] {
  const out = new Set<string>();
  for (const e of events) {
    const c = (e as { customer?: { phone?: string } }).customer;
    if (c?.phone && /^1\d{10}$/.test(c.phone)) out.add(c.phone);
    if (out.size >= n) break;
  }
  return [...out];
}

describe.each(TARGETS)('checkpoints on $name', (target) => {
  it.skipIf(target.skipReason !== null)('a restart from a checkpoint answers and writes as a full replay does', async () => {
    const { lines } = timelineFile();
    const cut = Math.floor(lines.length * 0.6);
    const headFile = join(tempDir('ckpt'), 'head.ndjson');
    writeFileSync(headFile, lines.slice(0, cut).join('\n') + '\n');
    const tail = lines.slice(cut).map((l, i) => decodeWireEvent(l, cut + i + 1));
    const all = lines.slice(1).map((l, i) => decodeWireEvent(l, i + 2));
    const phones = phonesOf(all, 25);

    // The reference: a store whose processes never read or write checkpoints.
    const plainStore = await open(target.freshConfig());
    await importTimeline(plainStore, { file: headFile, project: 'p1', progress: NO_PROGRESS });
    const plain = new GuishuApp({ store: plainStore, checkpointEvery: 0 });

    const store = await open(target.freshConfig());
    await importTimeline(store, { file: headFile, project: 'p1', progress: NO_PROGRESS });
    // First process: replays the log and saves a checkpoint after it.
    const first = new GuishuApp({ store, checkpointEvery: 1 });
    await first.warm('p1');
    expect(first.stats.checkpoints).toBe(1);
    const saved = await store.loadCheckpoint('p1');
    expect(saved?.seq).toBe(cut);

    // Second process: restores it, answers as the replay does, writes the tail (a checkpoint after each batch).
    const second = new GuishuApp({ store, checkpointEvery: 7 });
    await second.warm('p1');
    expect(second.stats.restored).toBe(1);
    expect(await answers(second, phones)).toEqual(await answers(plain, phones));
    for (const e of tail) {
      const [a, b] = [await second.recordEvent('p1', e), await plain.recordEvent('p1', e)];
      expect(a).toEqual(b);
    }
    expect(second.stats.checkpoints).toBeGreaterThan(2);
    expect(strip(await second.projectionRows('p1'))).toEqual(strip(await plain.projectionRows('p1')));

    // Third process: the latest checkpoint and a short tail.
    const third = new GuishuApp({ store, checkpointEvery: 7 });
    await third.warm('p1');
    expect(third.stats.restored).toBe(1);
    expect(await answers(third, phones)).toEqual(await answers(plain, phones));

    // An old event sent again (not among this process's recent answers): a repeat, found through the store.
    const old = all[Math.floor(all.length / 3)]!;
    const again = await third.recordEvent('p1', old);
    expect(again.repeated).toBe(true);
    await expect(third.recordEvent('p1', { ...old, at: old.at + 60_000 } as OfficeEvent)).rejects.toMatchObject({ code: 'idempotency-conflict' });
    // A what-if replays the log from the store.
    const whatIf = await third.whatIf('p1', { preset: 'standard', set: {}, at: Date.parse('2026-01-05T02:00:00Z') });
    expect(whatIf.customers).toEqual([]);
    expect(await third.whatIf('p1', { preset: 'standard', at: Date.parse('2026-01-05T02:00:00Z') })).toEqual(await plain.whatIf('p1', { preset: 'standard', at: Date.parse('2026-01-05T02:00:00Z') }));
  });

  it.skipIf(target.skipReason !== null)('passes over a checkpoint another engine wrote, or one a correction follows; an erasure drops it', async () => {
    const { file, lines } = timelineFile();
    const all = lines.slice(1).map((l, i) => decodeWireEvent(l, i + 2));
    const phones = phonesOf(all, 10);
    const store: EventStore = await open(target.freshConfig());
    await importTimeline(store, { file, project: 'p1', progress: NO_PROGRESS });
    await new GuishuApp({ store, checkpointEvery: 1 }).warm('p1');
    expect(await store.loadCheckpoint('p1')).toBeDefined();

    // Another engine's checkpoint: ignored, the log replayed (and a new checkpoint saved over it).
    await store.db.updateTable('checkpoints').set({ fingerprint: 'another-engine' }).where('project_id', '=', 'p1').execute();
    const other = new GuishuApp({ store, checkpointEvery: 1 });
    await other.warm('p1');
    expect(other.stats.restored).toBe(0);
    expect((await store.loadCheckpoint('p1'))?.fingerprint).not.toBe('another-engine');

    // A correction recorded by a process that writes no checkpoints: the next start cannot go on from the old one.
    const firstSeen = new Set<string>();
    const visit = all.find((e): e is Extract<OfficeEvent, { type: 'visit' }> => {
      const phone = (e as { customer?: { phone?: string } }).customer?.phone;
      if (phone === undefined || firstSeen.has(phone)) return false;
      firstSeen.add(phone);
      return e.type === 'visit' && e.customer.name !== undefined;
    })!;
    const corrector = new GuishuApp({ store, checkpointEvery: 0 });
    const corrected = await corrector.recordEvent('p1', { type: 'correction', of: visit.id, by: 'jl01', set: { customer: { phone: '13900000001' } }, reason: '登记姓名有误', at: Date.parse('2026-01-05T01:00:00Z') } as never);
    expect(corrected.status).toBe('accepted');
    const after = new GuishuApp({ store, checkpointEvery: 1000 });
    // The visit now names another phone: that customer exists, with the visit's name.
    expect((await corrector.customer('p1', '13900000001')).name).toBe(visit.customer.name);
    expect((await after.customer('p1', '13900000001')).name).toBe(visit.customer.name);
    expect(after.stats.restored).toBe(0);
    expect(await answers(after, phones)).toEqual(await answers(new GuishuApp({ store, checkpointEvery: 0 }), phones));

    // A correction through a process that keeps checkpoints: it replays with the events, then saves one after the correction.
    const keeper = new GuishuApp({ store, checkpointEvery: 1000 });
    await keeper.warm('p1');
    const second = await keeper.recordEvent('p1', { type: 'correction', of: visit.id, by: 'jl01', set: { customer: { phone: '13900000002' } }, reason: '再次核对', at: Date.parse('2026-01-05T01:10:00Z') } as never);
    expect(second.status).toBe('accepted');
    expect((await keeper.customer('p1', '13900000002')).name).toBe(visit.customer.name);
    expect((await store.loadCheckpoint('p1'))?.seq).toBe(second.seq);
    const restarted = new GuishuApp({ store, checkpointEvery: 1000 });
    expect((await restarted.customer('p1', '13900000002')).name).toBe(visit.customer.name);
    expect((await restarted.customer('p1', '13900000001')).status).toBe('none');
    expect(restarted.stats.restored).toBe(1);

    // The checkpoint holds names and phones: erasing a customer drops it.
    const stale = new GuishuApp({ store, checkpointEvery: 1 });
    await stale.warm('p1');
    const erased = phones[0]!;
    expect((await stale.customer('p1', erased)).name).not.toBeNull();
    await restarted.eraseCustomer('p1', erased);
    expect(await store.loadCheckpoint('p1')).toBeUndefined();
    // A process that cached the project before the erasure writes no checkpoint of it, and rebuilds.
    await stale.recordEvent('p1', { type: 'visit', customer: { phone: '13911112222', name: '新客' }, says: { firstVisit: true }, at: Date.parse('2026-01-05T02:00:00Z') } as never);
    expect(await store.loadCheckpoint('p1')).toBeUndefined();
    expect((await stale.customer('p1', erased)).status).toBe('none');
  });

  it.skipIf(target.skipReason !== null)('a checkpoint is saved in parts; a part missing or altered means a full replay with the same answers; an erasure leaves no part', async () => {
    const { file, lines } = timelineFile();
    const phones = phonesOf(lines.slice(1).map((l, i) => decodeWireEvent(l, i + 2)), 10);
    const store: EventStore = await open(target.freshConfig());
    await importTimeline(store, { file, project: 'p1', progress: NO_PROGRESS });
    const reference = await answers(new GuishuApp({ store, checkpointEvery: 0 }), phones);
    const parts = () => store.db.selectFrom('checkpoint_parts').select(['part', 'body']).where('project_id', '=', 'p1').orderBy('part').execute();

    await new GuishuApp({ store, checkpointEvery: 1 }).warm('p1');
    // The core, the projector, the phones' seqs, one shard of customers (this office has fewer than 4,096).
    expect((await parts()).map((r) => Number(r.part))).toEqual([0, 1, 2, 3]);
    const saved = (await store.loadCheckpoint('p1'))!;
    expect(saved.parts).toHaveLength(4);
    expect(saved.body.byteLength).toBe(80 + 8 * 4);
    const restored = new GuishuApp({ store, checkpointEvery: 1 });
    expect(await answers(restored, phones)).toEqual(reference);
    expect(restored.stats.restored).toBe(1);

    // A part missing: refused, the log replayed, the same answers; and a whole checkpoint saved again.
    await store.db.deleteFrom('checkpoint_parts').where('project_id', '=', 'p1').where('part', '=', 2).execute();
    const missing = new GuishuApp({ store, checkpointEvery: 1 });
    expect(await answers(missing, phones)).toEqual(reference);
    expect(missing.stats.restored).toBe(0);
    expect(missing.stats.checkpoints).toBe(1);
    expect((await parts()).map((r) => Number(r.part))).toEqual([0, 1, 2, 3]);

    // A part altered (the customers' shard, one bit): the same.
    const shard = (await parts()).at(-1)!;
    const altered = Buffer.from(shard.body);
    altered[altered.length >> 1]! ^= 0x01;
    await store.db.updateTable('checkpoint_parts').set({ body: altered }).where('project_id', '=', 'p1').where('part', '=', shard.part).execute();
    const corrupt = new GuishuApp({ store, checkpointEvery: 1 });
    expect(await answers(corrupt, phones)).toEqual(reference);
    expect(corrupt.stats.restored).toBe(0);

    // An erasure drops the header and every part.
    await corrupt.eraseCustomer('p1', phones[0]!);
    expect(await store.loadCheckpoint('p1')).toBeUndefined();
    expect(await parts()).toEqual([]);
  });

  it.skipIf(target.skipReason !== null)('the store replaces a checkpoint whole: a failed save leaves the one before, a shorter one leaves no part of a longer, two at once one of them', async () => {
    const store: EventStore = await open(target.freshConfig());
    await store.createProject('p1', 'P');
    function* parts(tag: string, n: number, failAt = -1): Generator<Uint8Array, Uint8Array, undefined> {
      for (let i = 0; i < n; i++) {
        if (i === failAt) throw new Error('serialising failed');
        yield Buffer.from(`${tag}${i}`);
      }
      return Buffer.from(`${tag}-header`);
    }
    const save = (tag: string, n: number, failAt?: number) => store.saveCheckpoint('p1', { seq: n, headHash: tag, fingerprint: 'f', parts: parts(tag, n, failAt) });
    const read = async () => {
      const cp = await store.loadCheckpoint('p1');
      return cp && { seq: cp.seq, headHash: cp.headHash, header: Buffer.from(cp.body).toString(), parts: cp.parts.map((p) => Buffer.from(p).toString()) };
    };

    await save('a', 3);
    expect(await read()).toEqual({ seq: 3, headHash: 'a', header: 'a-header', parts: ['a0', 'a1', 'a2'] });
    await expect(save('b', 5, 4)).rejects.toThrow(/serialising failed/);
    expect(await read()).toEqual({ seq: 3, headHash: 'a', header: 'a-header', parts: ['a0', 'a1', 'a2'] });
    await save('c', 2);
    expect(await read()).toEqual({ seq: 2, headHash: 'c', header: 'c-header', parts: ['c0', 'c1'] });
    // An async iterator does as well.
    async function* later(): AsyncGenerator<Uint8Array, Uint8Array, undefined> {
      yield* parts('d', 2);
      await new Promise((r) => setTimeout(r, 5));
      return Buffer.from('d-header');
    }
    await store.saveCheckpoint('p1', { seq: 9, headHash: 'd', fingerprint: 'f', parts: later() });
    expect(await read()).toEqual({ seq: 9, headHash: 'd', header: 'd-header', parts: ['d0', 'd1'] });

    await Promise.all([save('e', 4), save('g', 2), save('h', 3)]);
    const last = (await read())!;
    expect(last.parts).toEqual(Array.from({ length: last.seq }, (_x, i) => `${last.headHash}${i}`));
    expect(last.header).toBe(`${last.headHash}-header`);

    await store.dropCheckpoint('p1');
    expect(await read()).toBeUndefined();
    expect(await store.db.selectFrom('checkpoint_parts').selectAll().execute()).toEqual([]);
  });
});
