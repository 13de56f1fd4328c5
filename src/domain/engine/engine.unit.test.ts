// Focused Given/When/Then cases over the engine: the contracts the YAML
// scenarios take for granted (rejections change nothing, judging records
// nothing, period boundaries, corrections, policy versions, bases cite the
// catalogue). Rules themselves are the scenarios' job.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  accepted,
  call,
  correction,
  customer,
  deal,
  dealOf,
  duty,
  followup,
  judge,
  leave,
  office,
  ownerOf,
  phoneOf,
  policyVersion,
  rejected,
  report,
  rotation,
  ruling,
  snapshot,
  status,
  t,
  visit,
} from '../../../test/builders.ts';
import type { OfficeEvent } from '../events.ts';
import { PRESETS, resolvePolicy } from '../policy/index.ts';
import type { RejectionCode } from '../rejection.ts';
import { generateTimeline } from '../../sim/generate.ts';
import { type Change, Timeline, reportView } from './index.ts';

const catalogue = parse(readFileSync(new URL('../../../catalogue/rulebooks.yaml', import.meta.url), 'utf8')) as { rulebooks: { clauses: { id: string }[] }[] };
const CLAUSES = new Set(catalogue.rulebooks.flatMap((b) => b.clauses.map((c) => c.id)));

const c1 = customer('138 0013 8000', '王先生');
const c2 = customer('+86 139-0013-9000', '王太太');
const c3 = customer('137 1111 2222', '李女士');
const c5 = customer('186 5555 6666', '赵先生');

describe('ownership and its protection period', () => {
  it('a new customer goes to the consultant up in the rotation, who becomes the owner', () => {
    office()
      .given(duty({ at: '2025-03-01 09:00', order: ['A', 'B', 'C'] }))
      .when(visit({ customer: c1, at: '2025-03-01 09:30' }))
      .then(accepted(), ownerOf(c1).is('A').status('protected').because('sales-dept-first-visit.1.2'), rotation().next('B'), rotation().turns({ A: 1, B: 0 }));
  });

  it('after protection lapses, the next receiver takes the customer on the clause whose period ran out', () => {
    office('shenyang-multi-team')
      .given(visit({ customer: c1, receivedBy: 'A', at: '2025-03-01 10:00' }))
      .when(visit({ customer: c1, receivedBy: 'B', at: '2025-03-20 10:00' }))
      .then(ownerOf(c1).is('B').because('shenyang-multi-team.2.2a')); // 接访客户15天时效
  });

  it('a 15-day period covers day 15 to its last minute and lapses at 00:00 of day 16', () => {
    office()
      .given(visit({ customer: c1, receivedBy: 'A', at: '2025-03-01 10:00' }))
      .then(
        ownerOf(c1).at('2025-03-16 23:59').is('A').status('protected'),
        ownerOf(c1).at('2025-03-17 00:00').is('A').status('lapsed'),
      );
  });

  it('a registration after the 18:00 cut-off counts from the next day (shenyang-multi-team.1.3b)', () => {
    office('shenyang-multi-team')
      .given(visit({ customer: c1, receivedBy: 'A', at: '2025-03-01 18:30' }))
      .then(ownerOf(c1).at('2025-03-17 23:59').status('protected'), ownerOf(c1).at('2025-03-18 00:00').status('lapsed'));
  });

  it("the owner's effective follow-up restarts the period; a colleague's or an ineffective one does not", () => {
    const o = office().given(visit({ customer: c1, receivedBy: 'A', at: '2025-03-01 10:00' }));
    o.when(followup({ customer: c1, staff: 'B', at: '2025-03-08 10:00' })).then(ownerOf(c1).at('2025-03-17 00:00').status('lapsed'));
    o.when(followup({ customer: c1, staff: 'A', at: '2025-03-09 10:00', effective: false })).then(ownerOf(c1).at('2025-03-17 00:00').status('lapsed'));
    o.when(followup({ customer: c1, staff: 'A', at: '2025-03-10 10:00' })).then(
      ownerOf(c1).at('2025-03-25 23:59').is('A').status('protected'),
      ownerOf(c1).at('2025-03-26 00:00').status('lapsed'),
    );
  });

  it('a call owns for 7 days; a visit after that is a new customer of the receiver', () => {
    const o = office().given(call({ customer: c1, staff: 'A', at: '2025-03-01 10:00' }));
    o.then(ownerOf(c1).is('A').because('attribution-definition.1.1a'), ownerOf(c1).at('2025-03-08 23:59').status('protected'));
    o.when(visit({ customer: c1, receivedBy: 'B', at: '2025-03-10 10:00' })).then(ownerOf(c1).is('B').because('shenyang-multi-team.2.2a').status('protected')); // the 7-day call period ran out
  });

  it('a protected customer received by a colleague stays with the owner', () => {
    office()
      .given(duty({ at: '2025-03-05 09:00', order: ['A', 'B', 'C'] }), visit({ customer: c1, receivedBy: 'A', at: '2025-03-01 10:00' }))
      .when(visit({ customer: c1, receivedBy: 'B', at: '2025-03-05 10:00' }))
      .then(accepted(), ownerOf(c1).is('A').status('protected').because('sales-dept-first-visit.1.2'));
  });

  it("a departed consultant's open customers go to the pool; a buyer stays theirs", () => {
    office()
      .given(
        visit({ customer: c1, receivedBy: 'A', at: '2025-03-01 10:00' }),
        visit({ customer: c2, receivedBy: 'A', at: '2025-03-01 11:00' }),
        deal({ deal: 'd1', customer: c2, closedBy: 'A', at: '2025-03-02 10:00', unit: '1-101' }),
      )
      .when(leave({ staff: 'A', at: '2025-03-03 18:00' }))
      .then(ownerOf(c1).is('none').status('public').because('attribution-definition.2.3'), ownerOf(c2).is('A').status('closed'));
  });
});

