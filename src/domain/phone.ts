// Phones. A customer's identity is their normalised 11-digit mainland mobile
// number; people write it with spaces, dashes, +86 or 0086, and channel agents
// report it masked (138***88888: first 3 and last 5, one * per hidden digit).
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const CANONICAL = /^1\d{10}$/;
const PLAIN = /^(\+86|0086)?[\s-]*1[\d\s-]{10,16}$/;
const SEPARATORS = /[\s-]/g;
const COUNTRY = /^(\+86|0086)/;
const MASK = /^(\d+)(\*+)(\d+)$/;

/**
 * Whether an 11-digit number is a mainland mobile is decided by its leading
 * digits (the operator's segment, 号段): the library's mobile pattern needs at
 * most five (1740x, 1610x). So the library is asked once per five-digit
 * prefix and a replay of a million registrations does not re-parse a million
 * numbers. A property test holds this against the library itself.
 */
export const SEGMENT_DIGITS = 5;
/** Per five-digit prefix (10000–19999 → index): 0 not asked yet, 1 a mobile segment, 2 not one. */
const segmentValidity = new Uint8Array(10_000);

function libraryMobile(text: string): string | undefined {
  const parsed = parsePhoneNumberFromString(text, 'CN');
  if (!parsed || parsed.countryCallingCode !== '86' || !parsed.isValid()) return undefined;
  const type = parsed.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return undefined;
  const national = String(parsed.nationalNumber);
  return CANONICAL.test(national) ? national : undefined;
}

/**
 * How a phone may be written, in a registration or a lookup: digits (full-width
 * ones too), spaces, dashes and parentheses, after an optional +86 / 0086, and
 * `*` for the hidden digits of a masked report phone. Anything else — letters,
 * `;`, dots, control characters — is not a phone but a malformed field (a 400
 * naming it). A well-formed but wrong number (ten digits, a landline) is still
 * a rejection the engine records. normalizePhone stays as tolerant as it was,
 * so that logs written before this grammar replay as they were decided.
 */
const PHONE_TEXT = /^[(（]?(?:[+＋]86|0086)?[)）]?[0-9０-９* \u3000()（）\-－]*$/;
const PHONE_DIGIT = /[0-9０-９]/;
export const PHONE_TEXT_RULE = 'not a phone: digits, spaces, dashes and parentheses after an optional +86 or 0086 (a report may hide digits as *)';

export function isPhoneText(text: string): boolean {
  return CANONICAL.test(text) || (PHONE_TEXT.test(text) && PHONE_DIGIT.test(text));
}

/** The 11-digit mobile number, or undefined when the text is not a valid mainland mobile. */
export function normalizePhone(text: string): string | undefined {
  // Spaces, dashes and a +86/0086 prefix are how people write a mobile; strip them and let the segment check decide.
  const compact = CANONICAL.test(text) ? text : PLAIN.test(text) ? text.replace(SEPARATORS, '').replace(COUNTRY, '') : text;
  if (CANONICAL.test(compact)) {
    text = compact;
    const segment = Number(text.slice(1, SEGMENT_DIGITS));
    let known = segmentValidity[segment]!;
    if (known === 0) {
      known = libraryMobile(text) === text ? 1 : 2;
      segmentValidity[segment] = known;
    }
    return known === 1 ? text : undefined;
  }
  return libraryMobile(text);
}

/** Display form for people who may not see the number: 138****8000. */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '*'.repeat(phone.length);
}

export interface PhoneMask {
  /** Visible leading digits. */
  readonly prefix: string;
  /** How many digits are hidden. */
  readonly hidden: number;
  /** Visible trailing digits. */
  readonly suffix: string;
}

/** Reads a masked report phone (`138***88888`, `138****8888`); undefined if it is not one. */
export function parseMask(text: string): PhoneMask | undefined {
  const compact = text.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
  const m = MASK.exec(compact);
  if (!m) return undefined;
  const [, prefix = '', stars = '', suffix = ''] = m;
  if (prefix.length + stars.length + suffix.length !== 11 || !prefix.startsWith('1')) return undefined;
  return { prefix, hidden: stars.length, suffix };
}

/** An index key for a mask shape: a full phone is looked up under every shape in use. */
export function maskKey(mask: PhoneMask): string {
  return `${mask.prefix}|${mask.hidden}|${mask.suffix}`;
}

/** The key a full phone has under a given shape (prefix length, hidden count). */
export function maskKeyOf(phone: string, prefixLength: number, hidden: number): string {
  return `${phone.slice(0, prefixLength)}|${hidden}|${phone.slice(prefixLength + hidden)}`;
}

export function maskMatches(mask: PhoneMask, phone: string): boolean {
  return phone.length === 11 && phone.startsWith(mask.prefix) && phone.endsWith(mask.suffix);
}

export function formatMask(mask: PhoneMask): string {
  return `${mask.prefix}${'*'.repeat(mask.hidden)}${mask.suffix}`;
}

/** All known phones a mask could be; more than one is an ambiguous report. */
export function matchMask(mask: PhoneMask, phones: Iterable<string>): string[] {
  const found: string[] = [];
  for (const phone of phones) if (maskMatches(mask, phone)) found.push(phone);
  return found;
}

/**
 * A coarse index key: the first three and last four digits, as one number
 * (1380000 + 8888 for 138****8888). A full phone has exactly one; a mask that
 * shows at least those digits has the same one, so a masked report and the
 * customers it could be meet under one key without scanning everyone. Masks
 * that show less have none (undefined). A number, not a string: building and
 * hashing it costs no allocation, and every customer is indexed by it.
 */
export function coarseKey(phone: string): number {
  return digitsValue(phone, 0, 3) * 10_000 + digitsValue(phone, phone.length - 4, phone.length);
}

export function coarseKeyOfMask(mask: PhoneMask): number | undefined {
  if (mask.prefix.length < 3 || mask.suffix.length < 4) return undefined;
  return digitsValue(mask.prefix, 0, 3) * 10_000 + digitsValue(mask.suffix, mask.suffix.length - 4, mask.suffix.length);
}

/** The decimal value of text[from, end). */
function digitsValue(text: string, from: number, end: number): number {
  let n = 0;
  for (let i = from; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    // Not a digit (never for a normalised phone): any value will do, keys only narrow a search that checks each candidate.
    n = n * 10 + (d >= 0 && d <= 9 ? d : 0);
  }
  return n;
}
