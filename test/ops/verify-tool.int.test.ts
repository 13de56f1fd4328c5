// tools/verify_backup.py, the stand-alone verifier (Python standard library
// only; signatures through `openssl pkeyutl` when openssl is installed): it
// passes a real backup and the heads witnessed from it, and fails a backup
// whose chain was broken, one rewritten and re-hashed throughout (only the
// witness shows it), and a witness line whose signature was tampered with.
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup, lineSum, readBackup, type EventLine } from '../../src/ops/backup.ts';
import { eventsHead, signHead } from '../../src/ops/heads.ts';
import { importTimeline } from '../../src/ops/import-timeline.ts';
import { signerFromKey } from '../../src/ops/signing.ts';
import type { WitnessLine } from '../../src/ops/witness.ts';
import { hashEvent, type EventStore } from '../../src/store/index.js';
import { cleanup, open, tempDir, TARGETS, timelineFile } from './helpers.ts';

afterAll(cleanup);

const TOOL = join(import.meta.dirname, '../../tools/verify_backup.py');
const python = spawnSync('python3', ['--version']).status === 0;
const openssl = spawnSync('openssl', ['version']).status === 0;
if (!python) console.warn('[verify tool] SKIPPED: python3 is not installed');
if (python && !openssl) console.warn('[verify tool] openssl is not installed: the signatures are not checked by the Python verifier here');

function run(...args: string[]): { code: number; out: string } {
  const r = spawnSync('python3', [TOOL, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

type Line = Record<string, unknown>;

/** Rewrites a backup file line by line, then fixes every line's sum and the trailer (as a forger would). */
function forge(from: string, to: string, edit: (lines: Line[]) => void): void {
  const lines = readFileSync(from, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
  edit(lines);
  const body = lines.slice(0, -1).map((l) => JSON.stringify({ ...l, sum: lineSum(l) }) + '\n').join('');
  const trailer = { ...lines.at(-1)!, sha256: createHash('sha256').update(body).digest('hex') };
  writeFileSync(to, body + JSON.stringify({ ...trailer, sum: lineSum(trailer) }) + '\n');
}

const P = 't1';

for (const target of TARGETS) {
  describe.skipIf(!python || target.skipReason !== null)(`tools/verify_backup.py on a ${target.name} backup`, () => {
    let store: EventStore;
    let dir: string;
    let file: string;
    let witness: string;
    let witnessedSeq: number;
    beforeAll(async () => {
      store = await open(target.freshConfig());
      dir = tempDir('verify-tool');
      await importTimeline(store, { file: timelineFile().file, project: P, log: () => {} });
      // Two erased events: their digests stay, the backup carries their erasure records.
      const withPersonal = await store.db.selectFrom('events').select('seq').where('project_id', '=', P).where('personal', 'is not', null).orderBy('seq').limit(2).execute();
      expect(await store.erasePersonal(P, withPersonal.map((r) => Number(r.seq)))).toBe(2);
      const signer = signerFromKey(generateKeyPairSync('ed25519').privateKey);
      const head = await store.head(P);
      witnessedSeq = head.seq - 3;
      const lines: WitnessLine[] = [];
      for (const seq of [5, witnessedSeq, head.seq]) {
        lines.push({ kind: 'head', ...signHead(signer, P, 'events', await eventsHead(store, P, seq)), publicKeyPem: signer.publicKeyPem, server: 'test', witnessedAt: new Date().toISOString() });
      }
      lines.push({ kind: 'head', ...signHead(signer, P, 'audit', { seq: 0, hash: '0'.repeat(64) }), publicKeyPem: signer.publicKeyPem, server: 'test', witnessedAt: new Date().toISOString() });
      witness = join(dir, 'witness.ndjson');
      writeFileSync(witness, lines.map((l) => JSON.stringify(l) + '\n').join(''));
      file = join(dir, 'backup.ndjson');
      await backup(store, file);
    });

    it('passes the backup and the witnessed heads (signatures through openssl when it is installed)', () => {
      const r = run(file, '--witness', witness);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain(`✓ ${file}: 1 projects`);
      expect(r.out).toContain('3 witnessed heads match the backup');
      if (openssl) expect(r.out).toContain('signatures verified with openssl');
    });

    it('fails a backup whose event was edited (line sums and trailer recomputed): the chain breaks there', () => {
      const bad = join(dir, 'edited.ndjson');
      forge(file, bad, (lines) => {
        const e = lines.find((l) => l.kind === 'event' && l.seq === 7)!;
        e.at = '2020-01-01T00:00:00.000Z';
      });
      expect(() => readBackup(bad)).toThrow(/seq 7: hash mismatch/);
      const r = run(bad);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`project ${P} seq 7: hash mismatch`);
    });

    it('a backup rewritten and re-hashed throughout passes alone; the witness fails it', () => {
      const bad = join(dir, 'rehashed.ndjson');
      forge(file, bad, (lines) => {
        let prev = '';
        for (const l of lines) {
          if (l.kind === 'project') prev = '0'.repeat(64);
          if (l.kind !== 'event') continue;
          const e = l as unknown as EventLine;
          if (e.seq === witnessedSeq - 4) e.recordedBy = 'forger';
          e.prevHash = prev;
          e.hash = hashEvent({ project_id: e.projectId, seq: e.seq, event_id: e.eventId, type: e.type, at: e.at, recorded_by: e.recordedBy, payload: e.payload, personal_digest: e.personalDigest, status: e.status, rejection_code: e.rejectionCode, prev_hash: e.prevHash });
          prev = e.hash;
        }
        const project = lines.find((l) => l.kind === 'project')!;
        project.headHash = prev;
      });
      expect(() => readBackup(bad)).not.toThrow();
      const alone = run(bad);
      expect(alone.code, alone.out).toBe(0);
      const r = run(bad, '--witness', witness);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`${P} events seq ${witnessedSeq})`);
      expect(r.out).toContain('the log was rewritten');
    });

    it.skipIf(!openssl)('fails a witness line whose signature was altered', () => {
      const lines = readFileSync(witness, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as WitnessLine);
      const sig = Buffer.from(lines[1]!.signature, 'base64');
      sig[0]! ^= 1;
      const bad = join(dir, 'witness-bad.ndjson');
      writeFileSync(bad, lines.map((l, i) => JSON.stringify(i === 1 ? { ...l, signature: sig.toString('base64') } : l) + '\n').join(''));
      const r = run(file, '--witness', bad);
      expect(r.code).toBe(1);
      expect(r.out).toContain('line 2');
      expect(r.out).toContain('the Ed25519 signature does not verify');
    });
  });
}
