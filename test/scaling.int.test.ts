// docs/scaling.md promises that the schema distributes by project_id without
// change (Citus): every table's primary key leads with project_id, and every
// query on the hot path filters by it, so a project's work stays on one shard.
// This test holds the code to both, on SQLite and (when DATABASE_URL is set)
// on PostgreSQL:
//
// 1. the catalog: the first primary-key column of every project table is
//    project_id (the store's own test, src/store/store.int.test.ts "every
//    primary key leads with project_id", checks the same from the other side:
//    the set of tables; this one reads it per table from PROJECT_TABLES);
// 2. the hot path: a judge, a visit registration and a customer-card read run
//    through GuishuApp while every statement Kysely executes is captured (the
//    query executor is wrapped, so both dialects and raw `sql` are seen); each
//    statement touching a project table must filter by project_id in its
//    WHERE (and its JOINs), or be an INSERT that writes project_id.
//
// The checker is itself tested on statements that must fail it, so a checker
// that accepts everything cannot pass.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type CompiledQuery } from 'kysely';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { addStaff, registerVisit, setRoster } from '../src/app/commands.ts';
import { GuishuApp } from '../src/app/office.ts';
import { openStore, pipelineTap, PROJECT_TABLES, type EventStore, type StoreConfig } from '../src/store/index.js';

const PG_URL = process.env.DATABASE_URL?.trim() || undefined;
const tmpDirs: string[] = [];
const pgSchemas: string[] = [];
const stores: EventStore[] = [];

const targets: { name: 'sqlite' | 'postgres'; skip: string | null; config: () => StoreConfig }[] = [
  {
    name: 'sqlite',
    skip: null,
    config() {
      const dir = mkdtempSync(join(tmpdir(), 'guishu-scaling-'));
      tmpDirs.push(dir);
      return { kind: 'sqlite', dataDir: dir };
    },
  },
  {
    name: 'postgres',
    skip: PG_URL ? null : 'DATABASE_URL is not set',
    config() {
      const schema = `guishu_t_${process.pid}_${randomBytes(4).toString('hex')}`;
      pgSchemas.push(schema);
      return { kind: 'postgres', url: PG_URL ?? '', schema, maxConnections: 6 };
    },
  },
];

afterAll(async () => {
  for (const s of stores) await s.close().catch(() => {});
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
  if (PG_URL && pgSchemas.length) {
    const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
    for (const schema of pgSchemas) await admin.unsafe(`drop schema if exists "${schema}" cascade`);
    await admin.end();
  }
});

async function open(config: StoreConfig): Promise<EventStore> {
  const s = await openStore(config);
  stores.push(s);
  return s;
}

// ---------------------------------------------------------------- capturing SQL

interface Executor {
  executeQuery(q: CompiledQuery, ...rest: unknown[]): Promise<unknown>;
  stream(q: CompiledQuery, ...rest: unknown[]): AsyncIterableIterator<unknown>;
}

/**
 * Records the SQL of every query any Kysely instance runs while `fn` runs.
 * Kysely's executors (the store's, and each transaction's) share one
 * prototype (QueryExecutorBase), which is wrapped and restored.
 */
async function captureSql<T>(db: EventStore['db'], fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  let proto = Object.getPrototypeOf(db.getExecutor()) as Executor & object;
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'executeQuery')) proto = Object.getPrototypeOf(proto) as Executor & object;
  expect(proto, 'a Kysely executor prototype with executeQuery').toBeTruthy();
  const statements: string[] = [];
  const { executeQuery, stream } = proto;
  proto.executeQuery = function (this: Executor, q: CompiledQuery, ...rest: unknown[]) {
    statements.push(q.sql);
    return executeQuery.call(this, q, ...rest);
  };
  proto.stream = function (this: Executor, q: CompiledQuery, ...rest: unknown[]) {
    statements.push(q.sql);
    return stream.call(this, q, ...rest);
  };
  // Pipelined writes (PostgreSQL) go out past the executor.
  pipelineTap.onStatement = (text) => statements.push(text);
  try {
    return { result: await fn(), statements };
  } finally {
    pipelineTap.onStatement = null;
    proto.executeQuery = executeQuery;
    proto.stream = stream;
  }
}

// ---------------------------------------------------------------- the rule

