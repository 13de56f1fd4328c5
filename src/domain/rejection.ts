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
  constructor(
    readonly code: RejectionCode,
    readonly field: string,
    readonly messageZh: string,
    readonly messageEn: string,
  ) {
    super(`${code}: ${messageEn}`);
    this.name = 'Rejected';
  }
}

export function reject(code: RejectionCode, field: string, zh: string, en: string): never {
  throw new Rejected(code, field, zh, en);
}
