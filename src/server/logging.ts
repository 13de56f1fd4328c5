// The server's log (pino) never holds a customer's phone or name: a phone in
// a URL (the card, export and erase routes carry it) or in an error message
// is masked as the front desk sees it, and personal fields of any logged
// object are censored. So an erased customer does not live on in the logs.
import pino, { type DestinationStream, type Logger } from 'pino';

/** A mainland mobile number in free text: bare, with +86/0086, or percent-encoded `+`. */
const PHONE_IN_TEXT = /(?<!\d)(?:(?:\+|%2B|00)?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)/gi;

/** The text with every phone in it masked the way the card masks one (138****8000). */
export function redactPhones(text: string): string {
  return text.replace(PHONE_IN_TEXT, (_m, head: string, _mid: string, tail: string) => `${head}****${tail}`);
}

type RequestLike = { method?: string; url?: string; host?: string; ip?: string; socket?: { remotePort?: number } };

/** Serializers that replace Fastify's own (it prefers the logger's): the URL and error texts with phones masked. */
export const logSerializers = {
  req(req: RequestLike) {
    return { method: req.method, url: redactPhones(req.url ?? ''), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
  },
  err(err: Error) {
    const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
    for (const k of ['message', 'stack', 'detail']) if (typeof out[k] === 'string') out[k] = redactPhones(out[k]);
    return out;
  },
};

/** Personal fields censored wherever a logged object carries them. */
export const REDACT_PATHS = ['phone', '*.phone', 'customer', '*.customer', 'name', '*.name', 'body', '*.body', 'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'];

/** The server's logger: phones masked in URLs and errors, personal fields censored. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: { service: 'guishu' }, serializers: logSerializers, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}
