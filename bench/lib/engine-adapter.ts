// The one place the benchmark touches the engine. Everything else in
// bench/engine.bench.ts talks to `EngineAdapter`; when the engine's API moves,
// change `createEngine` below and nothing else.
import type { OfficeEvent, Says } from '../../src/domain/events.ts';
import { Timeline, judgeArrival, policyAt } from '../../src/domain/engine/index.ts';
import { initialPolicy, policyOfEvent } from '../../src/domain/policy/wiring.ts';

export interface EngineAdapter {
  readonly name: string;
  /** Applies one event; a refusal is not an error (it is counted), anything thrown is. */
  apply(event: OfficeEvent): { accepted: boolean; code?: string };
  /** The front desk's question for an arriving customer (phone already normalised), recording nothing. */
  judge(phone: string, at: number, says: Says): unknown;
}

/**
 * `server`: the options of the server's cold start (`replayLog` in src/app/office.ts): every
 * event kept without its changes (`keepHistory: 'events'`, for corrections and what-ifs), no
 * id set (the store's unique key and the app's index refuse repeats).
 * `lean`: neither — the least a trusted replay can do.
 */
export type ReplayMode = 'server' | 'lean';

export function createEngine(timezone: string, preset = 'standard', mode: ReplayMode = 'server'): EngineAdapter {
  const timeline = new Timeline({
    timezone,
    policy: initialPolicy(preset, undefined),
    keepHistory: mode === 'server' ? 'events' : false,
    checkIds: false,
    resolvePolicy: policyOfEvent,
  });
  return {
    name: `Timeline (src/domain/engine), ${mode === 'server' ? "server cold-start options: keepHistory 'events'" : 'lean: no history, no id check'}`,
    apply(event) {
      const outcome = timeline.apply(event);
      return outcome.accepted ? { accepted: true } : { accepted: false, code: outcome.rejection.code };
    },
    judge(phone, at, says) {
      const state = timeline.state;
      return judgeArrival(state, { phone, party: [], says, at }, policyAt(state, at));
    },
  };
}
