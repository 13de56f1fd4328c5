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
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStoreCommand } from '../../src/cli/store-commands.ts';
import { witnessCommand } from '../../src/cli/witness.ts';
import ExcelJS from 'exceljs';
import { localDay, formatLocalDate } from '../../src/domain/time.ts';
import { keyIdOf, loadSigner, verifyHead, type SignedHead } from '../../src/ops/signing.ts';
import { CLOSING_SHEET, exportRegisters } from '../../src/ops/xlsx.ts';
import { canonicalJson, hashEvent, type EventStore } from '../../src/store/index.js';
import { api, authHeaders, cleanup, startServer, TARGETS, warnSkips, type Running } from '../server/harness.ts';

warnSkips('tamper');
const scratch = mkdtempSync(join(tmpdir(), 'guishu-tamper-'));
afterAll(async () => {
  await cleanup();
  rmSync(scratch, { recursive: true, force: true });
});
// The servers of this file sign with this key (GUISHU_SIGNING_KEY as PEM text), not one in ./data.
const signingKey = generateKeyPairSync('ed25519').privateKey;
process.env.GUISHU_SIGNING_KEY = signingKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const P = 'p1';
const phone = (i: number) => `1380013${String(7000 + i).padStart(4, '0')}`;

/** A project with two consultants and `visits` visits, through the API. */
async function seed(base: string, visits: number, P = 'p1'): Promise<void> {
  const ok = async (path: string, body: unknown) => {
    const r = await api(base, 'POST', path, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  };
  // Times are the server's clock (an event far in the past needs a late reason).
  await ok('/api/projects', { id: P, name: '篡改', preset: 'standard' });
  for (const s of ['A', 'B', 'M']) await ok(`/api/projects/${P}/staff`, { staff: s, role: s === 'M' ? 'manager' : 'consultant' });
  await ok(`/api/projects/${P}/roster`, { order: ['A', 'B'] });
  await visitsInto(base, P, 1, visits);
}

async function visitsInto(base: string, P: string, from: number, to: number): Promise<void> {
  for (let i = from; i <= to; i++) {
    const r = await api(base, 'POST', `/api/projects/${P}/events`, { type: 'visit', customer: { phone: phone(i), name: `客户${i}` }, receivedBy: i % 2 ? 'A' : 'B', says: { firstVisit: true } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
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
      // But an erasure record written behind the server's back has no audited erasure listing it: verify names it.
      const verify = await cli(envOf(config), ['verify']);
      expect(verify.code).toBe(1);
      expect(verify.out.join('\n')).toContain(`✗ ${P}: erasure records at seq ${seq} (erasure-without-audit)`);
    });

    it('an erasure through the server lists its seqs in the audit log: verify finds every record explained but the stray one', async () => {
      const strays = (await running.store.db.selectFrom('erasures').select('seq').where('project_id', '=', P).execute()).map((r) => Number(r.seq));
      const [visit] = await running.store.db.selectFrom('events').select(['seq', 'personal']).where('project_id', '=', P).where('type', '=', 'visit').where('personal', 'is not', null).orderBy('seq').limit(1).execute();
      const phone = (JSON.parse(visit!.personal!) as { data: { customer?: { phone?: string } } }).data.customer?.phone;
      expect(phone).toBeDefined();
      const erased = await api<{ events: number }>(running.url, 'POST', `/api/projects/${P}/customers/${phone}/erase`, { reason: 'the customer asked' });
      expect(erased.status).toBe(200);
      const audit = await api<{ audit: { action: string; detail: { seqs?: number[] } }[] }>(running.url, 'GET', `/api/projects/${P}/audit`);
      const seqs = audit.body.audit.find((a) => a.action === 'erase')?.detail.seqs ?? [];
      expect(seqs.length).toBe(erased.body.events);
      const verify = await cli(envOf(config), ['verify']);
      expect(verify.out.join('\n')).toContain(`(erasure-without-audit)`);
      expect(verify.out.join('\n')).toContain(`erasure records at seq ${strays.join(', ')} (`);
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


/**
 * A database administrator's rewrite: the event at `seq` gets another payload,
 * and every hash from it to the head is recomputed (triggers dropped first),
 * the head in `projects` moved to match. The chain verifies.
 */
async function rewriteAndRehash(store: EventStore, projectId: string, seq: number, change: (payload: Record<string, unknown>) => void): Promise<void> {
  const rows = await store.db.selectFrom('events').selectAll().where('project_id', '=', projectId).where('seq', '>=', seq).orderBy('seq').execute();
  const before = await store.db.selectFrom('events').select('hash').where('project_id', '=', projectId).where('seq', '=', seq - 1).executeTakeFirstOrThrow();
  let prev = before.hash;
  for (const r of rows) {
    const payload = JSON.parse(r.payload) as Record<string, unknown>;
    if (Number(r.seq) === seq) change(payload);
    const hash = hashEvent({ ...r, seq: Number(r.seq), payload, prev_hash: prev });
    await store.db.updateTable('events').set({ payload: canonicalJson(payload), prev_hash: prev, hash }).where('project_id', '=', projectId).where('seq', '=', Number(r.seq)).execute();
    prev = hash;
  }
  await store.db.updateTable('projects').set({ head_hash: prev }).where('project_id', '=', projectId).execute();
}

/** A database administrator's cut: the last `n` events deleted (triggers dropped first), the head moved back. */
async function cutBack(store: EventStore, projectId: string, n: number): Promise<number> {
  const head = await store.head(projectId);
  const to = head.seq - n;
  await store.db.deleteFrom('events').where('project_id', '=', projectId).where('seq', '>', to).execute();
  const last = await store.db.selectFrom('events').select('hash').where('project_id', '=', projectId).where('seq', '=', to).executeTakeFirstOrThrow();
  await store.db.updateTable('projects').set({ head_seq: to, head_hash: last.hash }).where('project_id', '=', projectId).execute();
  return to;
}

for (const target of TARGETS) {
  describe.skipIf(target.skipReason !== null)(`signed heads and the witness on ${target.name}`, () => {
    let running: Running;
    let config: ReturnType<typeof target.freshConfig>;
    let token: string;
    const file = join(scratch, `witness-${target.name}.ndjson`);
    beforeAll(async () => {
      config = target.freshConfig();
      running = await startServer(config);
      token = authHeaders(running.url).authorization!.slice('Bearer '.length);
      await seed(running.url, 10, 'p1');
      await seed(running.url, 10, 'p2');
    });
    afterAll(async () => {
      await running?.close();
    });
    const witness = async (...extra: string[]) => {
      const out: string[] = [];
      // `--token=…`: a base64url token may start with '-', which parseArgs refuses as a separate argument.
      const code = await witnessCommand(['--server', running.url, `--token=${token}`, '--out', file, ...extra], (l) => out.push(l), (l) => out.push(l));
      return { code, out: out.join('\n') };
    };

    it('GET /api/keys gives the public key; GET /head the signed heads of both logs, for managers and controllers only', async () => {
      const keys = await api<{ keys: { keyId: string; algorithm: string; publicKeyPem: string }[] }>(running.url, 'GET', '/api/keys', undefined, {});
      expect(keys.status).toBe(200);
      const [key] = keys.body.keys;
      expect(key!.algorithm).toBe('Ed25519');
      expect(key!.keyId).toBe(keyIdOf(key!.publicKeyPem));
      expect(key!.keyId).toMatch(/^[0-9a-f]{16}$/);
      const heads = await api<{ events: SignedHead; audit: SignedHead }>(running.url, 'GET', '/api/projects/p1/head');
      expect(heads.status).toBe(200);
      const head = await running.store.head('p1');
      expect(heads.body.events).toMatchObject({ format: 'guishu-head/1', projectId: 'p1', log: 'events', seq: head.seq, hash: head.hash, keyId: key!.keyId });
      expect(verifyHead(heads.body.events, key!.publicKeyPem)).toBe(true);
      expect(verifyHead(heads.body.audit, key!.publicKeyPem)).toBe(true);
      expect(verifyHead({ ...heads.body.events, seq: head.seq - 1 }, key!.publicKeyPem)).toBe(false);
      const earlier = await api<{ events: SignedHead }>(running.url, 'GET', '/api/projects/p1/head?seq=3');
      expect(earlier.body.events.seq).toBe(3);
      expect((await api(running.url, 'GET', `/api/projects/p1/head?seq=${head.seq + 1}`)).status).toBe(404);
      expect((await api(running.url, 'GET', '/api/projects/p1/head', undefined, {})).status).toBe(401);
    });

    it("the day's register ends with its closing head, signed; GET /head?day= gives the same head", async () => {
      const today = formatLocalDate(localDay(Date.now(), 'Asia/Shanghai'));
      const signer = loadSigner({ key: process.env.GUISHU_SIGNING_KEY })!;
      const out = join(scratch, `register-${target.name}.xlsx`);
      const r = await exportRegisters(running.store, 'p1', today, out, { signer });
      const head = await running.store.head('p1');
      expect(r.visits).toBeGreaterThan(0);
      expect(r.closing).toMatchObject({ seq: head.seq, hash: head.hash, keyId: signer.keyId });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(out);
      const sheet = wb.getWorksheet(CLOSING_SHEET)!;
      const values = new Map<string, string>();
      sheet.eachRow((row) => values.set(String(row.getCell(1).value), String(row.getCell(2).value)));
      expect(values.get('序号 seq')).toBe(String(head.seq));
      expect(values.get('哈希 hash')).toBe(head.hash);
      const printed: SignedHead = { format: 'guishu-head/1', projectId: 'p1', log: 'events', seq: head.seq, hash: head.hash, signedAt: values.get('签名时间 signedAt')!, keyId: values.get('密钥 keyId')!, signature: values.get('签名 signature (Ed25519, base64)')! };
      expect(verifyHead(printed, signer.publicKeyPem)).toBe(true);

      const day = await api<{ day: string; events: SignedHead }>(running.url, 'GET', `/api/projects/p1/head?day=${today}`);
      expect(day.status).toBe(200);
      expect(day.body.events).toMatchObject({ seq: head.seq, hash: head.hash });
      // A day before the project: the empty prefix.
      const before = await api<{ events: SignedHead }>(running.url, 'GET', '/api/projects/p1/head?day=2001-01-01');
      expect(before.body.events).toMatchObject({ seq: 0, hash: '0'.repeat(64) });
      expect((await api(running.url, 'GET', '/api/projects/p1/head?day=2025-13-45')).status).toBe(400);
    });

    it('a log rewritten and re-hashed up to the head passes plain verify; verify --witness and the witness catch it', async () => {
      expect((await witness()).code).toBe(0);
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SignedHead & { publicKeyPem: string });
      expect(lines.map((l) => `${l.projectId} ${l.log}`)).toEqual(['p1 events', 'p1 audit', 'p2 events', 'p2 audit']);
      const witnessed = lines[0]!.seq;
      const env = envOf(config);
      expect((await cli(env, ['verify', '--witness', file])).code).toBe(0);

      // The log grows, then an earlier visit is rewritten (another consultant received it) and everything after re-hashed.
      await visitsInto(running.url, 'p1', 11, 12);
      await dropEventTriggers(running.store);
      await rewriteAndRehash(running.store, 'p1', witnessed - 2, (p) => {
        p.receivedBy = p.receivedBy === 'A' ? 'B' : 'A';
      });
      const plain = await cli(env, ['verify']);
      expect(plain.code, plain.out.join('\n')).toBe(0); // self-consistent: the chain alone cannot tell
      expect(plain.out.join('\n')).toContain('✓ p1:');
      const checked = await cli(env, ['verify', '--witness', file]);
      expect(checked.code).toBe(1);
      expect(checked.out.join('\n')).toContain(`✗ witness p1: rewritten at events seq ${witnessed}`);
      // The next day's witness refuses the server's head: the prefix it witnessed is gone.
      const next = await witness();
      expect(next.code).toBe(1);
      expect(next.out).toMatch(new RegExp(`p1 events: refused: seq ${witnessed} now hashes .* rewritten`));
    });

    it('a log cut back by 5 events passes plain verify; verify --witness and the witness catch it', async () => {
      const env = envOf(config);
      const witnessed = (await running.store.head('p2')).seq;
      const to = await cutBack(running.store, 'p2', 5);
      expect(to).toBe(witnessed - 5);
      expect(await running.store.verifyChain('p2')).toMatchObject({ ok: true, count: to });
      const checked = await cli(env, ['verify', '--witness', file]);
      expect(checked.code).toBe(1);
      expect(checked.out.join('\n')).toContain(`✗ witness p2: cut-back at events seq ${witnessed}`);
      expect(checked.out.join('\n')).toContain(`the log ends at seq ${to}`);
      const next = await witness('--project', 'p2');
      expect(next.code).toBe(1);
      expect(next.out).toContain(`p2 events: refused: seq ${to} is lower than seq ${witnessed}`);
    });

    it('a witness file that was edited is refused by verify (the signature no longer holds)', async () => {
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      const forged = join(scratch, `forged-${target.name}.ndjson`);
      const first = JSON.parse(lines[0]!) as SignedHead;
      (await import('node:fs')).writeFileSync(forged, JSON.stringify({ ...first, seq: first.seq - 1 }) + '\n');
      const checked = await cli(envOf(config), ['verify', '--witness', forged]);
      expect(checked.code).toBe(1);
      expect(checked.out.join('\n')).toContain('bad-signature');
    });
  });
}

describe('an erased phone leaves the SQLite file (secure_delete, WAL checkpointed after the erasure)', () => {
  it('erase a customer: the phone digits appear nowhere in guishu.db or its WAL', async () => {
    const config = TARGETS[0]!.freshConfig();
    const running = await startServer(config);
    try {
      await seed(running.url, 8, 'p1');
      const gone = phone(3);
      const dir = (config as { dataDir: string }).dataDir;
      const bytes = () => ['guishu.db', 'guishu.db-wal'].map((f) => {
        try {
          return readFileSync(join(dir, f));
        } catch {
          return Buffer.alloc(0);
        }
      });
      // Checkpointed while the phone is live: it is in the database file's pages, not only in the WAL.
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(running.store.db);
      expect(bytes().some((b) => b.includes(gone))).toBe(true);
      const r = await api(running.url, 'POST', `/api/projects/p1/customers/${gone}/erase`, { reason: '客户要求删除个人信息' });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const [db, wal] = bytes();
      expect(db!.includes(gone), 'phone in guishu.db').toBe(false);
      expect(wal!.includes(gone), 'phone in guishu.db-wal').toBe(false);
      expect(db!.includes(phone(4)), 'other customers stay').toBe(true);
      expect(await running.store.verifyChain('p1')).toMatchObject({ ok: true });
    } finally {
      await running.close();
    }
  });
});
