/**
 * One suite, run over every dialect (like Kysely's own tests). PostgreSQL cases
 * run only when DATABASE_URL is set; each PostgreSQL store lives in a fresh
 * schema and each SQLite store in a fresh temp dir, so reruns start clean.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConcurrencyError, DuplicateEventError, GENESIS_HASH, MIGRATIONS, PROJECT_TABLES, ProjectExistsError, ProjectNotFoundError,
  candidateMaskKeys, findMaskedReports, hashEvent, maskKey, maskShape, maskShapes, migrate, openStore, withRetry,
  type EventStore, type HeadNotice, type NewEvent, type StoreConfig, type StoredEvent,
} from './index.js';
import { openPostgresAdapter } from './postgres/index.js';
import { openSqliteAdapter } from './sqlite/index.js';

const PG_URL = process.env.DATABASE_URL;
if (!PG_URL) {
  console.warn('[store int] PostgreSQL cases SKIPPED: DATABASE_URL is not set (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)');
}

interface Target {
  name: 'sqlite' | 'postgres';
  skipReason: string | null;
  /** A config for a brand-new, empty database. */
  freshConfig(): StoreConfig;
}

const tmpDirs: string[] = [];
const pgSchemas: string[] = [];
const openStores: EventStore[] = [];

const targets: Target[] = [
  {
    name: 'sqlite',
    skipReason: null,
    freshConfig() {
      const dir = mkdtempSync(join(tmpdir(), 'guishu-store-'));
      tmpDirs.push(dir);
      return { kind: 'sqlite', dataDir: dir };
    },
  },
  {
    name: 'postgres',
    skipReason: PG_URL ? null : 'DATABASE_URL is not set',
    freshConfig() {
      const schema = `guishu_t_${process.pid}_${randomBytes(4).toString('hex')}`;
      pgSchemas.push(schema);
      return { kind: 'postgres', url: PG_URL ?? '', schema, maxConnections: 6 };
    },
  },
];

async function open(config: StoreConfig): Promise<EventStore> {
  const s = await openStore(config);
  openStores.push(s);
  return s;
}

afterAll(async () => {
  for (const s of openStores) await s.close().catch(() => {});
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
  if (PG_URL && pgSchemas.length > 0) {
    const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
    for (const schema of pgSchemas) await admin.unsafe(`drop schema if exists "${schema}" cascade`);
    await admin.end();
  }
});

let n = 0;
const pid = (label: string) => `p-${label}-${process.pid}-${++n}-${randomBytes(3).toString('hex')}`;

function ev(i: number, extra: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: `e${i}-${randomBytes(4).toString('hex')}`,
    type: i % 2 ? 'visit.registered' : 'report.filed',
    at: `2025-03-0${(i % 9) + 1}T10:00:00+08:00`,
    recordedBy: `staff-${i % 3}`,
    payload: { i, nested: { z: 1, a: [3, 2, 1] }, zh: '客户归属' },
    ...extra,
  };
}

async function all(it: AsyncIterable<StoredEvent>): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