describe('rotation', () => {
  it('a consultant away on company business is passed over and owed a make-up turn, taken first on return', () => {
    office()
      .given(
        duty({ at: '2025-03-01 09:00', order: ['A', 'B', 'C'] }),
        status({ staff: 'B', state: 'away-business', at: '2025-03-01 09:10', until: '2025-03-01 12:00' }),
        visit({ customer: c1, at: '2025-03-01 09:30' }),
      )
      .when(visit({ customer: c2, at: '2025-03-01 09:40' }))
      .then(ownerOf(c2).is('C'), rotation('2025-03-01 10:00').makeUps({ B: 1 }), rotation('2025-03-01 10:00').next('A'), rotation('2025-03-01 12:30').next('B'));
  });
});

describe('channel reports', () => {
  it('a reported customer arriving inside the validity belongs to the agent; the rotation receives', () => {
    const o = office().given(duty({ at: '2025-03-03 09:00', order: ['A', 'B', 'C'] }), report({ id: 'r1', customer: c5, staff: 'X', at: '2025-03-01 10:00' }));
    o.when(visit({ customer: c5, at: '2025-03-03 10:00' })).then(ownerOf(c5).is('X').because('channel-sms-report.2a'), rotation().turns({ A: 1 }));
    expect(reportView(o.state, 'r1', t('2025-03-03 11:00'))?.status).toBe('converted');
    expect(o.state.customers.get(phoneOf(c5))?.lastVisit?.receiver).toBe('A');
  });

  it('a report is valid through day 7 and expired at 00:00 of day 8', () => {
    const o = office().given(report({ id: 'r1', customer: c5, staff: 'X', at: '2025-03-01 10:00' }));
    expect(reportView(o.state, 'r1', t('2025-03-08 23:59'))?.status).toBe('valid');
    expect(reportView(o.state, 'r1', t('2025-03-09 00:00'))?.status).toBe('expired');
  });

  it('a masked report that fits two known customers is accepted with both as candidates and an alert', () => {
    const o = office()
      .given(call({ customer: customer('138 1234 8888', '钱一'), staff: 'A', at: '2025-03-01 10:00' }), call({ customer: customer('138 9999 8888', '钱二'), staff: 'B', at: '2025-03-01 11:00' }))
      .when(report({ id: 'r1', customer: customer('138****8888', '钱'), staff: 'X', at: '2025-03-02 10:00' }))
      .then(accepted());
    expect(o.state.reports.get('r1')?.candidates?.sort()).toEqual(['13812348888', '13899998888']);
    expect(o.state.alerts.map((a) => a.kind)).toContain('ambiguous-report');
  });

  it('where the policy requires the name, a masked report under another surname is not a customer on record (accepted, no candidate), and does not convert at their visit', () => {
    const o = office()
      .given(duty({ at: '2025-03-03 09:00', order: ['A', 'B', 'C'] }), visit({ customer: customer('138 1234 8888', '李明'), at: '2025-03-01 10:00' }))
      .when(report({ id: 'r1', customer: customer('138****8888', '王'), staff: 'X', at: '2025-03-02 10:00' }))
      .then(accepted());
    expect(o.state.reports.get('r1')?.candidates).toBeUndefined();
    const wang = customer('139 1234 8888', '王小姐');
    o.when(report({ id: 'r2', customer: customer('139****8888', '李'), staff: 'X', at: '2025-03-02 11:00' })).then(accepted());
    o.when(visit({ customer: wang, receivedBy: 'C', at: '2025-03-03 10:00' })).then(ownerOf(wang).is('C'));
    expect(reportView(o.state, 'r2', t('2025-03-03 12:00'))?.status).toBe('valid');
  });
});

