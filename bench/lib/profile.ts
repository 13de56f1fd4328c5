// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the top functions by
// self time and by inclusive ("total") time, with their source locations.
// `node --import tsx bench/lib/profile.ts FILE.cpuprofile [--top N] [--from-seconds S]`
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileEntry {
  name: string;
  where: string;
  selfPct: number;
  totalPct: number;
}

function label(n: ProfileNode): { name: string; where: string } {
  const f = n.callFrame;
  const url = f.url.replace(/^file:\/\//, '').replace(/^.*\/work\/main\//, '').replace(/^.*\/node_modules\//, 'node_modules/');
  return { name: f.functionName || '(anonymous)', where: url ? `${url}:${f.lineNumber + 1}` : '' };
}

/** Self and inclusive shares per function (recursion counted once per sample stack). */
export function summariseProfile(path: string, fromSeconds = 0): { seconds: number; bySelf: ProfileEntry[]; byTotal: ProfileEntry[] } {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  const selfTime = new Map<string, number>();
  const totalTime = new Map<string, number>();
  const info = new Map<string, { name: string; where: string }>();
  let all = 0;
  let elapsed = 0;
  for (let i = 0; i < samples.length; i++) {
    const dt = Math.max(0, deltas[i] ?? 0);
    elapsed += dt;
    if (elapsed < fromSeconds * 1e6) continue;
    all += dt;
    let id: number | undefined = samples[i]!;
    const seen = new Set<string>();
    let first = true;
    while (id !== undefined) {
      const n = byId.get(id)!;
      const l = label(n);
      const key = `${l.name} ${l.where}`;
      info.set(key, l);
      if (first) selfTime.set(key, (selfTime.get(key) ?? 0) + dt);
      first = false;
      if (!seen.has(key)) {
        seen.add(key);
        totalTime.set(key, (totalTime.get(key) ?? 0) + dt);
      }
      id = parent.get(id);
    }
  }
  const entries = (m: Map<string, number>): ProfileEntry[] =>
    [...m].sort((a, b) => b[1] - a[1]).map(([k]) => ({ ...info.get(k)!, selfPct: (100 * (selfTime.get(k) ?? 0)) / all, totalPct: (100 * (totalTime.get(k) ?? 0)) / all }));
  return { seconds: all / 1e6, bySelf: entries(selfTime), byTotal: entries(totalTime).filter((e) => !['(root)', '(program)', '(idle)'].includes(e.name)) };
}

/** `fromSeconds`: only samples taken that long after the profile started (e.g. after a replay). */
export function formatProfile(path: string, top = 15, fromSeconds = 0): string {
  const s = summariseProfile(path, fromSeconds);
  const row = (e: ProfileEntry) => `| ${e.selfPct.toFixed(1)}% | ${e.totalPct.toFixed(1)}% | \`${e.name}\` | ${e.where} |`;
  return [
    `profile ${path.replace(/^.*\//, '')}: ${s.seconds.toFixed(1)} s sampled`,
    '',
    'top by self time:',
    '',
    '| self | total | function | where |',
    '|---:|---:|---|---|',
    ...s.bySelf.slice(0, top).map(row),
    '',
    'top by inclusive time:',
    '',
    '| self | total | function | where |',
    '|---:|---:|---|---|',
    ...s.byTotal.slice(0, top).map(row),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 15;
  const fromAt = args.indexOf('--from-seconds');
  const from = fromAt >= 0 ? Number(args[fromAt + 1]) : 0;
  for (const f of args.filter((a) => a.endsWith('.cpuprofile'))) console.log(formatProfile(f, top, from) + '\n');
}
