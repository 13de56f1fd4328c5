// Spreadsheets in the browser (exceljs, loaded on demand): the paper-register
// layout of `guishu import-xlsx`/`export-xlsx` (src/ops/xlsx.ts): sheets
// 来访登记表 and 来电登记表 with 日期, 时间, 客户姓名, 联系电话, 置业顾问.
export const REGISTER_SHEETS = { visit: '来访登记表', call: '来电登记表' } as const;
export const REGISTER_HEADERS = ['日期', '时间', '客户姓名', '联系电话', '置业顾问', '来源', '意向'];

type Workbook = import('exceljs').Workbook;

export async function newWorkbook(): Promise<Workbook> {
  const mod = (await import('exceljs')) as unknown as { default?: { Workbook: new () => Workbook }; Workbook?: new () => Workbook };
  const Ctor = mod.Workbook ?? mod.default!.Workbook;
  return new Ctor();
}

/** Sheets of rows → an .xlsx download. */
export async function downloadXlsx(filename: string, sheets: { name: string; header: string[]; rows: (string | number | null)[][] }[]): Promise<void> {
  const wb = await newWorkbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    ws.addRow(s.header).font = { bold: true };
    for (const r of s.rows) ws.addRow(r);
    ws.columns.forEach((c) => { c.width = 16; });
  }
  const buf = await wb.xlsx.writeBuffer();
  const url = URL.createObjectURL(new Blob([buf], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 5_000);
}

export interface RegisterRow { sheet: string; kind: 'visit' | 'call'; row: number; date: string; time: string; name: string; phone: string; consultant: string }

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object' && 'text' in (v as object)) return String((v as { text: unknown }).text);
  if (typeof v === 'object' && 'result' in (v as object)) return String((v as { result: unknown }).result);
  return String(v).trim();
}

/** Reads the register sheets of a file. Dates and times may be text or Excel dates. */
export async function readRegisters(file: File): Promise<RegisterRow[]> {
  const wb = await newWorkbook();
  await wb.xlsx.load(await file.arrayBuffer());
  const out: RegisterRow[] = [];
  for (const [kind, name] of Object.entries(REGISTER_SHEETS) as ['visit' | 'call', string][]) {
    const ws = wb.getWorksheet(name) ?? (kind === 'visit' && wb.worksheets.length === 1 ? wb.worksheets[0] : undefined);
    if (!ws) continue;
    const header = (ws.getRow(1).values as unknown[]).map((v) => text(v).replace(/[\s:：*]/g, ''));
    const col = (names: string[]) => header.findIndex((h) => names.includes(h));
    const c = { date: col(['日期', '来访日期', '来电日期']), time: col(['时间', '来访时间', '来电时间']), name: col(['客户姓名', '姓名', '客户']), phone: col(['联系电话', '电话', '手机', '手机号']), consultant: col(['置业顾问', '顾问', '接待顾问', '接听顾问']) };
    ws.eachRow((r, n) => {
      if (n === 1) return;
      const v = r.values as unknown[];
      const raw = (i: number) => (i >= 0 ? v[i] : undefined);
      const d = raw(c.date);
      const tm = raw(c.time);
      const date = d instanceof Date ? d.toISOString().slice(0, 10) : text(d).replace(/[./年月]/g, '-').replace(/日$/, '');
      const time = tm instanceof Date ? tm.toISOString().slice(11, 16) : text(tm);
      const row = { sheet: name, kind, row: n, date, time, name: text(raw(c.name)), phone: text(raw(c.phone)).replace(/\D/g, ''), consultant: text(raw(c.consultant)) };
      if (row.date || row.phone || row.name) out.push(row);
    });
  }
  return out;
}

export async function sha256Hex(file: File): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
