// Phones. A customer's identity is their normalised 11-digit mainland mobile
// number; people write it with spaces, dashes, +86 or 0086, and channel agents
// report it masked (138***88888: first 3 and last 5, one * per hidden digit).
//
// One grammar for the server and the web app (web/src/lib/phone-field.ts
// imports this file: it stays free of Node imports): `isPhoneText` says what
// may be written, `readPhone` reads a full number, `parseMask` a masked one,
// `checkPhoneText` gives a form's verdict with the reason in words. The
// library is asked only for texts outside the grammar (logs written before it).
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const CANONICAL = /^1\d{10}$/;
const PLAIN = /^(\+86|0086)?[\s-]*1[\d\s-]{10,16}$/;
const SEPARATORS = /[\s-]/g;
const COUNTRY = /^(\+86|0086)/;
const BARE_COUNTRY = /^86(?=1\d{10}$)/;
const MASK = /^(\d+)(\*+)(\d+)$/;

/**
 * Whether an 11-digit number is a mainland mobile is decided by its leading
 * digits (the operator's segment, 号段): the library's mobile pattern needs at
 * most five (1740x, 1610x). So the library is asked once per five-digit
 * prefix and a replay of a million registrations does not re-parse a million
 * numbers. A property test holds this against the library itself.
 */
export const SEGMENT_DIGITS = 5;
/**
 * The five-digit prefixes (10000–19999) that are mainland mobile segments, as
 * libphonenumber-js (max metadata) judges them: a unit test compares every
 * prefix with the library, so an update of its metadata that moves a segment
 * fails there with the new list. A table, not the library, so that the web app
 * reads a phone exactly as the server does without shipping the library.
 */
export const MOBILE_SEGMENTS = '13000-13999 14500-14599 14700-14799 15000-15399 15500-15999 16100-16109 16200-16299 16500-16799 17000-17405 17500-17899 18000-19399 19500-19999';
/** Per five-digit prefix (10000–19999 → index): 1 a mobile segment, 0 not one. */
const segmentValidity = new Uint8Array(10_000);
for (const range of MOBILE_SEGMENTS.split(' ')) {
  const [from, to = from] = range.split('-').map(Number) as [number, number?];
  for (let p = from; p <= to!; p++) segmentValidity[p - 10_000] = 1;
}

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
/** The grammar, over the text with full-width characters made ASCII (halfWidth). */
const PHONE_TEXT = /^\(?(?:\+86|0086)?\)?[0-9* ()-]*$/;
const PHONE_DIGIT = /[0-9]/;
export const PHONE_TEXT_RULE = 'not a phone: digits, spaces, dashes and parentheses after an optional +86 or 0086 (a report may hide digits as *)';

export function isPhoneText(text: string): boolean {
  if (CANONICAL.test(text)) return true;
  const h = halfWidth(text);
  return PHONE_TEXT.test(h) && PHONE_DIGIT.test(h);
}

const FULL_WIDTH = /[０-９＋－＊（）\u3000]/g;
/** Full-width (全角) digits, ＋ － ＊ （ ） and the ideographic space as their ASCII twins. */
export function halfWidth(text: string): string {
  return text.replace(FULL_WIDTH, (ch) => (ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0)));
}

const TEXT_SEPARATORS = /[\s()-]/g;
/** What a phone text writes once separators, full width and +86/0086 are gone: digits, and `*` for hidden ones. */
export function phoneDigits(text: string): string {
  return halfWidth(text).replace(TEXT_SEPARATORS, '').replace(COUNTRY, '');
}

function segmentValid(phone: string): boolean {
  return segmentValidity[Number(phone.slice(0, SEGMENT_DIGITS)) - 10_000] === 1;
}

/** The grammar's reading of a full number: the 11-digit mobile, or undefined (not phone text, not 11 digits, no such segment). */
export function readPhone(text: string): string | undefined {
  if (CANONICAL.test(text)) return segmentValid(text) ? text : undefined;
  if (!isPhoneText(text)) return undefined;
  // 86 written without + or 00 before a mobile (8613812345678) is still the country code: 13 digits leave no doubt,
  // and logs written before the grammar recorded such numbers as accepted.
  const d = phoneDigits(text).replace(BARE_COUNTRY, '');
  return CANONICAL.test(d) && segmentValid(d) ? d : undefined;
}

/**
 * The five-digit segment (号段) of a canonical number (`CANONICAL`: 1 and ten
 * more digits, nothing else), or -1 for any other text. One pass over the
 * characters: every registration of a replay asks, and almost all are canonical.
 */
