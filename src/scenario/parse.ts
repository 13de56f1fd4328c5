// Reads a scenario (shared/spec/scenario-format.md) into domain events and
// expectations. A file error names the file, the event number and the field;
// a fact the rules refuse is not a file error — it becomes a rejected event.
import { parse as parseYaml } from 'yaml';
import type { CustomerRef, OfficeEvent, StaffRole } from '../domain/events.ts';
import { STAFF_ROLES, officeEvent } from '../domain/events.ts';
import { DEFAULT_TIMEZONE, isValidTimezone, parseLocalTime } from '../domain/time.ts';

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly where: string,
    message: string,
  ) {
    super(`${file}: ${where}: ${message}`);
    this.name = 'ScenarioError';
  }
}

export interface CastMember {
  id: string;
  name?: string;
  team?: string;
  role: StaffRole;
  agency?: string;
}

export type Expectation = Record<string, unknown> & { kind: string; at?: number; atText?: string; index: number };

export interface Scenario {
  file: string;
  title: string;
  clauses: string[];
  preset: string;
  set: Record<string, unknown>;
  timezone: string;
  staff: CastMember[];
  customers: Map<string, { name?: string; phone: string }>;
  /** Domain events, with the names the file gives them (`id:` or `#n`). */
  events: { event: OfficeEvent; name: string; index: number }[];
  expectations: Expectation[];
  start: number;
}

const TOP = new Set(['title', 'clauses', 'policy', 'timezone', 'staff', 'customers', 'events', 'expect']);
const COMMON = ['at', 'type', 'id'];
const FIELDS: Record<string, string[]> = {
  duty: ['order'],
  status: ['staff', 'state', 'until'],
  call: ['customer', 'staff', 'direction', 'appointment', 'phone', 'directions', 'leftOwnName'],
  visit: ['customer', 'party', 'receivedBy', 'says', 'recognizedBy', 'purpose', 'phone', 'group'],
  recognize: ['staff', 'customer'],
  followup: ['customer', 'staff', 'via', 'effective'],
  outreach: ['customer', 'staff', 'place', 'company', 'sector', 'phone'],
  report: ['customer', 'phone', 'name', 'staff', 'expectedAt', 'reason', 'checkedBy'],
  referral: ['referrer', 'referred', 'consultant', 'accompanied'],
  relation: ['a', 'b', 'kind'],
  'staff-relation': ['staff', 'customer', 'kind'],
  deal: ['customer', 'customers', 'closedBy', 'stage', 'unit', 'price', 'reason'],
  complaint: ['customer', 'against', 'fault', 'reassignTo'],
  'no-contact': ['customer', 'until'],
  leave: ['staff'],
  campaign: ['until', 'name'],
  ruling: ['customer', 'deal', 'owner', 'performance', 'commission', 'by', 'reason', 'clause'],
  correction: ['of', 'set', 'reason', 'by'],
  staff: ['staff', 'name', 'team', 'role', 'agency'],
  policy: ['preset', 'set', 'effectiveAt', 'by'],
  objection: ['staff', 'customer', 'deal', 'evidence'],
  settings: ['commission', 'effectiveAt', 'by'],
};
const SAYS = new Set(['firstVisit', 'consultant', 'consultants', 'invitedBy', 'referredBy', 'flyer', 'avoid']);
const EXPECT_FIELDS: Record<string, string[]> = {
  owner: ['customer', 'is', 'status', 'basis'],
  judge: ['customer', 'says', 'party', 'receiver', 'owner', 'countsAsTurn', 'basis'],
  deal: ['id', 'performance', 'commission', 'basis', 'stage'],
  rotation: ['next', 'makeups'],
  rejected: ['event', 'code'],
  report: ['id', 'status'],
};
const INSTANT_FIELDS = new Set(['until', 'appointment', 'expectedAt', 'effectiveAt']);

