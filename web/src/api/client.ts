// The one place the app talks HTTP: JSON in and out, problem+json turned into
// an ApiError with a message a sales assistant understands (errors.ts), the
// session cookie sent along, and the CSRF token on every write.
import { messageFor } from './errors.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** Words for the user (Chinese or English per the current language). */
    readonly userMessage: string,
    readonly field?: string,
  ) {
    super(userMessage);
    this.name = 'ApiError';
  }
}

/**
 * CSRF: the accounts contract sends a token with the login/me answer (and/or
 * a readable `csrf` cookie); writes echo it in `x-csrf-token`.
 */
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null | undefined): void {
  if (token) csrfToken = token;
}
function csrfFromCookie(): string | null {
  const m = /(?:^|;\s*)(?:guishu_csrf|csrf|csrf_token|XSRF-TOKEN)=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]!) : null;
}

let lang: 'zh' | 'en' = 'zh';
export function setApiLanguage(l: 'zh' | 'en'): void {
  lang = l;
}

/** Called on a 401 from anything but the auth routes (the session ended). */
let onUnauthorized: (() => void) | null = null;
export function setOnUnauthorized(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken ?? csrfFromCookie();
    if (token) headers['x-csrf-token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', messageFor('network', lang));
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const p = (data ?? {}) as { code?: string; field?: string };
    const code = p.code ?? (res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : res.status >= 500 ? 'internal' : 'bad-request');
    if (res.status === 401 && !path.startsWith('/api/auth/')) onUnauthorized?.();
    throw new ApiError(res.status, code, messageFor(code, lang, p.field), p.field);
  }
  const token = (data as { csrfToken?: string; csrf?: string } | null)?.csrfToken ?? (data as { csrf?: string } | null)?.csrf;
  if (typeof token === 'string') setCsrfToken(token);
  return data as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});

/** The user's words for any thrown value (never a stack trace or a raw code). */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.userMessage;
  return messageFor('internal', lang);
}
