// Paper registers as spreadsheets: `guishu import-xlsx FILE --project ID`
// reads 来访登记表 (visits) and 来电登记表 (incoming calls), `guishu
// export-xlsx` writes a day's registers in the same layout.
//
// Import is ALL-OR-NOTHING per file: every row is read and checked first
// (date, time, phone, consultant); any bad row → a report of every bad row
// (sheet, row, column, reason) and nothing recorded. A clean file is recorded
// in ONE store transaction (the bulk path of src/app/bulk.ts: the engine, the
// same projection writer): a crash or kill before the commit leaves nothing,
// after it everything. Event ids are derived from the file's SHA-256, sheet
// and row, so importing the same file twice is refused as a repeat.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type ExcelJS from 'exceljs';

/** exceljs is loaded when a workbook is read or written: it is half of a server's start-up time otherwise. */
const excel = async () => (await import('exceljs')).default;
import { BulkError, BulkWriter, validateEvent, type BulkItem } from '../app/bulk.ts';
import type { OfficeEvent } from '../domain/events.ts';
import { normalizePhone } from '../domain/phone.ts';
import { formatLocalTime, localDay, parseLocalTime, startOfLocalDay } from '../domain/time.ts';
import { toStoredEvent } from '../store/event-store.js';
import type { EventStore } from '../store/index.js';
import { fromStored } from '../app/codec.ts';
import { progress, type ProgressOptions } from './progress.ts';
import { closingHead, signHead } from './heads.ts';
import type { Signer } from './signing.ts';

export type RegisterKind = 'visit' | 'call';
export type Field = 'date' | 'time' | 'name' | 'phone' | 'consultant' | 'source' | 'intent';

/** The layout written by export and the names the import knows first. */
export const COLUMNS: readonly { field: Field; header: string }[] = [
  { field: 'date', header: '日期' },
  { field: 'time', header: '时间' },
  { field: 'name', header: '客户姓名' },
  { field: 'phone', header: '联系电话' },
  { field: 'consultant', header: '置业顾问' },
  { field: 'source', header: '来源' },
  { field: 'intent', header: '意向' },
];
export const SHEET_NAMES: Record<RegisterKind, string> = { visit: '来访登记表', call: '来电登记表' };

/** Header variants seen on real registers (compared without spaces, colons or asterisks). */
const HEADER_VARIANTS: Record<Field, readonly string[]> = {
  date: ['日期', '来访日期', '来电日期', '到访日期', '登记日期', '接待日期', 'date'],
  time: ['时间', '来访时间', '来电时间', '到访时间', '登记时间', '接待时间', '接听时间', 'time'],
  name: ['客户姓名', '姓名', '客户名称', '客户名', '客户', '来访人', '来电人', 'name'],
  phone: ['联系电话', '电话', '手机', '手机号', '手机号码', '联系方式', '客户电话', '电话号码', 'phone'],
  consultant: ['置业顾问', '顾问', '接待顾问', '接待人', '接待', '接待人员', '接听人', '接听顾问', '销售顾问', 'consultant'],
  source: ['来源', '客户来源', '渠道', '来源渠道', '获知途径', '认知途径', 'source'],
  intent: ['意向', '意向程度', '意向等级', '客户意向', '购房意向', 'intent'],
};
const REQUIRED: readonly Field[] = ['date', 'phone', 'consultant'];

export interface RowError {
  sheet: string;
  /** The spreadsheet's row number (1-based, as Excel shows it). */
  row: number;
  /** Column letter and header, e.g. `D 联系电话`; empty for a sheet-level error. */
  column: string;
  reason: string;
}

export class XlsxImportError extends Error {
  constructor(readonly errors: RowError[]) {
    super(`${errors.length} row error(s): nothing was recorded`);
    this.name = 'XlsxImportError';
  }
}

const squash = (s: string) => s.replace(/[\s*:：（）()]/g, '').toLowerCase();

function fieldOf(header: string): Field | undefined {
  const h = squash(header);
  if (!h) return undefined;
  for (const [field, variants] of Object.entries(HEADER_VARIANTS) as [Field, readonly string[]][]) {
    if (variants.some((v) => squash(v) === h)) return field;
  }
  return undefined;
}

function kindOfName(name: string): RegisterKind | undefined {
  if (/来访|到访|访客|visit/i.test(name)) return 'visit';
  if (/来电|电话|call/i.test(name)) return 'call';
  return undefined;
}

