// The one way a policy is resolved for a timeline: the genesis policy from its
// preset and parameters (in force from the beginning), and every later
// `policy` event from its own effective time (or its time). Every replay —
// the server's cache, imports, what-ifs, the CLI, scenarios, benches, tests —
// wires a Timeline with these two instead of spelling resolvePolicy out.
import type { EventOf } from '../events.ts';
import { resolvePolicy } from './resolve.ts';
import type { Policy } from './schema.ts';

/** A `policy` event's policy, as the engine asks for it (`TimelineOptions.resolvePolicy`). */
export function policyOfEvent(event: EventOf<'policy'>, version: number): Policy {
  return resolvePolicy(event.preset, event.set, event.effectiveAt ?? event.at, version);
}

/** The policy in force from the beginning: a project's genesis, a scenario's, a what-if's. */
export function initialPolicy(preset: string, set?: Readonly<Record<string, unknown>>): Policy {
  return resolvePolicy(preset, set, Number.NEGATIVE_INFINITY, 1);
}

/** The policy options of a Timeline that starts under `preset` (+ `set`). */
export function policyOptions(preset: string, set?: Readonly<Record<string, unknown>>): { policy: Policy; resolvePolicy: typeof policyOfEvent } {
  return { policy: initialPolicy(preset, set), resolvePolicy: policyOfEvent };
}
