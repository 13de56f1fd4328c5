// The one-message append on a real PostgreSQL: awkward text survives the
// literal encoding byte for byte, the chain verifies, and a stale head fails
// the whole transaction (nothing of it is written).
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { ConcurrencyError, openStore } from '../index.js';

const PG_URL = process.env.DATABASE_URL;

describe.skipIf(!PG_URL)('one-message append (PostgreSQL)', () => {
  it('round-trips quotes, backslashes, $1 and emoji; a stale head writes nothing', async () => {
    const schema = `guishu_inline_${process.pid}_${randomBytes(4).toString('hex')}`;
    const store = await openStore({ kind: 'postgres', url: PG_URL!, schema });
    try {
      await store.createProject('p', 'p');
      const first = await store.append('p', 0, [{ eventId: 'e1', type: 'visit', at: 0, payload: { k: 1 }, personal: { name: 'x' } }]);
      const awkward = "王'先生\\n $1 ''; drop table events; -- 😀 \u2028 tab\t";
      const [e2] = await store.append('p', 1, [{ eventId: "e'2", type: 'visit', at: 1, payload: { note: awkward, n: -1.25 }, personal: { name: awkward } }], undefined, { expectedHeadHash: first[0]!.hash });
      const back = [];
      for await (const row of store.readEvents('p')) back.push(row);
      expect(back.map((r) => r.eventId)).toEqual(['e1', "e'2"]);
      expect(back[1]!.payload).toEqual({ note: awkward, n: -1.25 });
      expect(back[1]!.personal).toEqual({ name: awkward });
      expect(back[1]!.hash).toBe(e2!.hash);
      expect(await store.verifyChain('p')).toMatchObject({ ok: true, count: 2 });

      // The cache thought the head was still at 1: the seq key refuses, the transaction rolls back.
      await expect(store.append('p', 1, [{ eventId: 'e3', type: 'visit', at: 2, payload: {} }], undefined, { expectedHeadHash: first[0]!.hash })).rejects.toBeInstanceOf(ConcurrencyError);
      // A head claimed past the real one: the guard refuses (no gap in the log).
      await expect(store.append('p', 5, [{ eventId: 'e4', type: 'visit', at: 2, payload: {} }], undefined, { expectedHeadHash: e2!.hash })).rejects.toBeInstanceOf(ConcurrencyError);
      expect((await store.head('p')).seq).toBe(2);
      expect(await store.verifyChain('p')).toMatchObject({ ok: true, count: 2 });
    } finally {
      await store.close();
      const admin = postgres(PG_URL!, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    }
  });
});