/** A cell's value, unwrapped from exceljs's rich text, formulas and hyperlinks. */
function cellValue(v: ExcelJS.CellValue): string | number | Date | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as unknown as Record<string, unknown>;
    if (Array.isArray(o.richText)) return cellValue((o.richText as { text: string }[]).map((r) => r.text).join(''));
    if ('result' in o) return cellValue(o.result as ExcelJS.CellValue);
    if (typeof o.text === 'string') return cellValue(o.text);
    if ('error' in o) return null;
  }
  return String(v as unknown);
}

interface Ymd { y: number; m: number; d: number; minutes?: number }

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

function ymdOfUtc(ms: number): Ymd {
  const d = new Date(ms);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), minutes: d.getUTCHours() * 60 + d.getUTCMinutes() };
}

/** A date cell: a Date (exceljs gives the wall clock as UTC), an Excel serial number, or text (2025-03-01, 2025/3/1, 2025年3月1日, 20250301). */
function parseDate(v: string | number | Date | boolean): Ymd | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : ymdOfUtc(v.getTime());
  if (typeof v === 'number') return v > 1 && v < 2958466 ? ymdOfUtc(EXCEL_EPOCH + Math.round(v * 86_400_000)) : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+(.+))?$/.exec(v) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (!m) return undefined;
  const out: Ymd = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  if (m[4]) {
    const t = parseTime(m[4]);
    if (t === undefined) return undefined;
    out.minutes = t;
  }
  return out;
}

/** A time cell: a Date (time-only cells are 1899-12-30 hh:mm), a day fraction, or text (10:30, 10:30:00, 10点30, 下午3:30). Minutes since midnight. */
function parseTime(v: string | number | Date | boolean): number | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getUTCHours() * 60 + v.getUTCMinutes() + Math.round(v.getUTCSeconds() / 60 - 0.49);
  if (typeof v === 'number') {
    const frac = v - Math.floor(v);
    return v >= 0 && (v < 1 || frac > 0) ? Math.floor(Math.round(frac * 86_400) / 60) % 1440 : undefined;
  }
  if (typeof v !== 'string') return undefined;
  const m = /^(上午|下午|晚上|中午|AM|PM)?\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})?\s*分?(?::(\d{1,2}))?\s*(AM|PM)?$/i.exec(v.trim());
  if (!m) return undefined;
  let h = Number(m[2]);
  const mi = Number(m[3] ?? 0);
  const half = (m[1] ?? m[5] ?? '').toUpperCase();
  if ((half === '下午' || half === '晚上' || half === 'PM') && h < 12) h += 12;
  if (half === '中午' && h < 6) h += 12;
  if ((half === 'AM' || half === '上午') && h === 12) h = 0;
  if (h > 23 || mi > 59) return undefined;
  return h * 60 + mi;
}

interface StaffInfo { id: string; name: string | null; leftAt?: number }

function staffIndex(state: BulkWriter['state']): { byId: Map<string, StaffInfo>; byName: Map<string, StaffInfo[]> } {
  const byId = new Map<string, StaffInfo>();
  const byName = new Map<string, StaffInfo[]>();
  for (const m of state.staff.values()) {
    const info = { id: m.id, name: m.name ?? null, leftAt: m.leftAt };
    byId.set(m.id, info);
    if (m.name) byName.set(m.name, [...(byName.get(m.name) ?? []), info]);
  }
  return { byId, byName };
}

export interface ParsedRegisters {
  events: OfficeEvent[];
  errors: RowError[];
  sheets: { name: string; kind: RegisterKind; rows: number }[];
  /** Columns read but not recorded (the visit/call events have no field for them). */
  ignored: string[];
}

/**
 * Reads every sheet and builds the events; every problem is collected, none
 * stops the reading, so one run reports every bad row.
 */