for (const target of targets) {
  const title = `store on ${target.name}${target.skipReason ? ` — SKIPPED: ${target.skipReason}` : ''}`;
  describe.skipIf(target.skipReason !== null)(title, () => {
    let shared: EventStore | undefined;
    const store = async () => (shared ??= await open(target.freshConfig()));

    it('applies migrations at open, and again idempotently', async () => {
      const config = target.freshConfig();
      const first = await open(config);
      expect(first.migrationsApplied).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await first.migrate()).toEqual([]);
      const second = await open(config);
      expect(second.migrationsApplied).toEqual([]);
      const rows = await second.db.selectFrom('schema_migrations').select(['version', 'name']).orderBy('version').execute();
      expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
      // The schema is usable from both handles.
      const p = pid('mig');
      await first.createProject(p, 'Migrated');
      expect((await second.getProject(p))?.name).toBe('Migrated');
    });

    it.runIf(target.name === 'sqlite')('opens guishu.db in the data folder with the durability pragmas', async () => {
      const config = target.freshConfig();
      const s = await open(config);
      const dir = config.kind === 'sqlite' ? config.dataDir ?? '' : '';
      expect(existsSync(join(dir, 'guishu.db'))).toBe(true);
      const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(s.db)).rows[0] as object)[0] as unknown;
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('synchronous')).toBe(2); // FULL
      expect(await pragma('foreign_keys')).toBe(1);
      expect(Number(await pragma('busy_timeout'))).toBeGreaterThan(0);
    });

    it('creates, lists and guards projects', async () => {
      const s = await store();
      const p = pid('proj');
      const created = await s.createProject(p, '归属花园', 'Asia/Shanghai');
      expect(created).toMatchObject({ projectId: p, headSeq: 0, headHash: GENESIS_HASH, timezone: 'Asia/Shanghai' });
      await expect(s.createProject(p, 'again')).rejects.toBeInstanceOf(ProjectExistsError);
      expect((await s.listProjects()).map((x) => x.projectId)).toContain(p);
      expect(await s.getProject(`${p}-missing`)).toBeUndefined();
      await expect(s.append(`${p}-missing`, 0, [ev(1)])).rejects.toBeInstanceOf(ProjectNotFoundError);
    });

    it('round-trips appended events in seq order', async () => {
      const s = await store();
      const p = pid('rt');
      await s.createProject(p, 'Round trip');
      const input: NewEvent[] = [
        ev(1, { personal: { name: '张三', phone: '13812345678' } }),
        ev(2, { status: 'rejected', rejectionCode: 'ALREADY_OWNED', recordedBy: null }),
        ev(3, { at: Date.UTC(2025, 0, 2, 3, 4, 5) }),
        ev(4),
        ev(5),
      ];
      const stored = await s.append(p, 0, input);
      expect(stored.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(stored[0]!.prevHash).toBe(GENESIS_HASH);

      const read = await all(s.readEvents(p, { batchSize: 2 }));
      expect(read).toEqual(stored);
      expect(read.map((e) => e.eventId)).toEqual(input.map((e) => e.eventId));
      expect(read[0]!.payload).toEqual(input[0]!.payload);
      expect(read[0]!.personal).toEqual({ name: '张三', phone: '13812345678' });
      expect(read[0]!.personalDigest).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(read[0]!.payload)).not.toContain('13812345678');
      expect(read[1]).toMatchObject({ status: 'rejected', rejectionCode: 'ALREADY_OWNED', recordedBy: null, personal: null, personalDigest: null });
      expect(read[0]!.at).toBe('2025-03-02T02:00:00.000Z');
      expect(read[2]!.at).toBe('2025-01-02T03:04:05.000Z');
      expect(read[2]!.atMs).toBe(Date.UTC(2025, 0, 2, 3, 4, 5));

      expect((await all(s.readEvents(p, { fromSeq: 2, toSeq: 4 }))).map((e) => e.seq)).toEqual([2, 3, 4]);
      expect(await s.head(p)).toEqual({ seq: 5, hash: stored[4]!.hash });

      // Raw row: personal stays out of payload, payload is canonical JSON text.
      const raw = await s.db.selectFrom('events').selectAll().where('project_id', '=', p).where('seq', '=', 1).executeTakeFirstOrThrow();
      expect(raw.payload).toBe('{"i":1,"nested":{"a":[3,2,1],"z":1},"zh":"客户归属"}');
      expect(raw.payload).not.toContain('张三');
      expect(raw.personal).toContain('张三');
    });

    it('chains hashes: each hash covers the fields and links to the previous', async () => {
      const s = await store();
      const p = pid('chain');
      await s.createProject(p, 'Chain');
      const a = await s.append(p, 0, [ev(1), ev(2)]);
      const b = await s.append(p, 2, [ev(3, { personal: { phone: '13900000000' } })]);
      const events = [...a, ...b];
      let prev = GENESIS_HASH;
      for (const e of events) {
        expect(e.prevHash).toBe(prev);
        expect(e.hash).toBe(hashEvent({
          project_id: p, seq: e.seq, event_id: e.eventId, type: e.type, at: e.at, recorded_by: e.recordedBy,
          payload: e.payload, personal_digest: e.personalDigest, status: e.status, rejection_code: e.rejectionCode, prev_hash: e.prevHash,
        }));
        prev = e.hash;
      }
      expect(new Set(events.map((e) => e.hash)).size).toBe(3);
      expect(await s.verifyChain(p)).toEqual({ ok: true, count: 3, head: { seq: 3, hash: prev } });
    });

    it('refuses UPDATE and DELETE on events in the database itself', async () => {
      const s = await store();
      const p = pid('guard');
      await s.createProject(p, 'Guard');
      const [e1] = await s.append(p, 0, [ev(1, { personal: { phone: '13811112222' } })]);
      const where = sql`project_id = ${p} and seq = 1`;
      await expect(sql`update events set payload = '{"i":999}' where ${where}`.execute(s.db)).rejects.toThrow(/append-only/);
      await expect(sql`update events set hash = ${'f'.repeat(64)} where ${where}`.execute(s.db)).rejects.toThrow(/append-only/);
      await expect(sql`update events set personal = '{"salt":"x","data":1}' where ${where}`.execute(s.db)).rejects.toThrow(/append-only/);
      // Erasure plus any other change is still refused.
      await expect(sql`update events set personal = null, type = 'x' where ${where}`.execute(s.db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from events where ${where}`.execute(s.db)).rejects.toThrow(/append-only/);
      if (target.name === 'postgres') {
        await expect(sql`truncate events`.execute(s.db)).rejects.toThrow(/append-only/);
      }
      const [back] = await all(s.readEvents(p));
      expect(back).toEqual(e1);
      expect((await s.verifyChain(p)).ok).toBe(true);
    });

    it('verifyChain finds a row altered behind the trigger', async () => {
      const s = await open(target.freshConfig()); // own database: this test drops a trigger
      const p = pid('tamper');
      await s.createProject(p, 'Tamper');
      const stored = await s.append(p, 0, [ev(1), ev(2), ev(3)]);
      expect((await s.verifyChain(p)).ok).toBe(true);
      await sql.raw(target.name === 'postgres' ? 'drop trigger events_no_update on events' : 'drop trigger events_no_update').execute(s.db);

      await sql`update events set payload = ${'{"i":2,"forged":true}'} where project_id = ${p} and seq = 2`.execute(s.db);
      const res = await s.verifyChain(p);
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect(res.seq).toBe(2);
      expect(res.reason).toBe('hash');
      expect(res.found).toBe(stored[1]!.hash);
      expect(res.expected).toMatch(/^[0-9a-f]{64}$/);
      expect(res.expected).not.toBe(res.found);

      // A forger who also recomputes seq 2's hash breaks the link at seq 3.
      const row = await s.db.selectFrom('events').selectAll().where('project_id', '=', p).where('seq', '=', 2).executeTakeFirstOrThrow();
      const forged = hashEvent({ ...row, payload: JSON.parse(row.payload) as unknown });
      await sql`update events set hash = ${forged} where project_id = ${p} and seq = 2`.execute(s.db);
      const res2 = await s.verifyChain(p);
      expect(res2).toMatchObject({ ok: false, seq: 3, reason: 'prev_hash', expected: forged, found: stored[1]!.hash });
    });

    it('verifyChain finds a deleted row and a truncated tail', async () => {
      const s = await open(target.freshConfig()); // own database: this test drops a trigger
      const p = pid('gap');
      const q = pid('tail');
      await s.createProject(p, 'Gap');
      await s.createProject(q, 'Tail');
      await s.append(p, 0, [ev(1), ev(2), ev(3)]);
      const qs = await s.append(q, 0, [ev(1), ev(2)]);
      await sql.raw(target.name === 'postgres' ? 'drop trigger events_no_delete on events' : 'drop trigger events_no_delete').execute(s.db);
      await sql`delete from events where project_id = ${p} and seq = 2`.execute(s.db);
      expect(await s.verifyChain(p)).toEqual({ ok: false, seq: 2, expected: 'seq 2', found: 'seq 3', reason: 'gap' });
      await sql`delete from events where project_id = ${q} and seq = 2`.execute(s.db);
      expect(await s.verifyChain(q)).toMatchObject({ ok: false, seq: 2, reason: 'gap', found: 'end of log' });
      expect(qs).toHaveLength(2);
    });

    it('a stale expectedHeadSeq throws ConcurrencyError and writes nothing', async () => {
      const s = await store();
      const p = pid('stale');
      await s.createProject(p, 'Stale');
      const [first] = await s.append(p, 0, [ev(1)]);
      let projected = false;
      const err = await s.append(p, 0, [ev(2), ev(3)], async (tx) => {
        projected = true;
        await tx.insertInto('customers').values({ project_id: p, phone: '13800000000', status: 'protected', updated_seq: 2 }).execute();
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConcurrencyError);
      expect(err).toMatchObject({ projectId: p, expectedHeadSeq: 0, actualHeadSeq: 1 });
      expect(projected).toBe(false);
      expect((await all(s.readEvents(p))).map((e) => e.seq)).toEqual([1]);
      expect(await s.head(p)).toEqual({ seq: 1, hash: first!.hash });
      expect(await s.db.selectFrom('customers').selectAll().where('project_id', '=', p).execute()).toEqual([]);
    });

    it('commits projections with the events, and rolls both back together', async () => {
      const s = await store();
      const p = pid('proj');
      await s.createProject(p, 'Projections');
      await s.append(p, 0, [ev(1)], async (tx, stored) => {
        await tx.insertInto('customers').values({
          project_id: p, phone: '13812345678', name: null, owner: 'agent-7', status: 'protected',
          protected_until: '2025-04-01T00:00:00.000Z', basis_clause: '3.2', basis_events: JSON.stringify(stored.map((e) => e.eventId)),
          updated_seq: stored[0]!.seq,
        }).execute();
      });
      const c = await s.db.selectFrom('customers').selectAll().where('project_id', '=', p).where('owner', '=', 'agent-7').executeTakeFirstOrThrow();
      expect(c).toMatchObject({ phone: '13812345678', status: 'protected', updated_seq: 1 });

      await expect(s.append(p, 1, [ev(2)], async (tx) => {
        await tx.updateTable('customers').set({ owner: 'agent-9', updated_seq: 2 }).where('project_id', '=', p).execute();
        throw new Error('projection failed');
      })).rejects.toThrow('projection failed');
      expect((await s.head(p)).seq).toBe(1);
      expect((await s.db.selectFrom('customers').select('owner').where('project_id', '=', p).executeTakeFirstOrThrow()).owner).toBe('agent-7');

      // Duplicate event id: refused, nothing written.
      const dup = ev(3);
      await s.append(p, 1, [dup]);
      await expect(s.append(p, 2, [{ ...dup }])).rejects.toBeInstanceOf(DuplicateEventError);
      expect((await s.head(p)).seq).toBe(2);
    });

    it('50 concurrent appends with retry land gapless with a valid chain', async () => {
      const base = target.freshConfig();
      // PostgreSQL: several stores = several pools = many connections racing.
      // SQLite: one process, one store (plus the in-process interleaving).
      const writers = target.name === 'postgres'
        ? await Promise.all([0, 1, 2, 3, 4].map(() => open(base)))
        : [await open(base)];
      const s0 = writers[0]!;
      const p = pid('race');
      await s0.createProject(p, 'Race');
      await s0.transaction((tx) => tx.insertInto('rotation').values({ project_id: p, state: '{"n":0}', updated_seq: 0 }).execute());
      let conflicts = 0;
      const ids = Array.from({ length: 50 }, (_, i) => `race-${i}`);
      await Promise.all(ids.map((id, i) => withRetry(async () => {
        const w = writers[i % writers.length]!;
        const { seq } = await w.head(p);
        try {
          return await w.append(p, seq, [{ eventId: id, type: 'race', at: Date.UTC(2025, 0, 1) + i, payload: { i } }], async (tx, stored) => {
            // Read-modify-write of a projection: only correct if appends are serialised.
            const r = await tx.selectFrom('rotation').select('state').where('project_id', '=', p).executeTakeFirstOrThrow();
            const state = JSON.parse(r.state) as { n: number };
            await tx.updateTable('rotation').set({ state: JSON.stringify({ n: state.n + 1 }), updated_seq: stored[0]!.seq }).where('project_id', '=', p).execute();
          });
        } catch (e) {
          if (e instanceof ConcurrencyError) conflicts++;
          throw e;
        }
      }, { attempts: 1000, maxDelayMs: 20 })));

      const events = await all(s0.readEvents(p));
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(new Set(events.map((e) => e.eventId))).toEqual(new Set(ids));
      expect(await s0.verifyChain(p)).toMatchObject({ ok: true, count: 50, head: { seq: 50 } });
      const rot = await s0.db.selectFrom('rotation').selectAll().where('project_id', '=', p).executeTakeFirstOrThrow();
      expect(JSON.parse(rot.state)).toEqual({ n: 50 });
      expect(rot.updated_seq).toBe(50);
      expect(conflicts).toBeGreaterThan(0); // the race really happened
    });

    it('every primary key leads with project_id (read from the catalog)', async () => {
      const s = await store();
      const firstPkColumn = new Map<string, string>();
      const tables: string[] = [];
      if (target.name === 'sqlite') {
        const ts = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(s.db);
        for (const { name } of ts.rows) {
          tables.push(name);
          const cols = await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${name}) where pk > 0 order by pk`.execute(s.db);
          const idx = await sql<{ name: string }>`select name from pragma_index_list(${name}) where origin = 'pk'`.execute(s.db);
          const first = cols.rows[0]?.name;
          if (first) firstPkColumn.set(name, first);
          // The pk's backing index must lead with the same column.
          if (idx.rows[0]) {
            const info = await sql<{ name: string }>`select name from pragma_index_info(${idx.rows[0].name}) where seqno = 0`.execute(s.db);
            expect(info.rows[0]?.name, `${name} pk index`).toBe(first);
          } else {
            expect(name, 'only schema_migrations may have a rowid (integer) pk').toBe('schema_migrations');
          }
        }
      } else {
        const ts = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(s.db);
        tables.push(...ts.rows.map((r) => r.table_name));
        const info = await sql<{ table_name: string; column_name: string }>`
          select tc.table_name, kcu.column_name
          from information_schema.table_constraints tc
          join information_schema.key_column_usage kcu
            on kcu.constraint_schema = tc.constraint_schema and kcu.constraint_name = tc.constraint_name and kcu.table_name = tc.table_name
          where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = current_schema() and kcu.ordinal_position = 1`.execute(s.db);
        for (const r of info.rows) firstPkColumn.set(r.table_name, r.column_name);
        const idx = await sql<{ table_name: string; column_name: string }>`
          select c.relname as table_name, a.attname as column_name
          from pg_index i
          join pg_class c on c.oid = i.indrelid
          join pg_namespace ns on ns.oid = c.relnamespace
          join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
          where i.indisprimary and ns.nspname = current_schema()`.execute(s.db);
        expect(new Map(idx.rows.map((r) => [r.table_name, r.column_name]))).toEqual(firstPkColumn);
      }
      expect(new Set(tables)).toEqual(new Set([...PROJECT_TABLES, 'schema_migrations']));
      for (const t of tables) {
        if (t === 'schema_migrations') continue; // the migration ledger is global, not project data
        expect(firstPkColumn.get(t), `primary key of ${t}`).toBe('project_id');
      }
      const eventsPk = target.name === 'sqlite'
        ? (await sql<{ name: string }>`select name from pragma_table_info('events') where pk > 0 order by pk`.execute(s.db)).rows.map((r) => r.name)
        : (await sql<{ column_name: string }>`select kcu.column_name from information_schema.key_column_usage kcu join information_schema.table_constraints tc on tc.constraint_name = kcu.constraint_name and tc.constraint_schema = kcu.constraint_schema where tc.table_schema = current_schema() and tc.table_name = 'events' and tc.constraint_type = 'PRIMARY KEY' order by kcu.ordinal_position`.execute(s.db)).rows.map((r) => r.column_name);
      expect(eventsPk).toEqual(['project_id', 'seq']);
    });

    it('erasePersonal blanks personal data and the chain still verifies', async () => {
      const s = await store();
      const p = pid('erase');
      await s.createProject(p, 'Erase');
      const stored = await s.append(p, 0, [
        ev(1, { personal: { name: '李四', phone: '13912345678' } }),
        ev(2),
        ev(3, { personal: { phone: '13700000000' } }),
      ]);
      expect(await s.erasePersonal(p, [1, 2])).toBe(1); // seq 2 had none
      const after = await all(s.readEvents(p));
      expect(after[0]).toMatchObject({ personal: null, personalErased: true, personalDigest: stored[0]!.personalDigest, hash: stored[0]!.hash });
      expect(after[2]!.personal).toEqual({ phone: '13700000000' });
      const raw = await s.db.selectFrom('events').select(['personal', 'payload']).where('project_id', '=', p).where('seq', '=', 1).executeTakeFirstOrThrow();
      expect(raw.personal).toBeNull();
      expect(raw.payload).not.toContain('13912345678');
      expect(await s.verifyChain(p)).toMatchObject({ ok: true, count: 3 });
      expect(await s.erasePersonal(p, [1])).toBe(0);
    });

    it('notifies listeners of the new head after commit', async () => {
      const s = await store();
      const p = pid('listen');
      const other = pid('listen-other');
      await s.createProject(p, 'Listen');
      await s.createProject(other, 'Other');
      const seen: HeadNotice[] = [];
      let wake: () => void = () => {};
      const unlisten = await s.listen(p, (n) => { seen.push(n); wake(); });
      const arrived = new Promise<void>((resolve) => { wake = resolve; });
      await s.append(other, 0, [ev(1)]);
      await s.append(p, 0, [ev(1), ev(2)]);
      await Promise.race([arrived, new Promise((r) => setTimeout(r, 5000))]);
      expect(seen).toEqual([{ projectId: p, headSeq: 2 }]);
      // A rejected append announces nothing.
      await s.append(p, 0, [ev(3)]).catch(() => {});
      await unlisten();
      await s.append(p, 2, [ev(4)]);
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toEqual([{ projectId: p, headSeq: 2 }]);
    });

    it.runIf(target.name === 'postgres')('delivers notices to other connections (LISTEN/NOTIFY)', async () => {
      const config = target.freshConfig();
      const writer = await open(config);
      const reader = await open(config);
      const p = pid('fanout');
      await writer.createProject(p, 'Fan-out');
      const got = new Promise<HeadNotice>((resolve) => {
        void reader.listen(p, resolve).then(async () => {
          await writer.append(p, 0, [ev(1), ev(2), ev(3)]);
        });
      });
      const notice = await Promise.race([got, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
      expect(notice).toEqual({ projectId: p, headSeq: 3 });
    });

    it('finds a masked report from a full phone by indexed equality', async () => {
      const s = await store();
      const p = pid('mask');
      await s.createProject(p, 'Masks');
      await s.transaction(async (tx) => {
        for (const [id, phone] of [['r1', '138***88888'], ['r2', '139****5678'], ['r3', '13812345678']] as const) {
          await tx.insertInto('reports').values({ project_id: p, report_id: id, phone_or_mask: phone, agent: 'a', status: 'valid', expires_at: null, updated_seq: 0 }).execute();
          const key = maskKey(phone);
          if (key) await tx.insertInto('report_masks').values({ project_id: p, mask_key: key, report_id: id }).execute();
        }
      });
      const lookup = async (phone: string) => (await s.db.selectFrom('report_masks').select('report_id')
        .where('project_id', '=', p).where('mask_key', 'in', candidateMaskKeys(phone)).orderBy('report_id').execute()).map((r) => r.report_id);
      expect(await lookup('13812388888')).toEqual(['r1']);
      expect(await lookup('13900005678')).toEqual(['r2']);
      expect(await lookup('13812345678')).toEqual([]);
      // The shapes in use, and the store's lookup under them (one statement).
      const shapes = await maskShapes(s.db, p);
      expect(shapes).toEqual([{ prefixLen: 3, hidden: 3 }, { prefixLen: 3, hidden: 4 }]);
      expect(candidateMaskKeys('13812388888', shapes)).toEqual(['138|3|88888', '138|4|8888']);
      const found = async (phone: string) => (await findMaskedReports(s.db, p, phone)).map((r) => r.report_id);
      for (const phone of ['13812388888', '13900005678', '13812345678', '13900008888', '1381238888']) expect(await found(phone), phone).toEqual(await lookup(phone));
      expect(await findMaskedReports(s.db, p, '13812388888')).toEqual([{ report_id: 'r1', agent: 'a', status: 'valid', expires_at: null }]);
      expect(await findMaskedReports(s.db, pid('none'), '13812388888')).toEqual([]);
    });

    it('keeps report_mask_shapes equal to the shapes of report_masks, per project, whoever writes', async () => {
      const s = await store();
      const [p, q] = [pid('shape'), pid('shape')];
      for (const x of [p, q]) await s.createProject(x, 'Shapes');
      /** What the table must hold: the count of report_masks rows per (project, shape). */
      const expected = async () => {
        const counts = new Map<string, number>();
        for (const r of await s.db.selectFrom('report_masks').select(['project_id', 'mask_key']).where('project_id', 'in', [p, q]).execute()) {
          const sh = maskShape(r.mask_key);
          if (!sh) continue;
          const k = `${r.project_id} ${sh.prefixLen} ${sh.hidden}`;
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
        return [...counts].map(([k, n]) => `${k} ${n}`).sort();
      };
      const actual = async () => (await s.db.selectFrom('report_mask_shapes').selectAll().where('project_id', 'in', [p, q]).execute())
        .map((r) => `${r.project_id} ${Number(r.prefix_len)} ${Number(r.hidden)} ${Number(r.masks)}`).sort();
      const masks = [['r1', '138***88888'], ['r2', '139***12345'], ['r3', '139****5678'], ['r4', '1*********8'], ['r5', '13812345678'], ['r6', '138123456*8']] as const;
      await s.transaction(async (tx) => {
        for (const x of [p, q]) {
          await tx.insertInto('reports').values(masks.map(([id, phone]) => ({ project_id: x, report_id: id, phone_or_mask: phone, agent: 'a', status: 'valid', expires_at: null, updated_seq: 0 }))).execute();
        }
        // One multi-row statement (as writeRows batches), then single rows, one of them a repeat that must not count twice.
        const rows = masks.flatMap(([id, phone]) => (maskKey(phone) ? [{ project_id: p, mask_key: maskKey(phone)!, report_id: id }] : []));
        await tx.insertInto('report_masks').values(rows).onConflict((oc) => oc.columns(['project_id', 'mask_key', 'report_id']).doNothing()).execute();
        await tx.insertInto('report_masks').values(rows[0]!).onConflict((oc) => oc.columns(['project_id', 'mask_key', 'report_id']).doNothing()).execute();
        await tx.insertInto('report_masks').values({ project_id: q, mask_key: '139|4|5678', report_id: 'r3' }).execute();
        // A key not of maskKey's form has no shape, on both databases.
        await tx.insertInto('report_masks').values({ project_id: q, mask_key: 'not-a-key', report_id: 'r5' }).execute();
      });
      expect(await actual()).toEqual([`${p} 1 9 1`, `${p} 9 1 1`, `${p} 3 3 2`, `${p} 3 4 1`, `${q} 3 4 1`].sort());
      expect(await actual()).toEqual(await expected());
      // Deleting one of two masks of a shape keeps the shape; the last one removes it.
      await s.db.deleteFrom('report_masks').where('project_id', '=', p).where('report_id', '=', 'r1').execute();
      expect(await actual()).toEqual(await expected());
      await s.db.deleteFrom('report_masks').where('project_id', '=', p).where('report_id', 'in', ['r2', 'r4']).execute();
      expect(await actual()).toEqual([`${p} 9 1 1`, `${p} 3 4 1`, `${q} 3 4 1`].sort());
      // An update (no writer does one, but the triggers cover it) moves the count.
      await s.db.updateTable('report_masks').set({ mask_key: '138|3|45678' }).where('project_id', '=', p).where('report_id', '=', 'r6').execute();
      expect(await actual()).toEqual(await expected());
      expect(await maskShapes(s.db, p)).toEqual([{ prefixLen: 3, hidden: 3 }, { prefixLen: 3, hidden: 4 }]);
      // What a rebuild does: delete the project's masks and write them again.
      const before = await actual();
      await s.transaction(async (tx) => {
        const rows = await tx.selectFrom('report_masks').selectAll().where('project_id', '=', p).execute();
        await tx.deleteFrom('report_masks').where('project_id', '=', p).execute();
        expect(await tx.selectFrom('report_mask_shapes').select('hidden').where('project_id', '=', p).execute()).toEqual([]);
        await tx.insertInto('report_masks').values(rows).execute();
      });
      expect(await actual()).toEqual(before);
      expect(await maskShapes(s.db, q)).toEqual([{ prefixLen: 3, hidden: 4 }]);
    });

    it('migration 3 counts the shapes of the report_masks a database already holds', async () => {
      const config = target.freshConfig();
      const p = pid('backfill');
      const adapter = config.kind === 'sqlite' ? openSqliteAdapter(config) : await openPostgresAdapter(config);
      try {
        await migrate(adapter.transaction.bind(adapter) as never, adapter.ddl, MIGRATIONS.filter((m) => m.version < 3));
        await adapter.transaction(async (tx) => {
          await tx.insertInto('projects').values({ project_id: p, name: 'Old', created_at: new Date().toISOString() }).execute();
          for (const [id, phone] of [['r1', '138***88888'], ['r2', '139***12345'], ['r3', '139****5678']] as const) {
            await tx.insertInto('reports').values({ project_id: p, report_id: id, phone_or_mask: phone, agent: 'a', status: 'valid', expires_at: null, updated_seq: 0 }).execute();
            await tx.insertInto('report_masks').values({ project_id: p, mask_key: maskKey(phone)!, report_id: id }).execute();
          }
        });
      } finally {
        await adapter.close();
      }
      const s = await open(config);
      expect(s.migrationsApplied).toEqual(MIGRATIONS.filter((m) => m.version >= 3).map((m) => m.version));
      expect((await s.db.selectFrom('report_mask_shapes').select(['prefix_len', 'hidden', 'masks']).where('project_id', '=', p).orderBy('hidden').execute())
        .map((r) => [Number(r.prefix_len), Number(r.hidden), Number(r.masks)])).toEqual([[3, 3, 2], [3, 4, 1]]);
      expect((await findMaskedReports(s.db, p, '13900005678')).map((r) => r.report_id)).toEqual(['r3']);
    });
  });
}