describe('deals', () => {
  it("the owner's own deal: all credit to them, and the customer stays theirs after the period", () => {
    office()
      .given(visit({ customer: c1, receivedBy: 'A', at: '2025-03-01 10:00' }))
      .when(deal({ deal: 'd1', customer: c1, closedBy: 'A', at: '2025-03-05 15:00', unit: '3-1201' }))
      .then(dealOf('d1').splits({ A: 1 }), ownerOf(c1).at('2025-06-01 10:00').is('A').status('closed').because('shenyang-multi-team.2.2b'));
  });

  it('a stand-in who closes the absent owner’s customer that day shares the commission 5:5; another day, all to the owner', () => {
    const given = [
      duty({ at: '2025-03-05 09:00', order: ['A', 'B', 'C'] }),
      visit({ customer: c1, receivedBy: 'A', at: '2025-03-01 10:00' }),
      status({ staff: 'A', state: 'away-business', at: '2025-03-05 09:05' }),
      visit({ customer: c1, receivedBy: 'B', at: '2025-03-05 10:00' }),
    ];
    office()
      .given(...given)
      .when(deal({ deal: 'd1', customer: c1, closedBy: 'B', at: '2025-03-05 15:00' }))
      .then(dealOf('d1').splits({ A: 1 }, { A: '1/2', B: '1/2' }), ownerOf(c1).is('A').status('closed'));
    office()
      .given(...given.map((e) => ({ ...e, id: `${e.id}'` })))
      .when(deal({ deal: 'd1', customer: c1, closedBy: 'B', at: '2025-03-06 15:00' }))
      .then(dealOf('d1').splits({ A: 1 }));
  });

  it("a manager's ruling on a deal wins, shares exact", () => {
    office()
      .given(visit({ customer: c1, receivedBy: 'A', at: '2025-03-01 10:00' }), deal({ deal: 'd1', customer: c1, closedBy: 'A', at: '2025-03-02 10:00' }))
      .when(ruling({ deal: 'd1', performance: { A: 0.7, B: 0.3 }, commission: { A: '1/3', B: '1/3', C: '1/3' }, by: 'M', at: '2025-03-03 10:00' }))
      .then(accepted(), dealOf('d1').splits({ A: '7/10', B: '3/10' }, { A: '1/3', B: '1/3', C: '1/3' }));
  });
});

