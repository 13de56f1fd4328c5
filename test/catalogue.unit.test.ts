// Every clause the catalogue marks modelable is exercised by a passing
// scenario, or listed (at most ten) as not enforceable by software with a reason.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PRESETS } from '../src/domain/policy/index.ts';
import { DECISIONS, defaultClause } from '../src/domain/policy/schema.ts';

interface Book {
  id: string;
  clauses: { id: string; modelable: boolean }[];
}
const catalogue = parse(readFileSync(new URL('../catalogue/rulebooks.yaml', import.meta.url), 'utf8')) as { rulebooks: Book[] };
const allClauses = new Set(catalogue.rulebooks.flatMap((b) => b.clauses.map((c) => c.id)));
const modelable = catalogue.rulebooks.flatMap((b) => b.clauses.filter((c) => c.modelable).map((c) => c.id));

function scenarioFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'pending' ? [] : scenarioFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const scenariosDir = new URL('./scenarios', import.meta.url).pathname;
const listed = new Set(scenarioFiles(scenariosDir).flatMap((f) => ((parse(readFileSync(f, 'utf8')) as { clauses?: string[] }).clauses ?? []).map(String)));
const notEnforceable = new Map<string, string>();
for (const preset of PRESETS.values()) for (const [id, why] of Object.entries(preset.notEnforceable)) notEnforceable.set(id, why);

describe('clause coverage', () => {
  it('lists every modelable clause in a scenario or as not enforceable', () => {
    const uncovered = modelable.filter((id) => !listed.has(id) && !notEnforceable.has(id));
    expect(uncovered, `modelable clauses no scenario exercises: ${uncovered.join(', ')}`).toEqual([]);
  });

  it('declares at most ten clauses not enforceable, each a modelable clause with a reason', () => {
    expect(notEnforceable.size).toBeLessThanOrEqual(10);
    for (const [id, why] of notEnforceable) {
      expect(modelable, id).toContain(id);
      expect(why.length, id).toBeGreaterThan(20);
    }
  });

  it('names only clauses the catalogue has in scenarios', () => {
    expect([...listed].filter((id) => !allClauses.has(id))).toEqual([]);
  });
});

describe('presets', () => {
  it('has one preset per rulebook with clauses, plus standard', () => {
    const withRules = catalogue.rulebooks.filter((b) => b.clauses.length > 0).map((b) => b.id);
    expect([...PRESETS.keys()].sort()).toEqual([...withRules, 'standard'].sort());
  });

  it('cites a real clause for every parameter and every decision', () => {
    for (const preset of PRESETS.values()) {
      // `<id>:default` where the rulebook is silent (test/policy/cross-rulebook.unit.test.ts checks where).
      const real = (clause: string) => (clause === defaultClause(preset.id) ? [clause] : [...allClauses]);
      for (const [param, entry] of Object.entries(preset.parameters)) expect(real(entry.clause), `${preset.id}.${param}`).toContain(entry.clause);
      for (const key of DECISIONS) expect(real(preset.clauses[key]), `${preset.id} decision ${key}`).toContain(preset.clauses[key]);
    }
  });

  it('cites its own rulebook for what the rulebook states', () => {
    for (const preset of PRESETS.values()) {
      if (preset.id === 'standard') continue;
      const own = Object.entries(preset.parameters).filter(([k]) => !preset.fromStandard.includes(k as never));
      expect(own.length, preset.id).toBeGreaterThan(0);
      for (const [k, entry] of own) expect(entry.clause.startsWith(`${preset.id}.`), `${preset.id}.${k} cites ${entry.clause}`).toBe(true);
    }
  });
});
