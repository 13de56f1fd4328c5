// Every `code` the server answers in a problem+json error (docs/api.md), one
// list for the server (AppError, AuthError, problem(...) take only these) and
// the web app (web/src/api/errors.ts has words for each, checked by the type
// checker). No imports: the web bundles this file.
//
// A refused event is not an error (201, status rejected): its codes are the
// engine's, REJECTION_CODES in src/domain/rejection.ts.

export const ERROR_CODES = [
  // the request's shape (400, 413, 415, 408, 431)
  'invalid-field', 'missing-field', 'unknown-field', 'invalid-time', 'invalid-phone', 'invalid-policy', 'unknown-preset',
  'malformed-json', 'empty-body', 'body-too-large', 'unsupported-media-type', 'bad-content-length', 'bad-url', 'bad-request',
  'headers-too-large', 'request-timeout', 'bad-day', 'day-and-seq',
  // the time of record (400)
  'at-in-future', 'at-outside-window', 'late-reason-required',
  // not found (404)
  'not-found', 'project-not-found', 'event-not-found', 'deal-not-found', 'report-not-found', 'customer-not-found', 'grant-not-found', 'user-not-found',
  'seq-beyond-head',
  // conflicts (409)
  'project-exists', 'idempotency-conflict', 'user-exists', 'staff-linked', 'demo-refused',
  // accounts and access (401, 403, 429)
  'unauthenticated', 'bad-credentials', 'forbidden', 'not-in-project', 'csrf', 'grant-required', 'manager-required', 'reason-required',
  'admin-required', 'not-your-customer', 'not-your-report', 'not-your-deal', 'rate-limited', 'login-locked', 'login-throttled',
  // the server (422, 500, 503, 507)
  'unstorable-value', 'busy', 'storage-full', 'corrupt-project', 'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}
