// evolve(state, changes): the only writer of the office state.
import { coarseKey, coarseKeyOfMask } from '../phone.ts';
import type { RelationKind } from '../events.ts';
import type { Change } from './changes.ts';
import { type Customer, type OfficeState, addCustomer, customerByPhone } from './state.ts';

const INVERSE: Record<RelationKind, RelationKind> = {
  spouse: 'spouse',
  parent: 'child',
  child: 'parent',
  sibling: 'sibling',
  relative: 'relative',
  friend: 'friend',
  colleague: 'colleague',
};

/** The customer a change concerns, made on first mention. One event's changes mostly concern one customer, which decide has just looked up: `customerByPhone` answers again without the map. */
function customer(state: OfficeState, phone: string): Customer {
  let c = customerByPhone(state, phone);
  if (!c) {
    // Every field present from the start: one hidden class for a million customers keeps property access fast.
    c = {
      phone,
      name: undefined,
      firstContact: undefined,
      firstVisit: undefined,
      lastVisit: undefined,
      visits: 0,
      ownership: null,
      referral: undefined,
      staffRelations: undefined,
      relations: undefined,
      party: undefined,
      recognitions: undefined,
      helpers: undefined,
      coClaims: undefined,
      objections: undefined,
      calls: undefined,
      complaint: undefined,
      noContactUntil: undefined,
      noContactUntilDay: undefined,
      reportFailures: 0,
      publicLead: undefined,
      deals: undefined,
    };
    addCustomer(state, c);
    if (state.maskIndexed) indexCustomer(state, phone);
  }
  return c;
}

function indexCustomer(state: OfficeState, phone: string): void {
  const key = coarseKey(phone);
  const list = state.customersByKey.get(key);
  if (list) list.push(phone);
  else state.customersByKey.set(key, [phone]);
}

function push<T>(list: T[] | undefined, item: T): T[] {
  if (!list) return [item];
  list.push(item);
  return list;
}

export function evolve(state: OfficeState, changes: readonly Change[]): OfficeState {
  for (const ch of changes) apply(state, ch);
  state.applied++;
  return state;
}

