// Every error answer is RFC 9457 problem+json with a stable `code`, mapped
// here and nowhere else. Bad input is a 4xx naming the field; a 5xx is only
// ever our own fault, and never carries a stack trace.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Socket } from 'node:net';
import { AppError, codeForField, StorageFullError, type ErrorCode } from '../app/errors.ts';
import { isStorageFull } from '../store/index.js';

export const PROBLEM_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  field?: string;
}

export function problem(status: number, code: ErrorCode, title: string, detail: string, field?: string): Problem {
  return { type: `urn:guishu:problem:${code}`, title, status, detail, code, ...(field !== undefined ? { field } : {}) };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type(PROBLEM_TYPE).send(p);
}

const FASTIFY_CODES: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ['malformed-json', 'Malformed JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['empty-body', 'Empty JSON body'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['body-too-large', 'Request body too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported-media-type', 'Unsupported media type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['bad-content-length', 'Bad Content-Length'],
  FST_ERR_CTP_INVALID_TYPE: ['unsupported-media-type', 'Unsupported media type'],
  FST_ERR_BAD_URL: ['bad-url', 'Bad URL'],
  FST_ERR_ASYNC_CONSTRAINT: ['bad-request', 'Bad request'],
};

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: { issue?: { code?: string; keys?: string[]; path?: PropertyKey[]; input?: unknown } };
}

function fromValidation(err: FastifyError & { validation: ValidationIssue[]; validationContext?: string }): Problem {
  const issue = err.validation[0]!;
  const raw = issue.params?.issue;
  const path = (issue.instancePath ?? '').split('/').filter(Boolean);
  if (raw?.code === 'unrecognized_keys' && raw.keys?.[0]) path.push(raw.keys[0]);
  const where = err.validationContext ?? 'body';
  const field = path.length ? path.join('.') : where;
  const missing = raw?.code === 'invalid_type' && raw.input === undefined;
  // A value of the right type that breaks a field's rule: a phone not written as one is invalid-phone, a time out of range invalid-time.
  const code = raw?.code === 'unrecognized_keys' ? 'unknown-field' : missing ? 'missing-field' : raw?.code === 'custom' ? codeForField(field) : 'invalid-field';
  const msg = String(issue.message ?? 'invalid').slice(0, 300);
  return problem(400, code, 'Invalid request', `${where}: ${field}: ${msg}`, field);
}

export function installProblems(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (hasZodFastifySchemaValidationErrors(err)) return sendProblem(reply, fromValidation(err as never));
    if (err instanceof AppError) {
      if (err.status >= 500) request.log.warn({ code: err.code }, err.message);
      // Refusals of the accounts layer carry Retry-After / WWW-Authenticate.
      const headers = (err as AppError & { headers?: Record<string, string> }).headers;
      if (headers) for (const [k, v] of Object.entries(headers)) reply.header(k, v);
      return sendProblem(reply, problem(err.status, err.code, err.title, err.message, err.field));
    }
    if (isStorageFull(err)) {
      // Outside the write queue (a sign-in's session, an audit row, a project's creation): the same clear answer.
      request.log.error({ code: (err as { code?: unknown }).code }, 'storage full');
      const full = new StorageFullError();
      return sendProblem(reply, problem(full.status, full.code, full.title, full.message));
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      const [code, title] = FASTIFY_CODES[err.code] ?? ['bad-request', 'Bad request'];
      return sendProblem(reply, problem(status, code, title, String(err.message).slice(0, 300)));
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(reply, problem(500, 'internal', 'Internal error', `internal error (request ${request.id}); see the server log`));
  });

  app.setNotFoundHandler((request, reply) => sendProblem(reply, problem(404, 'not-found', 'Not found', `no route ${request.method} ${request.url.slice(0, 200)}`)));
}

/** Errors Node's HTTP parser raises before Fastify sees a request (oversized headers or URL, garbage). */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify(problem(status, status === 431 ? 'headers-too-large' : status === 408 ? 'request-timeout' : 'bad-request', 'Bad request', 'the request could not be read'));
  socket.end(`HTTP/1.1 ${status} Bad Request\r\nContent-Type: ${PROBLEM_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
