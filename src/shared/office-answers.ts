// Answers of the dispute and reminder routes, shared by the server (src/app)
// and the web app (web/src/api), so the two cannot drift. Types and constants
// only: the browser loads this file.

export const DISPUTE_KINDS = [
  'report-vs-visit', 'party-swallowed-report', 'recognition-after-reception', 'same-day-contacts', 'lapse-retaken', 'complaint', 'override', 'objection',
] as const;
export type DisputeKind = (typeof DISPUTE_KINDS)[number];

/** A dispute as the queue shows it: the record, the customer now, and the clause of the current decision. */
export interface Dispute {
  id: string;
  kind: DisputeKind;
  at: string;
  local: string;
  customer: string;
  name: string | null;
  staff: string[];
  evidence: string[];
  decision: { owner: string; status: string; clause: string | null; text: { zh: string; en: string } | null };
  /** A ruling on the customer after the dispute's latest evidence (the dispute is settled), or null. */
  ruling: { eventId: string; at: string } | null;
}

export type NotificationKind = 'ruling' | 'report-status' | 'protection-ending' | 'dispute';

/** A reminder (提醒) for one user. */
export interface Notification {
  id: string;
  kind: NotificationKind;
  at: string;
  local: string;
  /** Masked. */
  customer: string | null;
  /** Only for the customer's owner. */
  name: string | null;
  title: { zh: string; en: string };
  text: { zh: string; en: string };
  /** Where the web app shows it. */
  link: string | null;
  read: boolean;
}