export async function parseRegisters(file: string, ctx: { timezone: string; staff: BulkWriter['state'] }, bar?: { update(done: number, total?: number): void }): Promise<ParsedRegisters> {
  const bytes = readFileSync(file);
  const fileKey = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const wb = new (await excel()).Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const { byId, byName } = staffIndex(ctx.staff);
  const errors: RowError[] = [];
  const events: { event: OfficeEvent; order: number }[] = [];
  const sheets: ParsedRegisters['sheets'] = [];
  const ignored = new Set<string>();
  const total = wb.worksheets.reduce((n, ws) => n + ws.rowCount, 0);
  let seen = 0;
  let order = 0;
  wb.worksheets.forEach((ws, sheetIndex) => {
    if (ws.actualRowCount === 0 || ws.name === CLOSING_SHEET) return; // an exported day's closing head: not registrations
    // The header row: the first of the first ten rows naming a date and a phone column (a title row may come before it).
    let headerRow = 0;
    let columns = new Map<Field, number>();
    let headerTexts = new Map<number, string>();
    for (let r = 1; r <= Math.min(10, ws.rowCount) && !headerRow; r++) {
      const found = new Map<Field, number>();
      const texts = new Map<number, string>();
      ws.getRow(r).eachCell((cell, col) => {
        const v = cellValue(cell.value);
        if (typeof v !== 'string') return;
        texts.set(col, v);
        const f = fieldOf(v);
        if (f && !found.has(f)) found.set(f, col);
      });
      if (found.has('date') && found.has('phone')) {
        headerRow = r;
        columns = found;
        headerTexts = texts;
      }
    }
    if (!headerRow) {
      errors.push({ sheet: ws.name, row: 1, column: '', reason: 'no header row with 日期 and 联系电话 columns in the first ten rows' });
      return;
    }
    const kind = kindOfName(ws.name) ?? kindOfName([...headerTexts.values()].join(' '));
    if (!kind) {
      errors.push({ sheet: ws.name, row: headerRow, column: '', reason: 'cannot tell whether this sheet is visits (来访) or calls (来电): name the sheet 来访登记表 or 来电登记表' });
      return;
    }
    for (const f of REQUIRED) {
      if (!columns.has(f)) errors.push({ sheet: ws.name, row: headerRow, column: '', reason: `no ${COLUMNS.find((c) => c.field === f)!.header} column` });
    }
    if (!REQUIRED.every((f) => columns.has(f))) return;
    for (const f of ['source', 'intent'] as Field[]) if (columns.has(f)) ignored.add(COLUMNS.find((c) => c.field === f)!.header);
    const label = (f: Field) => {
      const col = columns.get(f)!;
      return `${ws.getColumn(col).letter} ${headerTexts.get(col) ?? ''}`.trim();
    };
    let rows = 0;
    for (let r = headerRow + 1; r <= ws.rowCount; r++) {
      seen++;
      if (seen % 500 === 0) bar?.update(seen, total);
      const row = ws.getRow(r);
      const get = (f: Field) => (columns.has(f) ? cellValue(row.getCell(columns.get(f)!).value) : null);
      const values = COLUMNS.map((c) => get(c.field));
      if (values.every((v) => v === null)) continue;
      rows++;
      const err = (f: Field, reason: string) => errors.push({ sheet: ws.name, row: r, column: label(f), reason });
      const before = errors.length;

      const dateCell = get('date');
      const date = dateCell === null ? undefined : parseDate(dateCell);
      if (dateCell === null) err('date', 'missing date');
      else if (!date) err('date', `not a date: ${String(dateCell).slice(0, 40)}`);
      let minutes: number | undefined;
      const timeCell = get('time');
      if (timeCell !== null) {
        minutes = parseTime(timeCell);
        if (minutes === undefined) err('time', `not a time: ${String(timeCell).slice(0, 40)}`);
      } else if (date?.minutes !== undefined && (typeof dateCell === 'string' || date.minutes > 0)) {
        minutes = date.minutes; // the date cell carries the time (2025-03-01 10:30)
      } else if (date) {
        err(columns.has('time') ? 'time' : 'date', 'missing time');
      }
      let at: number | undefined;
      if (date && minutes !== undefined) {
        const p2 = (n: number) => String(n).padStart(2, '0');
        at = parseLocalTime(`${date.y}-${p2(date.m)}-${p2(date.d)} ${p2(Math.floor(minutes / 60))}:${p2(minutes % 60)}`, ctx.timezone);
        if (at === undefined) err('date', `no such date: ${date.y}-${date.m}-${date.d}`);
      }

      const phoneCell = get('phone');
      const phoneText = phoneCell === null ? '' : typeof phoneCell === 'number' ? String(Math.round(phoneCell)) : String(phoneCell).trim();
      if (!phoneText) err('phone', 'missing phone');
      else if (!normalizePhone(phoneText)) err('phone', `bad phone: ${phoneText.slice(0, 40)}`);

      const nameCell = get('name');
      const name = nameCell === null ? undefined : String(nameCell).trim();
      if (name && name.length > 200) err('name', 'name longer than 200 characters');

      const consultantCell = get('consultant');
      const who = consultantCell === null ? '' : String(consultantCell).trim();
      let staff: StaffInfo | undefined;
      if (!who) err('consultant', 'missing consultant');
      else {
        staff = byId.get(who);
        if (!staff) {
          const named = byName.get(who) ?? [];
          if (named.length > 1) err('consultant', `ambiguous consultant ${who}: ${named.map((s) => s.id).join(', ')} share the name; write the staff id`);
          else if (named.length === 0) err('consultant', `unknown consultant: ${who}`);
          else staff = named[0];
        }
        if (staff && at !== undefined && staff.leftAt !== undefined && staff.leftAt <= at) err('consultant', `${who} had left on ${formatLocalTime(staff.leftAt, ctx.timezone)}`);
      }
      if (errors.length > before || at === undefined || !staff) continue;

      const id = `xlsx-${fileKey}-${sheetIndex + 1}-${r}`;
      const customer = { phone: phoneText, ...(name ? { name } : {}) };
      const raw = kind === 'visit'
        ? { id, type: 'visit', at, customer, receivedBy: staff.id }
        : { id, type: 'call', at, customer, staff: staff.id, direction: 'in' };
      try {
        events.push({ event: validateEvent(raw), order: order++ });
      } catch (e) {
        errors.push({ sheet: ws.name, row: r, column: '', reason: (e as Error).message });
      }
    }
    sheets.push({ name: ws.name, kind, rows });
  });
  bar?.update(total, total);
  // One log in time order (visits and calls interleaved as they happened); rows of one instant keep the sheet order.
  events.sort((a, b) => a.event.at - b.event.at || a.order - b.order);
  return { events: events.map((e) => e.event), errors, sheets, ignored: [...ignored] };
}

