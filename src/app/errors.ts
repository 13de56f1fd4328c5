// Errors the app layer raises for callers to map (the HTTP layer maps them to
// problem+json in one place). Each carries a stable code, one of ERROR_CODES.
import type { ErrorCode } from '../shared/error-codes.ts';

export type { ErrorCode } from '../shared/error-codes.ts';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    readonly title: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(code: ErrorCode, message: string, field?: string) {
    super(code, 404, 'Not found', message, field);
  }
}

export class ConflictError extends AppError {
  constructor(code: ErrorCode, message: string, field?: string) {
    super(code, 409, 'Conflict', message, field);
  }
}

export class InvalidInputError extends AppError {
  constructor(field: string, message: string, code: ErrorCode = 'invalid-field') {
    super(code, 400, 'Invalid request', message, field);
  }
}

/** Every try lost the optimistic race (another process kept appending). Retryable by the client. */
export class BusyError extends AppError {
  constructor(projectId: string) {
    super('busy', 503, 'Busy', `project ${projectId} is being written by another process; try again`);
  }
}

/** The database's disk is full (SQLite SQLITE_FULL, PostgreSQL 53100): nothing was written; retry once space is freed. */
export class StorageFullError extends AppError {
  constructor(cause?: unknown) {
    super('storage-full', 507, 'Storage full', 'the database has no space left: nothing was recorded; try again once the operator has freed disk space');
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}

/** The database refused a value of this event (one validation did not catch): it fails alone. */
export class UnstorableError extends AppError {
  constructor(message: string) {
    super('unstorable-value', 422, 'Unprocessable', message);
  }
}

/** The stable code of a schema issue at `path` (a time field: invalid-time; a phone: invalid-phone; else invalid-field). */
export function codeForField(path: string): 'invalid-phone' | 'invalid-time' | 'invalid-field' {
  const last = path.split('.').at(-1) ?? '';
  if (last === 'phone') return 'invalid-phone';
  if (TIME_FIELDS.has(last)) return 'invalid-time';
  return 'invalid-field';
}
const TIME_FIELDS = new Set(['at', 'until', 'appointment', 'expectedAt', 'effectiveAt']);
