// Runs scenarios and generated timelines under a chosen policy and collects
// every decision's basis (changes, judge answers, deal splits), with the
// preset in force when it was made — for the policy audits in this folder.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Timeline, dealSplit, judgeArrival, policyAt } from '../../src/domain/engine/index.ts';
import type { Basis } from '../../src/domain/engine/state.ts';
import type { Change } from '../../src/domain/engine/changes.ts';
import type { OfficeEvent } from '../../src/domain/events.ts';
import { normalizePhone } from '../../src/domain/phone.ts';
import { type Scenario, parseScenario } from '../../src/scenario/parse.ts';
import { staffEvents } from '../../src/scenario/run.ts';
import { generateTimeline } from '../../src/sim/generate.ts';
import { initialPolicy, policyOfEvent } from '../../src/domain/policy/wiring.ts';

export interface Cited {
  /** The preset in force when the decision was made. */
  preset: string;
  clause: string;
  /** Where it came from, for a failure message. */
  where: string;
}

export function scenarioFiles(dir: string): string[] {
  // A fresh clone has no ../shared beside it: the repo's own copies (under test/scenarios) still run.
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'pending' ? [] : scenarioFiles(path);
      return /\.ya?ml$/.test(name) ? [path] : [];
    });
}

export const OWN_SCENARIOS = new URL('../scenarios', import.meta.url).pathname;
/** The workplace's shared scenarios beside the repository, when there (test/scenarios/shared holds the repo's copy). */
export const SHARED_SCENARIOS = new URL('../../../shared/scenarios', import.meta.url).pathname;

const parsed = new Map<string, Scenario>();
export function loadScenario(file: string): Scenario {
  let s = parsed.get(file);
  if (!s) {
    s = parseScenario(file, readFileSync(file, 'utf8'));
    parsed.set(file, s);
  }
  return s;
}

function basesOf(change: Change): Basis[] {
  switch (change.kind) {
    case 'roster':
    case 'turn':
    case 'report-converted':
    case 'deal-ruling':
      return change.kind === 'turn' ? [change.basis, ...change.turn.skipped.map((s) => s.basis)] : [change.basis];
    case 'make-up':
      return [change.makeUp.basis];
    case 'ownership':
      return [change.ownership.basis];
    case 'helper':
      return [change.helper.basis];
    case 'co-claim':
      return [change.claim.basis];
    case 'complaint':
      return [change.complaint.basis];
    case 'report':
      return change.publicLead ? [change.report.basis, change.publicLead] : [change.report.basis];
    case 'alert':
      return [change.alert.basis];
    default:
      return [];
  }
}

export interface Outcomes {
  /** Every basis a decision gave, with the preset in force. */
  cited: Cited[];
  /** A fingerprint of every decision (who, what, which clause): two policies that give the same outcomes give the same list. */
  decisions: string[];
}

