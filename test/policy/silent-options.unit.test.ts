// Every option the policy schema accepts does something (issue 12): for every
// enum option and every boolean of every parameter, a policy using it changes
// some decision — on a generated timeline or a scenario — compared with the
// policy that does not. Options that would change nothing were removed from
// the schema (docs/policy.md, "Options removed as equivalent").
import { describe, expect, it } from 'vitest';
import { PARAMETER_IDS, PRESETS, type ParameterId, policyParameters } from '../../src/domain/policy/index.ts';
import { OWN_SCENARIOS, SHARED_SCENARIOS, type Outcomes, generated, loadScenario, runScenario, scenarioFiles } from './harness.ts';

interface Option {
  param: ParameterId;
  /** Field path inside an object value ([] for the value itself). */
  path: string[];
  value: unknown;
}

type Def = { type: string; innerType?: Z; entries?: Record<string, string>; shape?: Record<string, Z> };
type Z = { def: Def; shape?: Record<string, Z> };

function optionsOf(schema: Z, param: ParameterId, path: string[]): Option[] {
  const d = schema.def;
  switch (d.type) {
    case 'nullable':
    case 'optional':
      return optionsOf(d.innerType!, param, path);
    case 'enum':
      return Object.values(d.entries ?? {}).map((value) => ({ param, path, value }));
    case 'boolean':
      return [true, false].map((value) => ({ param, path, value }));
    case 'object':
      return Object.entries(schema.shape ?? d.shape ?? {}).flatMap(([k, s]) => optionsOf(s, param, [...path, k]));
    default:
      // Numbers (days, ratios) act through their value; lists (the front desk's questions, penalties) are what the forms show.
      return [];
  }
}

const OPTIONS: Option[] = PARAMETER_IDS.flatMap((id) => optionsOf((policyParameters.shape[id] as unknown as { shape: { value: Z } }).shape.value, id, []));

function valueAt(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], value);
}
function setFor(o: Option): Record<string, unknown> {
  let v: unknown = o.value;
  for (const k of [...o.path].reverse()) v = { [k]: v };
  return { [o.param]: v };
}
function differ(a: Outcomes, b: Outcomes): boolean {
  return a.decisions.length !== b.decisions.length || a.decisions.some((d, i) => d !== b.decisions[i]);
}

const files = [...scenarioFiles(OWN_SCENARIOS), ...scenarioFiles(SHARED_SCENARIOS)].map(loadScenario);
const baseScenario = new Map<string, Outcomes>();
const baseGenerated = new Map<string, Outcomes>();

const standard = PRESETS.get('standard')!;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function baseline(cache: Map<string, Outcomes>, key: string, make: () => Outcomes): Outcomes {
  let o = cache.get(key);
  if (!o) {
    o = make();
    cache.set(key, o);
  }
  return o;
}

/** Where the option changes a decision, or null: generated timelines and every scenario under `standard`, then each preset's own. */
function whereItActs(o: Option): string | null {
  const set = setFor(o);
  for (const preset of PRESETS.keys()) {
    if (same(valueAt(PRESETS.get(preset)!.parameters[o.param].value, o.path), o.value)) continue;
    for (const seed of [1, 2]) {
      const key = `${preset}/${seed}`;
      if (differ(baseline(baseGenerated, key, () => generated(preset, seed)), generated(preset, seed, set))) return `generated ${key}`;
    }
    for (const s of files) {
      if (preset !== 'standard' && s.preset !== preset) continue;
      const key = `${preset}/${s.file}`;
      const own = preset === s.preset ? s.set : {};
      if (differ(baseline(baseScenario, key, () => runScenario(s, preset, own)), runScenario(s, preset, { ...own, ...set }))) return `${s.file.replace(/.*scenarios\//, '')} under ${preset}`;
    }
  }
  return null;
}

describe('no silent option', () => {
  it('lists the options', () => {
    expect(OPTIONS.length).toBeGreaterThan(40);
  });

  // The standard preset's own choice is the default the others are measured against.
  const choices = OPTIONS.filter((o) => !same(valueAt(standard.parameters[o.param].value, o.path), o.value));
  it.each(choices.map((o) => [`${o.param}${o.path.map((k) => '.' + k).join('')} = ${JSON.stringify(o.value)}`, o] as const))('%s changes a decision', { timeout: 120_000 }, (_name, o) => {
    expect(whereItActs(o), 'no generated timeline or scenario decides differently with this option').not.toBeNull();
  });
});