const PROJECT_TABLE_SET = new Set<string>(PROJECT_TABLES);
const q = (s: string) => s.replace(/[`"]/g, '');

/** Project tables a statement reads or writes (FROM, JOIN, INTO, UPDATE), by name. */
function tablesOf(text: string): string[] {
  const out = new Set<string>();
  for (const m of q(text).matchAll(/\b(?:from|join|into|update)\s+([a-z_][a-z0-9_.]*)/gi)) {
    const name = m[1]!.split('.').at(-1)!.toLowerCase();
    if (PROJECT_TABLE_SET.has(name)) out.add(name);
  }
  return [...out];
}

/** Why a statement is not scoped to a project, or null when it is. */
export function unscoped(text: string): string | null {
  const s = q(text).replace(/\s+/g, ' ').trim();
  const tables = tablesOf(s);
  if (tables.length === 0) return null; // pg_advisory_xact_lock, pg_notify, begin/commit, pragmas
  const lower = s.toLowerCase();
  if (/^insert\b/.test(lower)) {
    const cols = /^insert into [^(]+\(([^)]*)\)/.exec(lower)?.[1] ?? '';
    return /\bproject_id\b/.test(cols) ? null : `INSERT into ${tables.join(', ')} without project_id`;
  }
  const where = /\bwhere\b(.*)$/.exec(lower)?.[1];
  if (!where) return `no WHERE on ${tables.join(', ')}`;
  // project_id compared with a parameter or a column (a join), in the WHERE.
  if (!/\bproject_id\s*(?:=|in\b)/.test(where)) return `WHERE without project_id on ${tables.join(', ')}`;
  // Every JOIN of a project table is on project_id too.
  for (const m of lower.matchAll(/\bjoin ([a-z_][a-z0-9_.]*)(?: as [a-z_]+)? on (.*?)(?= (?:inner |left |right |full |cross )?join | where |$)/g)) {
    if (PROJECT_TABLE_SET.has(m[1]!.split('.').at(-1)!) && !/\bproject_id\b/.test(m[2]!)) return `JOIN ${m[1]} not on project_id`;
  }
  return null;
}

describe('the project_id rule (checker)', () => {
  it('accepts scoped statements and refuses unscoped ones', () => {
    expect(unscoped('select "head_seq" from "projects" where "project_id" = ?')).toBeNull();
    expect(unscoped('insert into "events" ("project_id", "seq") values ($1, $2)')).toBeNull();
    expect(unscoped('update "customers" set "owner" = ? where "project_id" = ? and "phone" = ?')).toBeNull();
    expect(unscoped('select pg_advisory_xact_lock(hashtext($1))')).toBeNull();
    // The checker must be able to fail:
    expect(unscoped('select * from "customers" where "phone" = ?')).toMatch(/WHERE without project_id/);
    expect(unscoped('select * from "events"')).toMatch(/no WHERE/);
    expect(unscoped('insert into "customers" ("phone", "owner") values (?, ?)')).toMatch(/without project_id/);
    expect(unscoped('delete from "report_masks" where "report_id" = ?')).toMatch(/WHERE without project_id/);
    expect(unscoped('select * from "reports" as "r" inner join "report_masks" as "m" on "m"."report_id" = "r"."report_id" where "r"."project_id" = ?')).toMatch(/JOIN report_masks not on project_id/);
  });
});

// ---------------------------------------------------------------- the tests

for (const target of targets) {
  describe.skipIf(target.skip !== null)(`scaling by project_id (${target.name}${target.skip ? `: skipped, ${target.skip}` : ''})`, () => {
    it('every project table’s primary key leads with project_id (catalog)', async () => {
      const store = await open(target.config());
      const first = new Map<string, string>();
      if (store.dialect === 'sqlite') {
        for (const t of PROJECT_TABLES) {
          const cols = (await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${t})`.execute(store.db)).rows;
          const lead = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk)[0];
          if (lead) first.set(t, lead.name);
        }
      } else {
        const rows = (await sql<{ table_name: string; column_name: string }>`
          select tc.table_name, kcu.column_name
          from information_schema.table_constraints tc
          join information_schema.key_column_usage kcu
            on kcu.constraint_schema = tc.constraint_schema and kcu.constraint_name = tc.constraint_name and kcu.table_name = tc.table_name
          where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = current_schema() and kcu.ordinal_position = 1`.execute(store.db)).rows;
        for (const r of rows) first.set(r.table_name, r.column_name);
      }
      for (const t of PROJECT_TABLES) expect(first.get(t), `primary key of ${t}`).toBe('project_id');
    });

    it('a judge, a visit and a customer card run only statements filtered by project_id', async () => {
      const store = await open(target.config());
      const app = new GuishuApp({ store });
      const P = 'scale-1';
      const at0 = Date.parse('2025-03-01T01:00:00Z');
      // Two projects, so that an unscoped statement would have something to confuse.
      for (const id of [P, 'scale-2']) {
        await app.createProject({ id, name: id, preset: 'standard' });
        for (const s of ['gw01', 'gw02']) await addStaff(app, id, { staff: s, role: 'consultant', at: at0 });
        await setRoster(app, id, { order: ['gw01', 'gw02'], at: at0 + 60_000 });
      }
      await registerVisit(app, P, { customer: { phone: '13800138000', name: '张三' }, at: at0 + 3_600_000 });
      app.forget(); // the next request rebuilds its cache from the log: those statements are checked too

      const { statements } = await captureSql(store.db, async () => {
        const judged = await app.judge(P, { phone: '13800138000', at: at0 + 7_200_000 });
        expect(judged.owner).not.toBe('none');
        const visit = await registerVisit(app, P, { customer: { phone: '13900139000', name: '李四' }, at: at0 + 7_300_000 });
        expect(visit.status).toBe('accepted');
        const card = await app.customer(P, '13900139000', at0 + 7_400_000);
        expect(card.phone).toBe('13900139000');
        await app.judge(P, { phone: '13700137000', at: at0 + 7_500_000 });
      });

      const touching = statements.filter((s) => tablesOf(s).length > 0);
      expect(touching.length, 'the hot path reached the database').toBeGreaterThan(3);
      expect(statements.some((s) => /^\s*insert into "?events"?/i.test(s)), 'the visit was appended').toBe(true);
      const offenders = statements.map((s) => ({ sql: s.replace(/\s+/g, ' ').slice(0, 240), why: unscoped(s) })).filter((x) => x.why !== null);
      expect(offenders, 'statements on project tables that do not filter by project_id').toEqual([]);
    });
  });
}
