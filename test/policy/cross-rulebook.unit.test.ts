// Every preset speaks its own rulebook (issue 12): a decision under a rulebook
// preset cites a clause of that rulebook, or `<rulebook>:default` where the
// rulebook is silent and the standard choice applies — never another
// rulebook's clause. Run over the scenarios (each under every rulebook preset)
// and generated timelines.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PRESETS, type ParameterId, defaultClause, isDefaultClause, rulebookOf } from '../../src/domain/policy/index.ts';
import type { Scenario } from '../../src/scenario/parse.ts';
import { type Cited, OWN_SCENARIOS, SHARED_SCENARIOS, generated, loadScenario, runScenario, scenarioFiles } from './harness.ts';

const RULEBOOK_PRESETS = [...PRESETS.keys()].filter((id) => id !== 'standard');
const files = [...scenarioFiles(OWN_SCENARIOS), ...scenarioFiles(SHARED_SCENARIOS)];

function foreign(cited: readonly Cited[], manager: ReadonlySet<string> = new Set()): string[] {
  const out = new Set<string>();
  // A policy change mid-log: a protection keeps the version it started under, so a decision may cite an earlier version's rulebook.
  const earlier = new Set<string>();
  for (const c of cited) {
    earlier.add(c.preset);
    // The standard preset cites the rulebook each choice comes from; a manager's ruling cites the clause the manager names.
    if (c.preset === 'standard' || manager.has(c.clause)) continue;
    const rulebook = rulebookOf(c.clause);
    if (rulebook !== c.preset && !earlier.has(rulebook)) out.add(`${c.preset}: ${c.clause} at ${c.where}`);
  }
  return [...out];
}

/** Clauses a scenario's rulings name themselves (`ruling.clause`): the manager's citation, not the preset's. */
function managerClauses(s: Scenario): Set<string> {
  return new Set(s.events.flatMap(({ event }) => (event.type === 'ruling' && event.clause ? [event.clause] : [])));
}

describe('a decision under a rulebook preset cites that rulebook', () => {
  it.each(RULEBOOK_PRESETS)('every scenario replayed under %s', { timeout: 60_000 }, (preset) => {
    const bad: string[] = [];
    for (const file of files) {
      const s = loadScenario(file);
      if (Object.keys(s.set).length > 0) continue; // an office's own override is its own choice
      bad.push(...foreign(runScenario(s, preset).cited, managerClauses(s)).map((x) => `${file.replace(/.*scenarios\//, '')}: ${x}`));
    }
    expect(bad.slice(0, 30), `${bad.length} decisions cite another rulebook`).toEqual([]);
  });

  it('every scenario under its own preset', () => {
    const bad = files.flatMap((file) => foreign(runScenario(loadScenario(file)).cited, managerClauses(loadScenario(file))).map((x) => `${file}: ${x}`));
    expect(bad.slice(0, 30)).toEqual([]);
  });

  it.each(RULEBOOK_PRESETS)('generated timelines under %s', { timeout: 60_000 }, (preset) => {
    const bad = [1, 2].flatMap((seed) => foreign(generated(preset, seed).cited));
    expect(bad.slice(0, 30), `${bad.length} decisions cite another rulebook`).toEqual([]);
  });
});

interface CatalogueParameter {
  id: string;
  values: { value: unknown; rulebooks: string[]; clauses: string[] }[];
}
const catalogue = parse(readFileSync(new URL('../../catalogue/rulebooks.yaml', import.meta.url), 'utf8')) as { parameters: CatalogueParameter[] };

/** Catalogue entries a preset expresses through another parameter or decision, with where. */
const ELSEWHERE: Record<string, string> = {
  'consultant-rotation-detail.helper_counts_as_rotation_turn': 'the catalogue\'s `true` from 5a is the named referral\'s turn: referral_window_days.named_counts_as_turn',
  'xx-site-mingyuan.skipped_turn_make_up': 'party_or_tour_counts_once (2.4) is the tour group, outside the rotation: the groupVisit decision',
  'channel-sms-report.registration_required_fields': 'the outreach form (1) and the report (2c) are channel_report_rules.outreach_form_required and require_name_and_time',
};

describe('`:default` only where the rulebook is silent', () => {
  it('no preset borrows the standard value of a parameter its rulebook states (catalogue `parameters:`)', () => {
    const bad: string[] = [];
    for (const param of catalogue.parameters) {
      for (const value of param.values) {
        if (value.value === 'not_stated') continue;
        for (const book of value.rulebooks) {
          if (ELSEWHERE[`${book}.${param.id}`]) continue;
          const preset = PRESETS.get(book);
          if (!preset || !(param.id in preset.parameters)) continue;
          if (preset.fromStandard.includes(param.id as ParameterId)) bad.push(`${book}.${param.id} (the catalogue gives ${JSON.stringify(value.value)} from ${value.clauses.join(', ')})`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('every borrowed parameter and decision cites `<rulebook>:default`, every own one a clause of the rulebook', () => {
    for (const preset of PRESETS.values()) {
      if (preset.id === 'standard') continue;
      for (const [k, entry] of Object.entries(preset.parameters)) {
        const borrowed = preset.fromStandard.includes(k as ParameterId);
        expect(entry.clause, `${preset.id}.${k}`).toBe(borrowed ? defaultClause(preset.id) : entry.clause);
        if (!borrowed) expect(isDefaultClause(entry.clause) || !entry.clause.startsWith(`${preset.id}.`), `${preset.id}.${k} cites ${entry.clause}`).toBe(false);
      }
      for (const [k, clause] of Object.entries(preset.clauses)) {
        const borrowed = preset.decisionsFromStandard.includes(k as never);
        expect(clause, `${preset.id} decision ${k}`).toBe(borrowed ? defaultClause(preset.id) : clause);
        if (!borrowed) expect(clause.startsWith(`${preset.id}.`), `${preset.id} decision ${k} cites ${clause}`).toBe(true);
      }
    }
  });
});
