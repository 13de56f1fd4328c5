// Checking a policy a client sends (a new project's, a `policy` event's, a
// what-if's): the preset must exist and the parameters resolve. One check for
// the server, imports and restores (bulk.ts turns its error into a BulkError).
import { PolicyError, PRESETS } from '../domain/policy/index.ts';
import type { Policy } from '../domain/policy/schema.ts';
import { initialPolicy } from '../domain/policy/wiring.ts';
import { InvalidInputError } from './errors.ts';

export { initialPolicy, policyOfEvent, policyOptions } from '../domain/policy/wiring.ts';

/** The policy `preset` + `set` resolve to; an unknown preset or a bad parameter is an InvalidInputError naming the field. */
export function checkPolicy(preset: string, set: Record<string, unknown> | undefined, presetField = 'preset', setField = 'set'): Policy {
  if (!PRESETS.has(preset)) throw new InvalidInputError(presetField, `unknown preset ${preset}; one of ${[...PRESETS.keys()].join(', ')}`, 'unknown-preset');
  try {
    return initialPolicy(preset, set);
  } catch (e) {
    if (e instanceof PolicyError) throw new InvalidInputError(`${setField}.${e.field}`, e.message, 'invalid-policy');
    throw e;
  }
}
