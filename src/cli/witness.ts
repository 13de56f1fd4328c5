// `guishu witness --server URL --token TOKEN [--project ID] --out FILE`: what
// the developer's controller (甲方) runs daily on their own machine. Fetches
// the server's signing key and each project's signed heads (event log and
// audit log), checks the signatures, refuses a head that contradicts FILE —
// a lower seq than witnessed before, another hash at the same seq, or an
// earlier witnessed head that the log no longer holds — and appends the
// heads that agree to FILE (NDJSON, src/ops/witness.ts). Exit 1 on any refusal.
import { parseArgs } from 'node:util';
import { cliConfigFromEnv, type CliConfig } from '../config.ts';
import { verifyHead, type PublicKeyInfo, type SignedHead } from '../ops/signing.ts';
import { appendWitnessLines, latestWitnessed, readWitnessFile, WitnessFileError, type WitnessLine } from '../ops/witness.ts';

type Write = (line: string) => void;

const USAGE = 'usage: guishu witness --server URL --token TOKEN [--project ID] --out FILE [--accept-new-key]';

interface HeadsAnswer { projectId: string; events: SignedHead; audit: SignedHead }

/** `cli`: GUISHU_TOKEN stands in for --token. */
export async function witnessCommand(args: string[], write: Write, err: Write = (l) => process.stderr.write(l + '\n'), cli: CliConfig = cliConfigFromEnv()): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { server: { type: 'string' }, token: { type: 'string' }, project: { type: 'string' }, out: { type: 'string' }, 'accept-new-key': { type: 'boolean', default: false } } }));
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const token = values.token ?? cli.token;
  if (!values.server || !token || !values.out) {
    err(USAGE);
    return 2;
  }
  const base = values.server.replace(/\/+$/, '');
  const out = values.out;
  const get = async <T>(path: string, auth = true): Promise<T> => {
    const res = await fetch(`${base}${path}`, { headers: { accept: 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) } });
    const text = await res.text();
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  };

  let previous: WitnessLine[];
  try {
    previous = readWitnessFile(out);
  } catch (e) {
    if (e instanceof WitnessFileError) {
      err(`guishu witness: ${e.message}`);
      return 1;
    }
    throw e;
  }
  try {
    const { keys } = await get<{ keys: PublicKeyInfo[] }>('/api/keys', false);
    // A key the file has never seen: the server's key changed (a new install, or someone else signing). Refused unless said so.
    const known = new Set(previous.map((l) => l.keyId));
    if (previous.length > 0 && !keys.some((k) => known.has(k.keyId)) && !values['accept-new-key']) {
      err(`guishu witness: the server signs with key ${keys.map((k) => k.keyId).join(', ')}, which ${out} has never seen (it holds ${[...known].join(', ')}); check with the office, then run again with --accept-new-key`);
      return 1;
    }
    const projects = values.project ? [values.project] : (await get<{ projects: { projectId: string }[] }>('/api/projects')).projects.map((p) => p.projectId);
    const latest = latestWitnessed(previous);
    const accepted: WitnessLine[] = [];
    let refused = 0;
    const witnessedAt = new Date().toISOString();
    for (const projectId of projects) {
      const heads = await get<HeadsAnswer>(`/api/projects/${encodeURIComponent(projectId)}/head`);
      for (const head of [heads.events, heads.audit]) {
        const where = `${projectId} ${head.log}`;
        const key = keys.find((k) => k.keyId === head.keyId);
        if (!key || !verifyHead(head, key.publicKeyPem) || head.projectId !== projectId) {
          refused++;
          err(`✗ ${where}: the head's signature does not verify with the server's key`);
          continue;
        }
        const before = latest.get(`${projectId}\u0000${head.log}`);
        let problem: string | undefined;
        if (before && head.seq < before.seq) problem = `seq ${head.seq} is lower than seq ${before.seq} witnessed ${before.signedAt} — the log was cut back`;
        else if (before && head.seq === before.seq && head.hash !== before.hash) problem = `seq ${head.seq} hashes ${head.hash.slice(0, 16)}…, witnessed ${before.hash.slice(0, 16)}… on ${before.signedAt} — rewritten`;
        else if (before && head.seq > before.seq && before.seq > 0) {
          // The log grew: the head witnessed before must still be its prefix.
          const param = head.log === 'events' ? 'seq' : 'auditSeq';
          const then = await get<HeadsAnswer>(`/api/projects/${encodeURIComponent(projectId)}/head?${param}=${before.seq}`).catch(() => undefined);
          const at = then?.[head.log];
          if (!at || !verifyHead(at, key.publicKeyPem)) problem = `the server no longer gives the prefix at seq ${before.seq} witnessed ${before.signedAt}`;
          else if (at.hash !== before.hash) problem = `seq ${before.seq} now hashes ${at.hash.slice(0, 16)}…, witnessed ${before.hash.slice(0, 16)}… on ${before.signedAt} — rewritten`;
        }
        if (problem) {
          refused++;
          err(`✗ ${where}: refused: ${problem}`);
          continue;
        }
        accepted.push({ kind: 'head', ...head, publicKeyPem: key.publicKeyPem, server: base, witnessedAt });
        write(`✓ ${where}: seq ${head.seq} ${head.hash.slice(0, 16)}… signed ${head.signedAt} by ${head.keyId}`);
      }
    }
    appendWitnessLines(out, accepted);
    write(`${accepted.length} heads appended to ${out}${refused ? `; ${refused} refused` : ''}`);
    return refused ? 1 : 0;
  } catch (e) {
    err(`guishu witness: ${(e as Error).message}`);
    return 1;
  }
}
