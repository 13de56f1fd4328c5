// Why an event was refused. The codes are a contract (shared/spec): the
// scenarios and the HTTP API speak them; the message names the field.

export const REJECTION_CODES = [
  'invalid-phone',
  'missing-field',
  'invalid-field',
  'duplicate-report',
  'report-after-visit',
  'report-public',
  'report-expected-too-late',
  'staff-left',
  'unknown-staff',
  'unknown-customer',
  'unknown-deal',
  'unknown-event',
  'unit-taken',
  'deal-cancelled',
  'not-manager',
  'not-allowed',
  'duplicate-id',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export class Rejected extends Error {
  readonly code: RejectionCode;
  readonly field: string;
  readonly messageZh: string;
  readonly messageEn: string;

  constructor(code: RejectionCode, field: string, messageZh: string, messageEn: string) {
    // A refusal is an answer, not a fault: no stack trace is captured. Capturing one from the engine's
    // optimised frames cost a replay ~60 µs per refused event, ten times deciding it.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${code}: ${messageEn}`);
    Error.stackTraceLimit = limit;
    this.code = code;
    this.field = field;
    this.messageZh = messageZh;
    this.messageEn = messageEn;
    this.name = 'Rejected';
  }
}

export function reject(code: RejectionCode, field: string, zh: string, en: string): never {
  throw new Rejected(code, field, zh, en);
}
