// What the office API answers, as JSON: one set of types for the producers
// (src/app, src/server, which declare them as their return types) and the web
// app (web/src/api, which reads the answers with them), so a change on the
// server that breaks a screen fails `npm run typecheck`. Types only: the
// browser loads this file (no imports but other src/shared files). The
// dispute and reminder answers are in office-answers.ts.
import type { Dispute, Notification } from './office-answers.ts';

/** Words in both languages (a clause's text, a reason). */
export interface ClauseText {
  zh: string;
  en: string;
}

/** Why: the clause a decision rests on, the events it rests on, the clause's words (null: not in the catalogue). */
export interface Basis {
  clause: string;
  events: string[];
  text: ClauseText | null;
}

// ------------------------------------------------------------------ writes

/** A refused event's code, the field it names and the words (`message` is the English). */
export interface RejectionInfo {
  code: string;
  field: string;
  message: string;
  messageZh: string;
  messageEn: string;
}

/** The answer to every write that records an event (201, or 200 for an idempotent repeat). */
export interface RecordResult {
  id: string;
  seq: number;
  status: 'accepted' | 'rejected';
  rejection?: RejectionInfo;
  /** The engine's decisions as JSON (src/app/views.ts decisionJson). */
  decisions: Record<string, unknown>[];
  /** True when the id was already recorded with identical content (an idempotent repeat). */
  repeated?: boolean;
}

// ------------------------------------------------------------------ projects, staff, policies

/** GET /api/projects: one project as stored. */
export interface Project {
  projectId: string;
  name: string;
  timezone: string;
  createdAt: string;
  headSeq: number;
  headHash: string;
}
export interface ProjectList {
  projects: Project[];
}

/** GET /api/projects/:project: the project with its policy in force and its counts. */
export interface ProjectDetail extends Project {
  policy: { preset: string; version: number };
  staff: number;
  customers: number;
}

export interface Staff {
  id: string;
  name: string | null;
  team: string | null;
  role: string;
  agency: string | null;
  /** When they left (离职), ISO; null while they work here. */
  leftAt: string | null;
}
export interface StaffList {
  staff: Staff[];
}

/** A policy version as stored (the projection of `policy` events), oldest first. */
export interface PolicyVersion {
  version: number;
  effectiveAt: string;
  /** The preset the version builds on (the store's column allows none). */
  preset: string | null;
  /** The parameters the version sets over its preset. */
  set: Record<string, unknown>;
  createdAt: string;
}
export interface PolicyList {
  policies: PolicyVersion[];
}

// ------------------------------------------------------------------ the front desk

/** A companion of the party judged on their own (`own`: stays theirs, `report`: their report's agent, `claim`: a claim of their own, `follows`: the party's owner). */
export interface CompanionJudgement {
  phone: string;
  outcome: 'own' | 'report' | 'claim' | 'follows' | 'none';
  owner: string;
  changes: boolean;
  previousOwner: string | null;
  claim: string;
  reportId: string | null;
  basis: Basis;
}

/** POST /judge: who receives the arriving customer and whose customer they are (nothing recorded). */
export interface Judgement {
  /** A staff id, `none`, or `hidden` (a channel agent about a customer they did not report). */
  receiver: string;
  owner: string;
  countsAsTurn: boolean;
  basis: Basis;
  receiverBasis: Basis;
  claim: string;
  helperFor: string | null;
  reason: ClauseText;
  /** Each companion judged on their own (empty for a channel agent). */
  party: CompanionJudgement[];
  at: string;
  /** Set for a channel agent about a customer they did not report: owner, receiver and claim read `hidden`, no evidence. */
  hidden?: true;
}

/**
 * The rotation at `at`: `turns` counts every turn since the project began (the
 * fairness ledger); `turnsToday` only those taken in the project's local day of
 * `at` (what 已接 and 今日轮次 show).
 */
export interface Rotation {
  /** The staff id next up, or `none`. */
  next: string;
  order: string[];
  presence: Record<string, string>;
  makeUps: Record<string, number>;
  turns: Record<string, number>;
  turnsToday: Record<string, number>;
  at: string;
}

