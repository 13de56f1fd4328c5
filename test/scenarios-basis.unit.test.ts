// Every own scenario asserts the basis of what it checks (issue 12): an
// `owner`, `judge` or `deal` expectation carries `basis:`, the clause the
// engine must cite for that outcome. The exceptions are
// - an owner expectation of no owner (`is: none`, not `status: public`): no
//   decision was made, so there is no clause to cite;
// - the expectations listed in UNPINNED: the engine cites a clause that does
//   not govern the outcome. They stay unpinned (pinning would freeze the wrong
//   clause) until the engine cites the right one; the entry names both. An
//   entry whose expectation has since been given a basis, or no longer exists,
//   fails too, so the list only shrinks.
// An asserted basis must be a clause of the scenario's preset's rulebook (or
// `<preset>:default`); under `standard`, and for presets a `policy` event
// switches to, the clauses of those presets.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseScenario, type Expectation } from '../src/scenario/parse.ts';

const OWN = new URL('./scenarios/own', import.meta.url).pathname;

/** file (without .yaml) + signature → what the engine cites and the clause that governs. */
const UNPINNED = new Map<string, string>([
]);

interface Book {
  id: string;
  clauses: { id: string }[];
}
const catalogue = parse(readFileSync(new URL('../catalogue/rulebooks.yaml', import.meta.url), 'utf8')) as { rulebooks: Book[] };
const allClauses = new Set(catalogue.rulebooks.flatMap((b) => b.clauses.map((c) => c.id)));
const clausesOf = new Map(catalogue.rulebooks.map((b) => [b.id, new Set(b.clauses.map((c) => c.id))]));

function signature(e: Expectation): string {
  return `${e.kind} ${String(e.customer ?? e.id)}${e.atText ? ` at ${e.atText}` : ''}`;
}

/** An outcome with a clause to cite: every owner, judge and deal expectation but "no owner". */
function needsBasis(e: Expectation): boolean {
  if (e.kind === 'owner') return !(String(e.is) === 'none' && e.status !== 'public');
  return e.kind === 'judge' || e.kind === 'deal';
}

function allowed(basis: string, presets: Set<string>): boolean {
  for (const p of presets) {
    if (basis === `${p}:default`) return true;
    if (p === 'standard' ? allClauses.has(basis) : clausesOf.get(p)?.has(basis)) return true;
  }
  return false;
}

const files = readdirSync(OWN).filter((f) => /\.ya?ml$/.test(f)).sort();

describe('own scenarios assert the basis of what they check', () => {
  const missing: string[] = [];
  const foreign: string[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const s = parseScenario(file, readFileSync(join(OWN, file), 'utf8'));
    const presets = new Set([s.preset]);
    for (const { event } of s.events) if (event.type === 'policy') presets.add(event.preset);
    const name = file.replace(/\.ya?ml$/, '');
    for (const e of s.expectations) {
      if (!needsBasis(e)) continue;
      const key = `${name}: ${signature(e)}`;
      if (e.basis === undefined) {
        if (UNPINNED.has(key)) seen.add(key);
        else missing.push(`${file} expect #${e.index} (${signature(e)})`);
      } else if (!allowed(String(e.basis), presets)) {
        foreign.push(`${file} expect #${e.index} (${signature(e)}): ${String(e.basis)} is not a clause of ${[...presets].join(', ')}`);
      }
    }
  }

  it('every owner, judge and deal expectation carries `basis:`', () => {
    expect(missing, `expectations without a basis (add the clause the engine cites, once checked against the scenario's intent; if it is the wrong clause, list it in UNPINNED):\n${missing.join('\n')}`).toEqual([]);
  });

  it('every asserted basis is a clause of the scenario\'s own preset (or <preset>:default)', () => {
    expect(foreign).toEqual([]);
  });

  it('UNPINNED lists only expectations that still lack a basis', () => {
    const stale = [...UNPINNED.keys()].filter((k) => !seen.has(k));
    expect(stale, 'entries that now carry a basis or no longer exist: remove them').toEqual([]);
  });
});
