// Refusals of the accounts layer: AppErrors (mapped to problem+json in
// src/server/problems.ts) that may carry response headers (Retry-After,
// WWW-Authenticate).
import { AppError, type ErrorCode } from '../app/errors.ts';

export class AuthError extends AppError {
  constructor(code: ErrorCode, status: 401 | 403 | 429, message: string, readonly headers: Record<string, string> = {}, field?: string) {
    super(code, status, status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Too many requests', message, field);
    this.name = 'AuthError';
  }
}

export const unauthenticated = (message = 'sign in first (POST /api/auth/login), or send Authorization: Bearer <token>') =>
  new AuthError('unauthenticated', 401, message, { 'www-authenticate': 'Bearer realm="guishu"' });
export const forbidden = (message: string, code: ErrorCode = 'forbidden', field?: string) => new AuthError(code, 403, message, {}, field);
export const tooMany = (code: ErrorCode, message: string, retryAfterS: number) => new AuthError(code, 429, message, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterS))) });