// ------------------------------------------------------------------ customers

/** A recorded event's place in the log, its two times and its outcome as recorded: what the card's timeline and the log share. */
export interface RecordedEventTimes {
  seq: number;
  id: string;
  type: string;
  at: string;
  local: string;
  recordedAt: string;
  /** When it was recorded, in the project's zone. */
  recordedLocal: string;
  /** Registered after the fact (补登), shown with both times. */
  late: boolean;
  lateReason: string | null;
  /** As recorded. */
  status: string;
  rejectionCode: string | null;
}

export interface TimelineItem extends RecordedEventTimes {
  /** As it stands now, after corrections and rulings. */
  current: 'accepted' | 'rejected';
}

/** The customer card: owner, status, protection left, the basis in words, the timeline. */
export interface CustomerCard {
  phone: string;
  name: string | null;
  owner: string;
  status: string;
  protectedUntil: string | null;
  protectionLeft: { days: number; until: string; untilLocal: string } | null;
  basis: Basis | null;
  reason: ClauseText;
  visits: number;
  deals: string[];
  timeline: TimelineItem[];
  at: string;
  /** Set when the viewer does not hold the customer: masked phone, no name, no (or only today's) timeline. */
  masked?: true;
  /** For a channel agent: their reports that name this customer. */
  reports?: string[];
}

/** GET /customers: one row of the customer list (the projection). */
export interface CustomerRow {
  phone: string;
  name: string | null;
  owner: string | null;
  status: string;
  protectedUntil: string | null;
  basis: string | null;
  updatedSeq: number;
}
export interface CustomerList {
  customers: CustomerRow[];
}

/** What an event says about who did what, for a timeline line (no customer refs: the card has them). */
export interface EntryWhat {
  staff?: string;
  receivedBy?: string;
  recognizedBy?: string;
  closedBy?: string;
  via?: string;
  direction?: 'in' | 'out';
  effective?: boolean;
  note?: string;
  stage?: string;
  unit?: string;
  appointment?: number;
  owner?: string;
  by?: string;
  reason?: string;
  against?: string;
}

/** A timeline line with who recorded it and who did what (staff, via, direction, effect, a follow-up's note). */
export interface TimelineEntry extends TimelineItem {
  recordedBy: string | null;
  what: EntryWhat;
}
export interface CustomerEntries {
  phone: string;
  entries: TimelineEntry[];
}

/** 公客池: a customer nobody holds. */
export interface PoolEntry {
  /** Masked (138****5678): the full number is the claimant's once the claim holds. */
  phone: string;
  /** Names the entry for a claim, with the masked phone: the last event of its basis (what made it public). */
  ref: string;
  since: string | null;
  /** Why it is public: the clause and its text. */
  basis: { clause: string; text: ClauseText | null } | null;
  /** In a departed consultant's pool: only the manager reassigns. */
  departedPool: boolean;
  /** May this consultant claim it now (the engine's answer on a dry run of their call)? */
  claimable: boolean;
  /** The clause the claim (or the refusal) rests on. */
  clause: string;
  clauseText: ClauseText | null;
}
export interface PublicPool {
  at: string;
  customers: PoolEntry[];
}

/** POST /pool/claim: the recorded call, the full phone and the clause the claim rests on. */
export interface ClaimResult extends RecordResult {
  phone: string;
  clause: string;
  clauseText: ClauseText | null;
}

// ------------------------------------------------------------------ reports

/** A channel report and its status now. */
export interface ReportRow {
  id: string;
  seq: number;
  agent: string;
  status: string;
  validUntil: string | null;
  rejectionCode: string | null;
}
export interface ReportList {
  reports: ReportRow[];
}

/** GET /report-details: a report with what was filed (phone masked and no name for the front desk). */
export interface ReportDetail extends ReportRow {
  name: string | null;
  phone: string;
  expectedAt: string | null;
}
export interface ReportDetailList {
  reports: ReportDetail[];
}

// ------------------------------------------------------------------ the log

/** One stored event. `E`: the event as recorded (the server's OfficeEvent; a loose object for the web). */
export interface StoredEventJson<E = LooseEvent> extends RecordedEventTimes {
  recordedBy: string | null;
  event: E;
  personalErased: boolean;
  hash: string;
}