export function parseScenario(file: string, text: string): Scenario {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ScenarioError(file, '(yaml)', (e as Error).message);
  }
  if (!isRecord(doc)) throw new ScenarioError(file, '(top)', 'a scenario is a mapping');
  for (const key of Object.keys(doc)) if (!TOP.has(key)) throw new ScenarioError(file, key, 'unknown top-level field');
  const title = str(doc.title, file, 'title');
  const timezone = doc.timezone === undefined ? DEFAULT_TIMEZONE : str(doc.timezone, file, 'timezone');
  if (!isValidTimezone(timezone)) throw new ScenarioError(file, 'timezone', `unknown time zone ${timezone}`);
  const policy = doc.policy;
  if (!isRecord(policy) || typeof policy.preset !== 'string') throw new ScenarioError(file, 'policy.preset', 'required');
  for (const key of Object.keys(policy)) if (key !== 'preset' && key !== 'set') throw new ScenarioError(file, `policy.${key}`, 'unknown field');
  if (policy.set !== undefined && !isRecord(policy.set)) throw new ScenarioError(file, 'policy.set', 'must be a mapping');

  const staff: CastMember[] = [];
  if (!Array.isArray(doc.staff)) throw new ScenarioError(file, 'staff', 'required list');
  doc.staff.forEach((s, i) => {
    if (!isRecord(s)) throw new ScenarioError(file, `staff[${i}]`, 'must be a mapping');
    for (const key of Object.keys(s)) if (!['id', 'name', 'team', 'role', 'agency'].includes(key)) throw new ScenarioError(file, `staff[${i}].${key}`, 'unknown field');
    const role = (s.role ?? 'consultant') as StaffRole;
    if (!STAFF_ROLES.includes(role)) throw new ScenarioError(file, `staff[${i}].role`, `unknown role ${String(s.role)}`);
    staff.push({ id: String(s.id), name: s.name === undefined ? undefined : String(s.name), team: s.team === undefined ? undefined : String(s.team), role, agency: s.agency === undefined ? undefined : String(s.agency) });
  });

  const customers = new Map<string, { name?: string; phone: string }>();
  if (doc.customers !== undefined) {
    if (!isRecord(doc.customers)) throw new ScenarioError(file, 'customers', 'must be a mapping');
    for (const [id, c] of Object.entries(doc.customers)) {
      if (!isRecord(c)) throw new ScenarioError(file, `customers.${id}`, 'must be a mapping');
      for (const key of Object.keys(c)) if (key !== 'name' && key !== 'phone') throw new ScenarioError(file, `customers.${id}.${key}`, 'unknown field');
      customers.set(id, { name: c.name === undefined ? undefined : String(c.name), phone: String(c.phone ?? '') });
    }
  }

  const time = (v: unknown, where: string): number => {
    const ms = typeof v === 'string' ? parseLocalTime(v, timezone) : undefined;
    if (ms === undefined) throw new ScenarioError(file, where, `not a time "YYYY-MM-DD HH:mm": ${JSON.stringify(v)}`);
    return ms;
  };

  if (!Array.isArray(doc.events)) throw new ScenarioError(file, 'events', 'required list');
  const names = new Set<string>();
  const idsByName = new Map<string, string>();
  const events: Scenario['events'] = [];
  doc.events.forEach((raw, i) => {
    const where = `events #${i + 1}`;
    if (!isRecord(raw)) throw new ScenarioError(file, where, 'must be a mapping');
    const type = raw.type;
    if (typeof type !== 'string' || !(type in FIELDS)) throw new ScenarioError(file, `${where}.type`, `unknown event type ${JSON.stringify(type)}`);
    for (const key of Object.keys(raw)) if (!COMMON.includes(key) && !FIELDS[type]!.includes(key)) throw new ScenarioError(file, `${where}.${key}`, `unknown field for ${type}`);
    const at = time(raw.at, `${where}.at`);
    const explicit = raw.id === undefined ? undefined : String(raw.id);
    const name = explicit !== undefined && !names.has(explicit) ? explicit : `#${i + 1}`;
    names.add(name);
    const draft = toDomain(raw, type, at, `e${i + 1}`, { file, where, customers, time });
    // The schema checks types and applies the contract's defaults (a follow-up is effective unless it says not).
    const checked = officeEvent.safeParse(draft);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new ScenarioError(file, `${where}.${issue.path.join('.')}`, issue.message);
    }
    const event = checked.data;
    // A correction names the registration it corrects as the file does; the engine knows it by its id.
    if (event.type === 'correction') event.of = idsByName.get(event.of) ?? event.of;
    // So does an objection the evidence it cites; a name no earlier event has is an error in the file.
    if (event.type === 'objection' && event.evidence !== undefined) {
      const evidence = idsByName.get(event.evidence);
      if (evidence === undefined) throw new ScenarioError(file, `${where}.evidence`, `no earlier event named ${JSON.stringify(event.evidence)}`);
      event.evidence = evidence;
    }
    idsByName.set(name, event.id);
    if (explicit !== undefined && !idsByName.has(explicit)) idsByName.set(explicit, event.id);
    events.push({ event, name, index: i + 1 });
    if (explicit !== undefined && name !== explicit) names.add(explicit);
  });

  const expectations: Expectation[] = [];
  if (!Array.isArray(doc.expect)) throw new ScenarioError(file, 'expect', 'required list');
  doc.expect.forEach((e, i) => {
    const where = `expect #${i + 1}`;
    if (!isRecord(e) || typeof e.kind !== 'string' || !(e.kind in EXPECT_FIELDS)) throw new ScenarioError(file, `${where}.kind`, `unknown expectation kind ${JSON.stringify(isRecord(e) ? e.kind : e)}`);
    for (const key of Object.keys(e)) if (!['kind', 'at', 'note'].includes(key) && !EXPECT_FIELDS[e.kind]!.includes(key)) throw new ScenarioError(file, `${where}.${key}`, `unknown field for ${e.kind}`);
    const at = e.at === undefined ? undefined : time(e.at, `${where}.at`);
    expectations.push({ ...e, kind: e.kind, at, atText: e.at === undefined ? undefined : String(e.at), index: i + 1 });
  });

  const start = events.length ? Math.min(...events.map((e) => e.event.at)) : 0;
  return {
    file,
    title,
    clauses: Array.isArray(doc.clauses) ? doc.clauses.map(String) : [],
    preset: policy.preset,
    set: (policy.set as Record<string, unknown> | undefined) ?? {},
    timezone,
    staff,
    customers,
    events,
    expectations,
    start,
  };
}

