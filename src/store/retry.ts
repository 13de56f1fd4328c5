import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyError } from './errors.js';

export interface RetryOptions {
  /** Total tries including the first. Default 5. */
  attempts?: number;
  /** Upper bound of the random backoff before try n is min(maxDelayMs, baseDelayMs * 2^n). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Which errors are worth another try. Default: isRetryable. */
  retryOn?: (err: unknown) => boolean;
}

/**
 * Errors a caller may retry after re-reading state: a lost optimistic race,
 * a PostgreSQL serialization failure or deadlock, SQLite busy/locked.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof ConcurrencyError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01' || code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED'
    || code === 'SQLITE_BUSY_SNAPSHOT';
}

/**
 * Runs fn until it succeeds or attempts run out, with full-jitter backoff.
 * fn must re-read whatever it decides on (typically head()) on every call:
 * the retry is only correct because each try starts from fresh state.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 5;
  const base = opts.baseDelayMs ?? 2;
  const max = opts.maxDelayMs ?? 100;
  const retryOn = opts.retryOn ?? isRetryable;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= attempts || !retryOn(err)) throw err;
      await sleep(Math.random() * Math.min(max, base * 2 ** attempt));
    }
  }
}