/** An office event as the web reads it: its type and whatever else it carries. */
export type LooseEvent = Record<string, unknown> & { type: string; customer?: { phone: string; name?: string } };

/** GET /events/:id: the event with its outcome now (after corrections and rulings). */
export interface EventDetail<E = LooseEvent> extends StoredEventJson<E> {
  current: { status: 'accepted' } | { status: 'rejected'; rejection: RejectionInfo };
}

/** GET /events: the log, paged by seq. */
export interface EventsPage<E = LooseEvent> {
  events: StoredEventJson<E>[];
  nextAfterSeq: number | null;
  headSeq: number;
}

/** GET /verify: the hash chain walked end to end. */
export type ChainCheck =
  | { ok: true; count: number; head: { seq: number; hash: string } }
  | { ok: false; seq: number; expected: string; found: string; reason: string };

/** A chain head the server signed (docs/verify.md). */
export interface SignedHead {
  format: string;
  projectId: string;
  log: 'events' | 'audit';
  seq: number;
  hash: string;
  signedAt: string;
  keyId: string;
  signature: string;
}

/** GET /head: the signed heads of the event log and the audit log (`?day=`: the event log's closing head of that local day). */
export interface SignedHeads {
  projectId: string;
  day?: string;
  dayEndsAt?: string;
  events: SignedHead;
  audit: SignedHead;
}

// ------------------------------------------------------------------ deals (the engine's splits)

/** GET /deals: a deal with its performance and commission split (shares as numbers) and the clauses. */
export interface DealSummary {
  id: string;
  /** The buyers' phones (masked for a consultant). */
  customers: string[];
  closedBy: string;
  stage: 'deposit' | 'contract' | 'cancelled';
  unit: string | null;
  at: string;
  ownerAtDeal: string | null;
  performance: Record<string, number>;
  commission: Record<string, number>;
  /** The clauses the splits rest on, and their evidence. */
  basis: string;
  commissionBasis: string;
  basisEvents: { performance: string[]; commission: string[] };
}
export interface DealList {
  deals: DealSummary[];
}

/** POST /whatif: the log replayed under another policy — what would change. Nothing is recorded. */
export interface WhatIf {
  preset: string;
  set: Record<string, unknown>;
  at: string;
  customers: { phone: string; name: string | null; before: WhatIfOwner; after: WhatIfOwner }[];
  deals: { id: string; before: WhatIfSplit | null; after: WhatIfSplit | null }[];
  rejections: { id: string; type: string; before: string | null; after: string | null }[];
}
export interface WhatIfOwner {
  owner: string;
  status: string;
  basis: string | null;
}
export interface WhatIfSplit {
  performance: Record<string, number>;
  commission: Record<string, number>;
  basis: string;
}

// ------------------------------------------------------------------ deals and money (src/app/ledger.ts)

export type Payee = { kind: 'staff'; staff: string; role: string | null; agency: string | null } | { kind: 'agency'; agency: string };

/** A line of the commission ledger: a credit on the deal's day, a reversal on its cancellation's. */
export interface LedgerLine {
  deal: string;
  unit: string | null;
  kind: 'credit' | 'reversal';
  at: string;
  local: string;
  month: string;
  payee: Payee;
  /** The commission share as an exact fraction (`1/2`) and as a number. */
  share: string;
  shareValue: number;
  performance: string | null;
  /** The rate as an exact fraction and as a percentage text (`0.3%`); null: no rate set. */
  rate: string | null;
  ratePercent: string | null;
  price: string | null;
  /** Yuan with two decimals, negative on a reversal; null when the price or the rate is missing. */
  amount: string | null;
  basis: Basis;
}