interface Ctx {
  file: string;
  where: string;
  customers: Map<string, { name?: string; phone: string }>;
  time: (v: unknown, where: string) => number;
}

function castRef(id: unknown, ctx: Ctx, field: string, phone?: unknown): CustomerRef {
  const cast = typeof id === 'string' ? ctx.customers.get(id) : undefined;
  if (id !== undefined && !cast) throw new ScenarioError(ctx.file, `${ctx.where}.${field}`, `unknown customer ${JSON.stringify(id)} (not in customers)`);
  const p = phone !== undefined ? String(phone) : cast?.phone;
  if (p === undefined) throw new ScenarioError(ctx.file, `${ctx.where}.${field}`, 'a customer or a phone is required');
  return cast?.name ? { phone: p, name: cast.name } : { phone: p };
}

function toDomain(raw: Record<string, unknown>, type: string, at: number, id: string, ctx: Ctx): OfficeEvent {
  const out: Record<string, unknown> = { type, at, id };
  for (const [key, value] of Object.entries(raw)) {
    if (COMMON.includes(key)) continue;
    if (INSTANT_FIELDS.has(key) || (type === 'campaign' && key === 'until')) out[key] = ctx.time(value, `${ctx.where}.${key}`);
    else out[key] = value;
  }
  const idOf = (v: unknown) => (v === undefined ? undefined : String(v));
  switch (type) {
    case 'visit': {
      const party = Array.isArray(raw.party) ? raw.party : undefined;
      const primary = raw.customer ?? party?.[0];
      out.customer = castRef(primary, ctx, raw.customer !== undefined ? 'customer' : 'party[0]', raw.phone);
      delete out.phone;
      if (party) out.party = party.filter((p) => p !== primary).map((p, i) => castRef(p, ctx, `party[${i}]`));
      if (raw.says !== undefined) {
        if (!isRecord(raw.says)) throw new ScenarioError(ctx.file, `${ctx.where}.says`, 'must be a mapping');
        for (const key of Object.keys(raw.says)) if (!SAYS.has(key)) throw new ScenarioError(ctx.file, `${ctx.where}.says.${key}`, 'unknown field');
        out.says = says(raw.says, ctx);
      }
      for (const f of ['receivedBy', 'recognizedBy']) if (raw[f] !== undefined) out[f] = idOf(raw[f]);
      break;
    }
    case 'call':
    case 'outreach':
      out.customer = castRef(raw.customer, ctx, 'customer', raw.phone);
      delete out.phone;
      out.staff = idOf(raw.staff);
      break;
    case 'report': {
      const ref = castRef(raw.customer, ctx, raw.customer !== undefined ? 'customer' : 'phone', raw.phone);
      out.customer = raw.name !== undefined ? { ...ref, name: String(raw.name) } : ref;
      delete out.phone;
      delete out.name;
      out.staff = idOf(raw.staff);
      break;
    }
    case 'recognize':
    case 'followup':
    case 'no-contact':
    case 'staff-relation':
      out.customer = castRef(raw.customer, ctx, 'customer');
      if (raw.staff !== undefined) out.staff = idOf(raw.staff);
      break;
    case 'complaint':
      out.customer = castRef(raw.customer, ctx, 'customer');
      break;
    case 'objection':
      if (raw.customer === undefined && raw.deal === undefined) throw new ScenarioError(ctx.file, `${ctx.where}.customer`, 'an objection names a customer or a deal');
      if (raw.customer !== undefined) out.customer = castRef(raw.customer, ctx, 'customer');
      if (raw.deal !== undefined) out.deal = String(raw.deal);
      if (raw.evidence !== undefined) out.evidence = String(raw.evidence);
      out.staff = idOf(raw.staff);
      break;
    case 'referral':
      out.referrer = castRef(raw.referrer, ctx, 'referrer');
      out.referred = castRef(raw.referred, ctx, 'referred');
      break;
    case 'relation':
      out.a = castRef(raw.a, ctx, 'a');
      out.b = castRef(raw.b, ctx, 'b');
      break;
    case 'deal': {
      if (raw.id === undefined) throw new ScenarioError(ctx.file, `${ctx.where}.id`, 'a deal needs its id');
      out.deal = String(raw.id);
      const list = Array.isArray(raw.customers) ? raw.customers : raw.customer !== undefined ? [raw.customer] : [];
      out.customers = list.map((c, i) => castRef(c, ctx, `customers[${i}]`));
      delete out.customer;
      // A price is money: exact decimal text, however the YAML typed it.
      if (typeof raw.price === 'number') out.price = String(raw.price);
      break;
    }
    case 'ruling':
      if (raw.customer !== undefined) out.customer = castRef(raw.customer, ctx, 'customer');
      if (raw.deal !== undefined) out.deal = String(raw.deal);
      if (raw.owner !== undefined) out.owner = String(raw.owner);
      break;
    case 'correction': {
      if (!isRecord(raw.set)) throw new ScenarioError(ctx.file, `${ctx.where}.set`, 'must be a mapping');
      const set: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw.set)) {
        if (k === 'phone') set.customer = { phone: String(v) };
        else if (k === 'customer') set.customer = castRef(v, ctx, 'set.customer');
        else if (k === 'at' || INSTANT_FIELDS.has(k)) set[k] = ctx.time(v, `${ctx.where}.set.${k}`);
        else set[k] = v;
      }
      out.set = set;
      out.of = String(raw.of);
      break;
    }
    default:
      break;
  }
  return out as unknown as OfficeEvent;
}

function says(raw: Record<string, unknown>, ctx: Ctx): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  if (raw.referredBy !== undefined) out.referredBy = castRef(raw.referredBy, ctx, 'says.referredBy');
  for (const f of ['consultant', 'invitedBy', 'avoid']) if (raw[f] !== undefined) out[f] = String(raw[f]);
  if (Array.isArray(raw.consultants)) out.consultants = raw.consultants.map(String);
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, file: string, where: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new ScenarioError(file, where, 'required text');
  return v;
}