export interface ImportXlsxResult {
  projectId: string;
  visits: number;
  calls: number;
  accepted: number;
  rejected: number;
  rejections: Record<string, number>;
  headSeq: number;
  seconds: number;
  ignored: string[];
}

export async function importXlsx(store: EventStore, file: string, projectId: string, opts: { progress?: ProgressOptions; log?: (line: string) => void; recordedBy?: string } = {}): Promise<ImportXlsxResult> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const writer = await BulkWriter.open(store, projectId);
  const read = progress(`read ${basename(file)}`, 0, { ...opts.progress });
  let parsed: ParsedRegisters;
  try {
    parsed = await parseRegisters(file, { timezone: writer.project.timezone, staff: writer.state }, read);
  } finally {
    read.stop();
  }
  if (parsed.errors.length > 0) throw new XlsxImportError(parsed.errors);
  if (parsed.events.length === 0) throw new XlsxImportError([{ sheet: '', row: 0, column: '', reason: 'no rows to import' }]);
  const repeated = parsed.events.find((e) => writer.has(e.id));
  if (repeated) throw new XlsxImportError([{ sheet: '', row: 0, column: '', reason: `this file was already imported (event ${repeated.id} is in the log)` }]);

  const items: BulkItem[] = parsed.events.map((event) => ({ event }));
  const visits = items.filter((i) => i.event.type === 'visit').length;
  log(`writing ${items.length} events (${visits} visits, ${items.length - visits} calls) in one transaction`);
  const write = progress('write', items.length, { unit: 'rows', ...opts.progress });
  let result;
  try {
    result = await writer.append(items, {
      recordedBy: opts.recordedBy ?? `import-xlsx:${basename(file)}`,
      onWrite: (done, total) => {
        if (done === 0) log(`transaction open: ${items.length} events inserted, writing ${total} projection rows (not committed yet)`);
        write.update(done, total);
      },
    });
  } catch (e) {
    if (e instanceof BulkError) throw new XlsxImportError([{ sheet: '', row: 0, column: '', reason: e.message }]);
    throw e;
  } finally {
    write.stop();
  }
  log('committed');
  return { projectId, visits, calls: items.length - visits, accepted: result.accepted, rejected: result.rejected, rejections: result.rejections, headSeq: result.headSeq, seconds: (performance.now() - started) / 1000, ignored: parsed.ignored };
}