/** A deal with its money: price, stage, cancellation, splits as numbers and exact fractions with their clauses, the ledger lines. */
export interface DealMoney {
  id: string;
  customers: { phone: string; name: string | null }[];
  closedBy: string;
  stage: 'deposit' | 'contract' | 'cancelled';
  unit: string | null;
  price: string | null;
  at: string;
  local: string;
  ownerAtDeal: string | null;
  performance: Record<string, number>;
  commission: Record<string, number>;
  /** The same shares as exact fractions. */
  shares: { performance: Record<string, string>; commission: Record<string, string> };
  basis: Basis;
  commissionBasis: Basis;
  ruled: boolean;
  cancelled: { at: string; local: string; from: 'deposit' | 'contract'; reason: string | null; basis: Basis } | null;
  lines: LedgerLine[];
}
export interface DealMoneyList {
  deals: DealMoney[];
}

/** POST /deals/preview: what recording the deal would decide now, or why it would be refused. */
export type DealPreview = { ok: true; deal: DealMoney } | DealRefusal;
export interface DealRefusal {
  ok: false;
  rejection: { code: string; field: string; messageZh: string; messageEn: string };
}

/** The answer to a deal write: the result and the deal as it stands after it. */
export interface DealRecorded extends RecordResult {
  deal: DealMoney | null;
}

export interface LedgerTotals {
  staff: { staff: string; name: string | null; role: string | null; total: string; withoutAmount: number }[];
  agencies: { agency: string; total: string; withoutAmount: number }[];
}

/** GET /ledger: the lines (of one local month, or all), the months there are, totals per person and per agency. */
export interface LedgerAnswer {
  month: string | null;
  months: string[];
  lines: LedgerLine[];
  totals: LedgerTotals;
}

/** A commission-rate version (a `settings` event): per role of the person credited, per channel agency. */
export interface RateVersion {
  effectiveAt: string;
  local: string;
  eventId: string;
  roles: Record<string, { rate: string; percent: string }>;
  agencies: Record<string, { rate: string; percent: string }>;
}
export interface CommissionRates {
  versions: RateVersion[];
  /** The agencies the staff list names. */
  agencies: string[];
}

// ------------------------------------------------------------------ staff changes

export interface DepartureCustomer {
  phone: string;
  name: string | null;
  /** Where the customer stands now. */
  before: { owner: string; status: string; protectedUntil: string | null };
  /** After the departure: `pool` (the department's pool, the manager reassigns), or `stays` with the departed consultant (a deal closed, or a policy that says nothing). */
  after: { owner: string; status: string; outcome: 'pool' | 'stays' };
  clause: string;
  clauseText: ClauseText | null;
}

/** 离职预览: where a consultant's customers go if they leave now (the engine's decision, recorded nowhere). */
export interface DeparturePreview {
  staff: string;
  name: string | null;
  at: string;
  /** The policy's departed_staff parameter in force now. */
  policy: { value: string; clause: string; text: ClauseText | null };
  /** In today's roster: the rotation passes over them from the departure on. */
  inRoster: boolean;
  alreadyLeft: boolean;
  customers: DepartureCustomer[];
  counts: { pool: number; stays: number };
  /** The engine refuses the departure (e.g. an unknown staff id): its words. */
  refused: { code: string; zh: string; en: string } | null;
}

// ------------------------------------------------------------------ the live stream (SSE)

/** `arrival`: a visit registered (the phone masked; the name only for those who may see it). */
export type Arrival = {
  seq: number;
  id: string;
  at: string;
  customer: string | null;
  name: string | null;
  receiver: string | null;
} & (
  | { status: 'accepted'; owner: string | null; countsAsTurn: boolean }
  | { status: 'rejected'; rejection: { code: string; field: string; message: string } }
);

/** `rotation`: the rotation after a change (and in full on connect). */
export interface LiveRotation extends Rotation {
  seq?: number;
}

/** `alert`: an alert row (the customer masked) with its payload. */
export interface LiveAlert {
  seq: number;
  kind: string;
  customer: string | null;
  payload: { staff?: string | null; [k: string]: unknown };
  [k: string]: unknown;
}

// ------------------------------------------------------------------ disputes and reminders (office-answers.ts)

export interface DisputeList {
  disputes: Dispute[];
  at: string;
}
export interface NotificationList {
  notifications: Notification[];
  unread: number;
}
/** POST /notifications/read: how many reminders were marked read. */
export interface MarkedRead {
  marked: number;
}