describe('a refused event changes nothing', () => {
  const base = (): OfficeEvent[] => [
    duty({ at: '2025-03-01 09:00', order: ['A', 'B', 'C'] }),
    visit({ id: 'v1', customer: c1, receivedBy: 'A', at: '2025-03-01 10:00' }),
    report({ customer: c5, staff: 'X', at: '2025-03-01 11:00' }),
    deal({ deal: 'd1', customer: c1, closedBy: 'A', at: '2025-03-01 15:00', unit: '1-101' }),
    leave({ staff: 'C', at: '2025-03-01 16:00' }),
  ];
  const cases: [string, RejectionCode, () => OfficeEvent][] = [
    ['a landline for a phone', 'invalid-phone', () => visit({ customer: '0571 8822 6601', receivedBy: 'A', at: '2025-03-02 10:00' })],
    ['ten digits', 'invalid-phone', () => call({ customer: '138 0013 800', staff: 'A', at: '2025-03-02 10:00' })],
    ['no name where the policy needs one', 'missing-field', () => visit({ customer: customer('137 1111 2222', null), receivedBy: 'B', at: '2025-03-02 10:00' })],
    ['staff not in the cast', 'unknown-staff', () => followup({ customer: c1, staff: 'Z', at: '2025-03-02 10:00' })],
    ['a consultant who left', 'staff-left', () => visit({ customer: c3, receivedBy: 'C', at: '2025-03-02 10:00' })],
    ['a second report while one is valid', 'duplicate-report', () => report({ customer: c5, staff: 'X', at: '2025-03-02 10:00' })],
    ['a report after the first visit', 'report-after-visit', () => report({ customer: c1, staff: 'X', at: '2025-03-02 10:00' })],
    ['a deposit on a unit another deal holds', 'unit-taken', () => deal({ deal: 'd2', customer: c3, closedBy: 'B', at: '2025-03-02 10:00', unit: '1-101' })],
    ['an event id used before', 'duplicate-id', () => followup({ id: 'v1', customer: c1, staff: 'A', at: '2025-03-02 10:00' })],
    ['a ruling by a consultant', 'not-manager', () => ruling({ customer: c1, owner: 'B', by: 'A', at: '2025-03-02 10:00' })],
    ['a ruling with shares not summing to 1', 'invalid-field', () => ruling({ deal: 'd1', performance: { A: 0.5, B: 0.4 }, by: 'M', at: '2025-03-02 10:00' })],
    ['a correction of an event that does not exist', 'unknown-event', () => correction({ of: 'nope', set: { receivedBy: 'B' }, by: 'M', at: '2025-03-02 10:00' })],
    ['a correction by a consultant', 'not-manager', () => correction({ of: 'v1', set: { receivedBy: 'B' }, by: 'A', at: '2025-03-02 10:00' })],
  ];
  it.each(cases)('%s → %s', (_name, code, event) => {
    office().given(...base()).when(event()).then(rejected(code));
  });
});

describe('judging', () => {
  it('records nothing, and a visit left to the engine then does what the judge said', () => {
    const o = office().given(
      duty({ at: '2025-03-01 09:00', order: ['A', 'B', 'C'] }),
      visit({ customer: c1, receivedBy: 'B', at: '2025-03-01 09:20' }),
      report({ customer: c5, staff: 'X', at: '2025-03-01 09:25' }),
      status({ staff: 'A', state: 'away-personal', at: '2025-03-01 09:26' }),
    );
    const before = snapshot(o.state);
    const returning = judge(o.state, { customer: c1, at: '2025-03-01 10:00' });
    const fresh = judge(o.state, { customer: c2, at: '2025-03-01 10:00', says: { firstVisit: true } });
    const reported = judge(o.state, { customer: c5, at: '2025-03-01 10:00' });
    const named = judge(o.state, { customer: c3, at: '2025-03-01 10:00', says: { consultant: 'C' } });
    expect(snapshot(o.state)).toBe(before);
    expect([returning.receiver, returning.owner, returning.countsAsTurn]).toEqual(['B', 'B', false]);
    expect([reported.owner, named.owner]).toEqual(['X', 'C']);

    o.when(visit({ customer: c2, at: '2025-03-01 10:00', says: { firstVisit: true } })).then(ownerOf(c2).is(fresh.owner));
    expect(o.state.customers.get(phoneOf(c2))?.lastVisit?.receiver).toBe(fresh.receiver);
    expect(fresh.receiver).toBe('C'); // B took the first customer out of order, so the queue carries on after B
  });
});