export function formatRowError(e: RowError): string {
  if (!e.sheet && !e.row) return `  ${e.reason}`;
  return `  ${e.sheet} row ${e.row}${e.column ? ` column ${e.column}` : ''}: ${e.reason}`;
}

// ------------------------------------------------------------------ export

/**
 * The visits and incoming calls recorded (accepted) for one local day, as two
 * sheets in the import layout. 来源 and 意向 are left blank: the events do not
 * carry them.
 */
export async function exportRegisters(store: EventStore, projectId: string, date: string, out: string, opts: { signer?: Signer; now?: Date } = {}): Promise<{ visits: number; calls: number; file: string; closing: { seq: number; hash: string; signature: string | null; keyId: string | null } }> {
  const project = await store.getProject(projectId);
  if (!project) throw new Error(`no project ${projectId}`);
  const tz = project.timezone;
  const start = parseLocalTime(date, tz);
  if (start === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`--date: not a date YYYY-MM-DD: ${date}`);
  const end = startOfLocalDay(localDay(start, tz) + 1, tz);
  const rows = await store.eventRowsBetween(projectId, { types: ['visit', 'call'], status: 'accepted', fromAt: new Date(start).toISOString(), beforeAt: new Date(end).toISOString() });
  const staffName = await store.staffNames(projectId);
  const wb = new (await excel()).Workbook();
  const sheets = {
    visit: wb.addWorksheet(SHEET_NAMES.visit),
    call: wb.addWorksheet(SHEET_NAMES.call),
  };
  for (const ws of Object.values(sheets)) {
    ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.field, width: c.field === 'phone' ? 16 : 12 }));
    ws.getRow(1).font = { bold: true };
  }
  let visits = 0;
  let calls = 0;
  for (const r of rows) {
    const e = fromStored(toStoredEvent(r));
    let staff: string | undefined;
    if (e.type === 'visit') staff = e.receivedBy;
    else if (e.type === 'call' && e.direction === 'in') staff = e.staff;
    else continue;
    const local = formatLocalTime(e.at, tz);
    const customer = e.customer;
    sheets[e.type].addRow({
      date: local.slice(0, 10),
      time: local.slice(11),
      // An erased customer's registration: the row stays, without name or phone.
      name: customer?.name ?? '',
      phone: customer?.phone ?? '',
      consultant: staff ? (staffName.get(staff) ?? staff) : '',
      source: '',
      intent: '',
    });
    if (e.type === 'visit') visits++;
    else calls++;
  }
  // The day ends with its closing head (src/ops/heads.ts): the log's prefix holding every row above, signed
  // when this install has the key (docs/verify.md) — a printed register that can later be checked against the log.
  const head = await closingHead(store, projectId, date);
  const signed = opts.signer ? signHead(opts.signer, projectId, 'events', head, opts.now) : undefined;
  // A sheet of its own: the register sheets keep the import layout (an exported day imports back as the same events).
  const closing = wb.addWorksheet(CLOSING_SHEET);
  closing.columns = [{ header: '项', key: 'k', width: 22 }, { header: '值', key: 'v', width: 100 }];
  closing.getRow(1).font = { bold: true };
  const rowsOut: [string, string | number][] = [
    ['项目 project', projectId], ['日期 date', date], ['日终 day ends at (UTC)', head.end], ['log', 'events'],
    ['序号 seq', head.seq], ['哈希 hash', head.hash],
    ['签名时间 signedAt', signed?.signedAt ?? '—'], ['密钥 keyId', signed?.keyId ?? '—'], ['签名 signature (Ed25519, base64)', signed?.signature ?? '未签名 unsigned'],
    ['格式 format', signed?.format ?? '—'], ['公钥 public key', opts.signer?.publicKeyPem ?? '—'],
  ];
  for (const [k, v] of rowsOut) closing.addRow({ k, v });
  await wb.xlsx.writeFile(out);
  return { visits, calls, file: out, closing: { seq: head.seq, hash: head.hash, signature: signed?.signature ?? null, keyId: signed?.keyId ?? null } };
}

/** The sheet holding the day's closing head and its signature. */
export const CLOSING_SHEET = '日终链头';