function canonicalSegment(text: string): number {
  if (text.length !== 11 || text.charCodeAt(0) !== 49) return -1;
  let segment = 1;
  for (let i = 1; i < 11; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    if (i < SEGMENT_DIGITS) segment = segment * 10 + d;
  }
  return segment;
}

/** The 11-digit mobile number, or undefined when the text is not a valid mainland mobile. */
export function normalizePhone(text: string): string | undefined {
  const segment = canonicalSegment(text);
  if (segment >= 0) return segmentValidity[segment - 10_000] === 1 ? text : undefined;
  // Written in the grammar: the grammar decides, as in the web app.
  if (isPhoneText(text)) return readPhone(text);
  // Outside it (logs written before the grammar): as tolerant as before.
  const compact = PLAIN.test(text) ? text.replace(SEPARATORS, '').replace(COUNTRY, '') : text;
  if (CANONICAL.test(compact)) return segmentValid(compact) ? compact : undefined;
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

/** Reads a masked report phone (`138***88888`, `138****8888`, full-width too); undefined if it is not one. */
export function parseMask(text: string): PhoneMask | undefined {
  if (!text.includes('*') && !text.includes('＊')) return undefined;
  const compact = phoneDigits(text);
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

/** The shape a policy asks a masked report phone to have (`channel_report_rules.masked_phone`): visible leading and trailing digits. */
export interface MaskShape {
  readonly first: number;
  readonly last: number;
}

export function maskFits(mask: PhoneMask, shape: MaskShape): boolean {
  return mask.prefix.length === shape.first && mask.suffix.length === shape.last;
}

const CN_NUMERAL = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
/** An example of the shape: 138***88888 for first 3, last 5. */
export function maskExample(shape: MaskShape): string {
  const digits = '13812388888';
  return `${digits.slice(0, shape.first)}${'*'.repeat(11 - shape.first - shape.last)}${digits.slice(11 - shape.last)}`;
}
/** The shape in words, as the rulebook says it: 前三后五（如 138***88888）. */
export function maskShapeWords(shape: MaskShape): { zh: string; en: string } {
  const ex = maskExample(shape);
  return {
    zh: `前${CN_NUMERAL[shape.first] ?? shape.first}后${CN_NUMERAL[shape.last] ?? shape.last}（如 ${ex}）`,
    en: `first ${shape.first} and last ${shape.last} digits (e.g. ${ex})`,
  };
}

/** Why a phone text is refused. */
export type PhoneRefusal = 'not-phone-text' | 'not-mobile' | 'mask-not-allowed' | 'not-a-mask' | 'mask-shape';
export type PhoneVerdict =
  | { readonly ok: true; readonly phone: string; readonly mask?: undefined }
  | { readonly ok: true; readonly mask: PhoneMask; readonly phone?: undefined }
  | { readonly ok: false; readonly reason: PhoneRefusal; readonly zh: string; readonly en: string };

/**
 * A form field's verdict on a phone, with the reason in words — the same the
 * server comes to: text outside the grammar is a 400 (events.ts), a number
 * that is not a mainland mobile or a mask of the wrong shape is refused by the
 * engine (`invalid-phone`). `masks`: a masked number may be written (a
 * channel report); `shape`: the shape the policy asks for (null: any).
 */
export function checkPhoneText(text: string, opts: { masks?: boolean; shape?: MaskShape | null } = {}): PhoneVerdict {
  const refuse = (reason: PhoneRefusal, zh: string, en: string): PhoneVerdict => ({ ok: false, reason, zh, en });
  if (!isPhoneText(text)) {
    return refuse('not-phone-text', '手机号只能由数字、空格、短横线组成，可带 +86（全角数字也可以）', 'a phone is digits, spaces and dashes, optionally after +86 (full-width digits too)');
  }
  if (text.includes('*') || text.includes('＊')) {
    if (!opts.masks) return refuse('mask-not-allowed', '这里须填写完整的11位手机号', 'the full 11-digit number is needed here');
    const mask = parseMask(text);
    if (!mask) return refuse('not-a-mask', '隐号须为11位：1开头，显示的数字加 * 共11位', 'a masked phone has 11 positions, starting with 1: shown digits and * together');
    if (opts.shape && !maskFits(mask, opts.shape)) {
      const w = maskShapeWords(opts.shape);
      return refuse('mask-shape', `隐号须为${w.zh}`, `a masked phone must show the ${w.en}`);
    }
    return { ok: true, mask };
  }
  const phone = readPhone(text);
  if (!phone) return refuse('not-mobile', '不是有效的大陆手机号：须为11位，1开头的手机号段', 'not a valid mainland mobile: 11 digits in a mobile segment');
  return { ok: true, phone };
}