/** Applies events one by one, collecting decisions, then asks the deals and the given judge questions. */
export function run(events: Iterable<OfficeEvent>, preset: string, set: Record<string, unknown> | undefined, timezone: string, questions: { at: number; phone: string; party: string[]; says: Record<string, unknown> }[] = []): Outcomes {
  const timeline = new Timeline({
    timezone,
    policy: initialPolicy(preset, set),
    keepHistory: false,
    resolvePolicy: policyOfEvent,
  });
  const cited: Cited[] = [];
  const decisions: string[] = [];
  const pending = [...questions].sort((a, b) => a.at - b.at);
  const ask = (upTo: number) => {
    while (pending.length && pending[0]!.at <= upTo) {
      const q = pending.shift()!;
      const policy = policyAt(timeline.state, q.at);
      const r = judgeArrival(timeline.state, { phone: q.phone, party: q.party, says: q.says, at: q.at }, policy);
      cited.push({ preset: policy.preset, clause: r.ownerBasis.clause, where: `judge ${q.phone}` }, { preset: policy.preset, clause: r.receiverBasis.clause, where: `judge ${q.phone} receiver` });
      decisions.push(`judge ${q.phone} ${r.receiver} ${r.owner} ${r.countsAsTurn} ${r.ownerBasis.clause} ${r.receiverBasis.clause}`);
    }
  };
  for (const event of events) {
    ask(event.at - 1);
    const policy = policyAt(timeline.state, event.at);
    const outcome = timeline.apply(event);
    if (!outcome.accepted) {
      decisions.push(`${event.id} rejected ${outcome.rejection.code}`);
      continue;
    }
    for (const change of outcome.changes) {
      for (const b of basesOf(change)) cited.push({ preset: policy.preset, clause: b.clause, where: `${event.id} (${event.type}) ${change.kind}` });
      decisions.push(fingerprint(event.id, change));
    }
  }
  ask(Number.POSITIVE_INFINITY);
  for (const deal of timeline.state.deals.values()) {
    const split = dealSplit(timeline.state, deal);
    const preset = policyAt(timeline.state, deal.at).preset;
    for (const b of [split.performanceBasis, split.commissionBasis]) cited.push({ preset, clause: b.clause, where: `deal ${deal.id}` });
    decisions.push(`deal ${deal.id} ${JSON.stringify([...split.performance])} ${JSON.stringify([...split.commission])} ${split.performanceBasis.clause} ${split.commissionBasis.clause}`);
  }
  return { cited, decisions };
}

function fingerprint(eventId: string, change: Change): string {
  switch (change.kind) {
    case 'ownership': {
      const o = change.ownership;
      return `${eventId} owner ${change.phone} ${o.owner} ${o.via} ${o.closed} ${o.protectionDays} ${o.gapDays} ${o.firstDueDay} ${o.basis.clause}`;
    }
    case 'turn':
      return `${eventId} turn ${change.turn.staff} ${change.turn.consumedMakeUp} ${change.turn.debt} ${change.turn.skipped.map((s) => `${s.staff}:${s.makeUps}`).join(',')} ${change.basis.clause}`;
    case 'make-up':
      return `${eventId} make-up ${change.staff} ${change.makeUp.basis.clause}`;
    case 'helper':
      return `${eventId} helper ${change.helper.staff} for ${change.helper.owner} ${change.helper.basis.clause}`;
    case 'co-claim':
      return `${eventId} co-claim ${change.claim.staff} ${change.claim.basis.clause}`;
    case 'report':
      return `${eventId} report ${change.report.id} ${change.failures} ${change.publicLead?.clause ?? ''}`;
    case 'renew':
      return `${eventId} renew ${change.phone} ${change.day} ${change.callback}`;
    default:
      return `${eventId} ${change.kind}`;
  }
}

/** A scenario's events (cast first), with its judge expectations as questions, under `preset` (default: the scenario's own). */
export function runScenario(s: Scenario, preset = s.preset, set: Record<string, unknown> | undefined = preset === s.preset ? s.set : undefined): Outcomes {
  const events = [...staffEvents(s), ...s.events.map((e) => e.event)];
  const questions = s.expectations
    .filter((e) => e.kind === 'judge' && e.at !== undefined)
    .map((e) => {
      const phone = (id: unknown) => normalizePhone(s.customers.get(String(id))?.phone ?? '') ?? String(id);
      const party = ((e.party as string[] | undefined) ?? []).map(phone);
      const says = { ...((e.says as Record<string, unknown> | undefined) ?? {}) };
      if (says.referredBy !== undefined) says.referredBy = { phone: phone(says.referredBy) };
      return { at: e.at!, phone: phone(e.customer), party, says };
    });
  return run(events, preset, set, s.timezone, questions);
}

/** A small generated office month under a preset. */
export function generated(preset: string, seed: number, set?: Record<string, unknown>, size = { customers: 400, days: 8, consultants: 6 }): Outcomes {
  const events = generateTimeline({ ...size, seed, preset });
  return run(events, preset, set, 'Asia/Shanghai');
}
