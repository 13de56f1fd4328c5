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
 * `server`: the options of the server's cold start (`timelineOptions` in src/app/replay.ts): no
 * history (the cache keeps the state, not the events) and no id set (the store's unique key and
 * the app's id filter refuse repeats).
 * `history`: as the server replays a project for a correction (`history: true`): every event kept
 * without its changes (`keepHistory: 'events'`).
 */
export type ReplayMode = 'server' | 'history';

export function createEngine(timezone: string, preset = 'standard', mode: ReplayMode = 'server'): EngineAdapter {
  const timeline = new Timeline({
    timezone,
    policy: initialPolicy(preset, undefined),
    keepHistory: mode === 'history' ? 'events' : false,
    checkIds: false,
    resolvePolicy: policyOfEvent,
  });
  return {
    name: `Timeline (src/domain/engine), ${mode === 'history' ? "a correction's replay options: keepHistory 'events'" : 'server cold-start options: no history, no id check'}`,
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