function apply(state: OfficeState, ch: Change): void {
  switch (ch.kind) {
    case 'staff': {
      const prev = state.staff.get(ch.member.id);
      state.staff.set(ch.member.id, { ...prev, ...ch.member, leftAt: prev?.leftAt });
      return;
    }
    case 'policy': {
      state.policies.push(ch.policy);
      state.policies.sort((a, b) => a.effectiveAt - b.effectiveAt || a.version - b.version);
      return;
    }
    case 'roster': {
      state.rotation.order = ch.order;
      state.rotation.pointer = ch.order.length ? ch.pointer % ch.order.length : 0;
      state.rotation.rosterDay = ch.day;
      state.rotation.rosterEventId = ch.eventId;
      return;
    }
    case 'presence':
      state.presence.set(ch.staff, ch.presence);
      return;
    case 'turn': {
      const rot = state.rotation;
      const t = ch.turn;
      for (const skip of t.skipped) {
        if (skip.reason === 'debt') {
          const d = (rot.debts.get(skip.staff) ?? 1) - 1;
          if (d > 0) rot.debts.set(skip.staff, d);
          else rot.debts.delete(skip.staff);
          continue;
        }
        if (skip.makeUps > 0) {
          const list = rot.makeUps.get(skip.staff) ?? [];
          for (let i = 0; i < skip.makeUps; i++) list.push({ reason: skip.reason === 'busy' ? 'own-customer' : 'company-business', basis: skip.basis, at: ch.at });
          rot.makeUps.set(skip.staff, list);
        } else {
          rot.skips.set(skip.staff, (rot.skips.get(skip.staff) ?? 0) + 1);
        }
      }
      if (t.consumedMakeUp) {
        const list = rot.makeUps.get(t.staff);
        list?.shift();
        if (list && list.length === 0) rot.makeUps.delete(t.staff);
      }
      if (t.pointerAfter !== null) {
        rot.pointer = t.pointerAfter;
        rot.lastTaker = t.staff;
        rot.lastTakerOrder = rot.order;
      }
      if (t.debt) rot.debts.set(t.staff, (rot.debts.get(t.staff) ?? 0) + 1);
      rot.turns.set(t.staff, (rot.turns.get(t.staff) ?? 0) + 1);
      return;
    }
    case 'make-up': {
      const list = state.rotation.makeUps.get(ch.staff) ?? [];
      list.push(ch.makeUp);
      state.rotation.makeUps.set(ch.staff, list);
      return;
    }
    case 'reception':
      state.lastReception.set(ch.staff, { at: ch.at, day: ch.day, ownCustomer: ch.ownCustomer, phone: ch.phone });
      return;
    case 'customer': {
      const c = customer(state, ch.phone);
      if (ch.name) c.name = ch.name;
      return;
    }
    case 'contact': {
      const c = customer(state, ch.phone);
      if (!c.firstContact) c.firstContact = ch.contact;
      if (ch.contact.kind === 'visit') {
        c.visits++;
        if (!c.firstVisit) c.firstVisit = ch.contact;
        c.lastVisit = { kind: ch.contact.kind, staff: ch.contact.staff, at: ch.contact.at, day: ch.contact.day, eventId: ch.contact.eventId, receiver: ch.receiver ?? ch.contact.staff };
      }
      return;
    }
    case 'ownership':
      customer(state, ch.phone).ownership = ch.ownership;
      return;
    case 'renew': {
      const o = customer(state, ch.phone).ownership;
      if (o) {
        if (ch.day > o.lastContactDay) o.lastContactDay = ch.day;
        if (ch.callback && o.firstDueDay !== null && ch.day > o.startDay) o.firstCallbackDone = true;
      }
      return;
    }
    case 'helper': {
      const c = customer(state, ch.phone);
      c.helpers = push(c.helpers, ch.helper);
      return;
    }
    case 'co-claim': {
      const c = customer(state, ch.phone);
      c.coClaims = push(c.coClaims, ch.claim);
      return;
    }
    case 'objection': {
      const c = customer(state, ch.phone);
      c.objections = push(c.objections, ch.objection);
      return;
    }
    case 'referral':
      customer(state, ch.phone).referral = ch.referral;
      return;
    case 'relation': {
      const a = customer(state, ch.a);
      const b = customer(state, ch.b);
      a.relations = push(a.relations, { other: ch.b, kind: ch.relation, at: ch.at, eventId: ch.eventId });
      b.relations = push(b.relations, { other: ch.a, kind: INVERSE[ch.relation], at: ch.at, eventId: ch.eventId });
      return;
    }
    case 'party': {
      for (const phone of ch.phones) {
        const c = customer(state, phone);
        for (const other of ch.phones) if (other !== phone) c.party = push(c.party, { other, at: ch.at, eventId: ch.eventId });
      }
      return;
    }
    case 'staff-relation': {
      const c = customer(state, ch.phone);
      c.staffRelations = push(c.staffRelations, { staff: ch.staff, kind: ch.relation, at: ch.at, eventId: ch.eventId });
      return;
    }
    case 'recognition': {
      const c = customer(state, ch.phone);
      c.recognitions = push(c.recognitions, { staff: ch.staff, at: ch.at, day: ch.day, eventId: ch.eventId });
      return;
    }
    case 'call': {
      const c = customer(state, ch.phone);
      c.calls = push(c.calls, ch.call);
      if (c.calls.length > 20) c.calls.shift();
      return;
    }
    case 'complaint':
      customer(state, ch.phone).complaint = ch.complaint;
      return;
    case 'no-contact': {
      const c = customer(state, ch.phone);
      c.noContactUntil = ch.until;
      c.noContactUntilDay = ch.untilDay;
      return;
    }
    case 'report': {
      const r = ch.report;
      state.reports.set(r.id, r);
      if (r.mask && !state.maskIndexed) {
        // The first masked report: from now on customers are indexed so a mask finds them without a scan.
        for (const phone of state.customers.keys()) indexCustomer(state, phone);
        state.maskIndexed = true;
      }
      const key = r.phone ? coarseKey(r.phone) : r.mask ? coarseKeyOfMask(r.mask) : undefined;
      if (key === undefined) state.wideReports.push(r.id);
      else {
        const list = state.reportsByKey.get(key);
        if (list) list.push(r.id);
        else state.reportsByKey.set(key, [r.id]);
      }
      if (r.phone) {
        const c = customer(state, r.phone);
        c.reportFailures = ch.failures;
        // The customer is a public lead once this report, the last the limit allows, lapses (see ownerView).
        if (ch.publicLead) c.publicLead = { reportId: r.id, basis: ch.publicLead };
      }
      return;
    }
    case 'report-converted': {
      const r = state.reports.get(ch.reportId);
      if (r) r.convertedBy = { eventId: ch.eventId, phone: ch.phone, at: ch.at };
      return;
    }
    case 'deal': {
      state.deals.set(ch.deal.id, ch.deal);
      // A cancelled deal (退订/退房) frees its unit for the next deposit.
      if (ch.deal.unit && ch.deal.cancelled) {
        if (state.units.get(ch.deal.unit) === ch.deal.id) state.units.delete(ch.deal.unit);
      } else if (ch.deal.unit) state.units.set(ch.deal.unit, ch.deal.id);
      for (const phone of ch.deal.customers) {
        const c = customer(state, phone);
        if (!c.deals?.includes(ch.deal.id)) c.deals = push(c.deals, ch.deal.id);
      }
      return;
    }
    case 'deal-ruling': {
      const d = state.deals.get(ch.dealId);
      if (d) d.ruling = { performance: ch.performance ?? d.ruling?.performance, commission: ch.commission ?? d.ruling?.commission, basis: ch.basis };
      return;
    }
    case 'campaign':
      state.campaigns.push({ from: ch.from, until: ch.until, eventId: ch.eventId });
      return;
    case 'left': {
      const m = state.staff.get(ch.staff);
      if (m) m.leftAt = ch.at;
      state.rotation.makeUps.delete(ch.staff);
      state.rotation.debts.delete(ch.staff);
      return;
    }
    case 'alert':
      state.alerts.push(ch.alert);
      if (state.alerts.length > 10_000) state.alerts.shift();
      return;
    case 'settings': {
      // Versions stay ordered by effectiveAt; an equal one later in the log replaces the earlier.
      const i = state.settings.findIndex((v) => v.effectiveAt > ch.settings.effectiveAt);
      const at = i < 0 ? state.settings.length : i;
      if (at > 0 && state.settings[at - 1]!.effectiveAt === ch.settings.effectiveAt) state.settings[at - 1] = ch.settings;
      else state.settings.splice(at, 0, ch.settings);
      return;
    }
    default: {
      const _exhaustive: never = ch;
      return _exhaustive;
    }
  }
}
