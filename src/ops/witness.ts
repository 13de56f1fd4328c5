// The witness file (docs/verify.md "Witness file"): signed heads a
// controller fetched from the server (`guishu witness`), one NDJSON line per
// head, appended day after day on their own machine. `guishu verify --witness
// FILE` then checks the store against every line: a log shorter than a
// witnessed seq was cut back, a different hash at a witnessed seq was
// rewritten (and re-hashed) — both invisible to the chain alone.
//
//   {"kind":"head","format":"guishu-head/1","projectId":…,"log":"events"|"audit","seq":…,"hash":…,
//    "signedAt":…,"keyId":…,"signature":…,"publicKeyPem":…,"server":…,"witnessedAt":…}
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { auditHead } from './heads.ts';
import { verifyHead, type LogName, type PublicKeyInfo, type SignedHead } from './signing.ts';
import type { EventStore } from '../store/index.js';

export interface WitnessLine extends SignedHead {
  kind: 'head';
  /** The signer's public key (SPKI PEM), so the file checks on its own. */
  publicKeyPem: string;
  server: string;
  witnessedAt: string;
}

export class WitnessFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WitnessFileError';
  }
}

export function readWitnessFile(file: string): WitnessLine[] {
  if (!existsSync(file)) return [];
  const out: WitnessLine[] = [];
  readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
    if (!text.trim()) return;
    let obj: WitnessLine;
    try {
      obj = JSON.parse(text) as WitnessLine;
    } catch (e) {
      throw new WitnessFileError(`${file} line ${i + 1}: not JSON (${(e as Error).message})`);
    }
    if (obj?.kind !== 'head' || typeof obj.projectId !== 'string' || (obj.log !== 'events' && obj.log !== 'audit') || !Number.isInteger(obj.seq) || typeof obj.hash !== 'string') {
      throw new WitnessFileError(`${file} line ${i + 1}: not a witnessed head`);
    }
    out.push(obj);
  });
  return out;
}

export function appendWitnessLines(file: string, lines: readonly WitnessLine[]): void {
  if (lines.length) appendFileSync(file, lines.map((l) => JSON.stringify(l) + '\n').join(''), { mode: 0o644 });
}

/** The latest witnessed head per project and log (the highest seq). */
export function latestWitnessed(lines: readonly WitnessLine[]): Map<string, WitnessLine> {
  const out = new Map<string, WitnessLine>();
  for (const l of lines) {
    const k = `${l.projectId}\u0000${l.log}`;
    const prev = out.get(k);
    if (!prev || l.seq >= prev.seq) out.set(k, l);
  }
  return out;
}

export interface Contradiction {
  projectId: string;
  log: LogName;
  seq: number;
  reason: 'cut-back' | 'rewritten' | 'project-missing' | 'bad-signature';
  message: string;
}

/**
 * Every witnessed head the store contradicts. Each line's signature is
 * checked with its own public key (and, when `keys` is given, that key must
 * be one of them); then the log must reach the witnessed seq with the
 * witnessed hash there.
 */
export async function checkWitness(store: EventStore, lines: readonly WitnessLine[], keys?: readonly PublicKeyInfo[]): Promise<{ checked: number; contradictions: Contradiction[] }> {
  const contradictions: Contradiction[] = [];
  const heads = new Map<string, number | null>();
  const eventHead = async (projectId: string) => {
    if (!heads.has(projectId)) heads.set(projectId, (await store.getProject(projectId))?.headSeq ?? null);
    return heads.get(projectId)!;
  };
  for (const w of lines) {
    const at = `${w.projectId} ${w.log} seq ${w.seq}`;
    const trusted = !keys || keys.some((k) => k.keyId === w.keyId && k.publicKeyPem.trim() === w.publicKeyPem.trim());
    if (!trusted || !verifyHead(w, w.publicKeyPem)) {
      contradictions.push({ projectId: w.projectId, log: w.log, seq: w.seq, reason: 'bad-signature', message: `${at}: the witnessed head's signature does not verify${trusted ? '' : ' (not a trusted key)'}` });
      continue;
    }
    const cut = (end: number) => contradictions.push({ projectId: w.projectId, log: w.log, seq: w.seq, reason: 'cut-back', message: `${at}: witnessed ${w.hash.slice(0, 16)}… (signed ${w.signedAt}), but the log ends at seq ${end} — cut back` });
    const rewritten = (found: string) => contradictions.push({ projectId: w.projectId, log: w.log, seq: w.seq, reason: 'rewritten', message: `${at}: witnessed ${w.hash.slice(0, 16)}… (signed ${w.signedAt}), the store has ${found.slice(0, 16)}… — rewritten` });
    if (w.log === 'events') {
      const head = await eventHead(w.projectId);
      if (head === null) {
        contradictions.push({ projectId: w.projectId, log: w.log, seq: w.seq, reason: 'project-missing', message: `${at}: witnessed, but the store has no project ${w.projectId}` });
        continue;
      }
      if (w.seq === 0) continue;
      const hash = await store.eventHash(w.projectId, w.seq);
      // A head moved back below the seq, or the row gone: either way the witnessed prefix is no longer the log.
      if (head < w.seq || hash === undefined) cut(Math.min(head, (await store.lastEventSeq(w.projectId)) ?? 0));
      else if (hash !== w.hash) rewritten(hash);
    } else {
      if (w.seq === 0) continue;
      const last = await auditHead(store, w.projectId);
      const row = await store.auditHead(w.projectId, w.seq);
      if (!row) cut(last.seq);
      else if (row.hash !== w.hash) rewritten(row.hash);
    }
  }
  return { checked: lines.length, contradictions };
}
