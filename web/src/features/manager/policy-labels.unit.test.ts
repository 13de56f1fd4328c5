// Every parameter, field and option of the policy schema has words in the
// policy editor (policy-labels.ts): a new option without a label fails here,
// so nothing ships as a raw identifier; a label for something the schema no
// longer has fails too.
import { describe, expect, it } from 'vitest';
import { PARAMETER_IDS, PRESETS, policyParameters } from '../../../../src/domain/policy/index.ts';
import { FIELD_LABELS, OPTION_LABELS, PARAMETER_LABELS, RULEBOOK_TITLES_EN, type Label } from './policy-labels.ts';

type Z = { def: { type: string; innerType?: Z; entries?: Record<string, string>; shape?: Record<string, Z>; element?: Z } };

/** The fields (`param.field`) and options (`path=option`) a parameter's value schema has. */
function walk(schema: Z, path: string, fields: Set<string>, options: Set<string>): void {
  const d = schema.def;
  switch (d.type) {
    case 'nullable':
    case 'optional':
      walk(d.innerType!, path, fields, options);
      return;
    case 'enum':
      for (const o of Object.values(d.entries ?? {})) options.add(`${path}=${o}`);
      return;
    case 'array':
      walk(d.element!, path, fields, options);
      return;
    case 'object':
      for (const [k, s] of Object.entries(d.shape ?? {})) {
        fields.add(`${path}.${k}`);
        walk(s, `${path}.${k}`, fields, options);
      }
      return;
    default:
  }
}

const fields = new Set<string>();
const options = new Set<string>();
const shape = policyParameters.shape as unknown as Record<string, { shape: { value: Z } }>;
for (const id of PARAMETER_IDS) walk(shape[id]!.shape.value, id, fields, options);

const words = (l: Label | undefined) => !!l && [l.zh, l.en, l.hint.zh, l.hint.en].every((s) => s.trim().length > 0) && !/^[a-z0-9_.=]+$/.test(l.zh);

describe('the policy editor names everything in the schema', () => {
  it('every parameter has a Chinese label, an English one and a one-line explanation', () => {
    expect(PARAMETER_IDS.filter((id) => !words(PARAMETER_LABELS[id]))).toEqual([]);
  });
  it(`every field of a parameter's value (${fields.size}) has words`, () => {
    expect([...fields].filter((k) => !words(FIELD_LABELS[k]))).toEqual([]);
  });
  it(`every option (${options.size}) has words`, () => {
    expect([...options].filter((k) => !words(OPTION_LABELS[k]))).toEqual([]);
  });
  it('no label for something the schema no longer has', () => {
    expect(Object.keys(PARAMETER_LABELS).filter((k) => !(PARAMETER_IDS as string[]).includes(k))).toEqual([]);
    expect(Object.keys(FIELD_LABELS).filter((k) => !fields.has(k))).toEqual([]);
    expect(Object.keys(OPTION_LABELS).filter((k) => !options.has(k))).toEqual([]);
  });
  it('every rulebook has an English title beside its preset’s Chinese one', () => {
    expect([...PRESETS.keys()].filter((id) => !RULEBOOK_TITLES_EN[id])).toEqual([]);
  });
});
