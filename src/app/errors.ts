// Errors the app layer raises for callers to map (the HTTP layer maps them to
// problem+json in one place). Each carries a stable code.
export class AppError extends Error {
  constructor(
    readonly code: string,
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
  constructor(code: string, message: string, field?: string) {
    super(code, 404, 'Not found', message, field);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, field?: string) {
    super(code, 409, 'Conflict', message, field);
  }
}

export class InvalidInputError extends AppError {
  constructor(field: string, message: string, code = 'invalid-field') {
    super(code, 400, 'Invalid request', message, field);
  }
}

/** Every try lost the optimistic race (another process kept appending). Retryable by the client. */
export class BusyError extends AppError {
  constructor(projectId: string) {
    super('busy', 503, 'Busy', `project ${projectId} is being written by another process; try again`);
  }
}