describe('corrections', () => {
  it('replay the corrected registration and keep the original on record', () => {
    const o = office()
      .given(visit({ id: 'v1', customer: c1, receivedBy: 'A', at: '2025-03-01 10:00' }), followup({ customer: c1, staff: 'A', at: '2025-03-02 10:00' }))
      .when(correction({ id: 'fix', of: 'v1', set: { receivedBy: 'B' }, by: 'M', at: '2025-03-03 10:00' }))
      .then(accepted(), ownerOf(c1).is('B'));
    const original = o.entries.find((e) => e.event.id === 'v1');
    expect(original?.event).toMatchObject({ type: 'visit', receivedBy: 'A' });
    expect(o.entries.map((e) => e.event.id)).toContain('fix');
    expect(o.state.customers.get(phoneOf(c1))?.lastVisit?.receiver).toBe('B');
  });

  it('a refused registration whose phone is corrected is accepted on replay; the mistyped one stays on record', () => {
    const o = office();
    expect(o.apply(visit({ id: 'v1', customer: customer('138 0013 800', '王先生'), receivedBy: 'A', at: '2025-03-01 10:00' })).accepted).toBe(false);
    o.when(correction({ of: 'v1', set: { customer: { phone: '138 0013 8000' } }, by: 'M', at: '2025-03-01 12:00' })).then(accepted(), ownerOf(c1).is('A'));
    expect(o.timeline.rejections.has('v1')).toBe(false);
    expect(o.entries.find((e) => e.event.id === 'v1')?.event).toMatchObject({ customer: { phone: '138 0013 800', name: '王先生' } });
    expect(o.state.customers.get('13800138000')?.name).toBe('王先生');
  });
});

describe('policy versions', () => {
  it('a new protection length applies from effectiveAt, not from when it was recorded, and never retroactively', () => {
    office()
      .given(
        visit({ customer: c1, receivedBy: 'A', at: '2025-03-01 10:00' }),
        policyVersion({ preset: 'standard', set: { visit_protection_days: 30 }, at: '2025-03-05 09:00', effectiveAt: '2025-03-10 00:00' }),
        visit({ customer: c2, receivedBy: 'B', at: '2025-03-07 10:00' }),
        visit({ customer: c3, receivedBy: 'C', at: '2025-03-11 10:00' }),
      )
      .then(
        ownerOf(c1).at('2025-03-17 00:00').status('lapsed'),
        ownerOf(c2).at('2025-03-22 23:59').status('protected'),
        ownerOf(c2).at('2025-03-23 00:00').status('lapsed'),
        ownerOf(c3).at('2025-04-10 23:59').is('C').status('protected'),
        ownerOf(c3).at('2025-04-11 00:00').status('lapsed'),
      );
  });
});

/** Every `{ clause }` inside a change (ownership, turn, make-up, helper, report, alert …). */
function clausesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) clausesIn(v, out);
  else if (value instanceof Map) for (const v of value.values()) clausesIn(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.clause === 'string' && Array.isArray(o.events)) out.push(o.clause);
    for (const v of Object.values(o)) clausesIn(v, out);
  }
  return out;
}

describe('every decision cites a clause of the catalogue', () => {
  it.each([...PRESETS.keys()])('%s: the basis of every accepted change in a generated fortnight', (preset) => {
    const timeline = new Timeline({
      timezone: 'Asia/Shanghai',
      policy: resolvePolicy(preset, undefined, Number.NEGATIVE_INFINITY),
      keepHistory: true,
      resolvePolicy: (ev, version) => resolvePolicy(ev.preset, ev.set, ev.effectiveAt ?? ev.at, version),
    });
    const cited = new Map<string, string>();
    let changes = 0;
    for (const event of generateTimeline({ customers: 250, days: 14, consultants: 5, seed: 17, preset })) {
      const outcome = timeline.apply(event);
      if (!outcome.accepted) continue;
      for (const ch of outcome.changes as Change[]) {
        changes++;
        for (const clause of clausesIn(ch)) if (!cited.has(clause)) cited.set(clause, `${event.id} ${ch.kind}`);
      }
    }
    expect(changes).toBeGreaterThan(500);
    // devco-conduct-ch7 states little beyond first reception: its other decisions cite `devco-conduct-ch7:default`.
    expect(cited.size).toBeGreaterThan(1);
    // `<preset>:default`: the rulebook is silent and the standard choice applies (test/policy/cross-rulebook.unit.test.ts).
    const unknown = [...cited].filter(([clause]) => !CLAUSES.has(clause) && clause !== `${preset}:default`);
    expect(unknown, 'clauses cited that the catalogue does not have').toEqual([]);
  });
});
