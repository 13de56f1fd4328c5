// A month's commission statement (结佣单) as a spreadsheet: one consultant's
// or one channel agency's ledger lines of the month — credits on the deal's
// day, reversals (冲回) on a cancellation's — with price, rate, share, amount
// and the clause each rests on, and the total. Amounts are the ledger's own
// text (exact yuan, two decimals), written as numbers formatted 0.00.
import type { LineJson } from '../app/ledger.ts';

export interface StatementInput {
  projectName: string;
  month: string;
  /** Whom the statement is for: a staff member (name, id) or an agency. */
  payee: string;
  lines: LineJson[];
  total: string;
  withoutAmount: number;
  /** Staff id → display name. */
  names: (id: string) => string;
}

const excel = async () => (await import('exceljs')).default;

export async function statementXlsx(s: StatementInput): Promise<Buffer> {
  const ExcelJS = await excel();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Guishu 归属';
  const ws = wb.addWorksheet('结佣单');
  ws.addRow([`${s.projectName} · 结佣单 ${s.month}`]).font = { bold: true, size: 14 };
  ws.addRow(['对象', s.payee]);
  ws.addRow(['合计（元）', Number(s.total)]);
  if (s.withoutAmount > 0) ws.addRow(['未设佣金比例或总价的条目', s.withoutAmount]);
  ws.addRow([]);
  const header = ws.addRow(['日期', '成交', '房号', '类型', '收款人', '成交总价（元）', '佣金比例', '分配比例', '金额（元）', '依据']);
  header.font = { bold: true };
  for (const l of s.lines) {
    const who = l.payee.kind === 'staff' ? `${s.names(l.payee.staff)}${l.payee.agency ? `（${l.payee.agency}）` : ''}` : l.payee.agency;
    const row = ws.addRow([
      l.local.slice(0, 10),
      l.deal,
      l.unit ?? '',
      l.kind === 'credit' ? '入账' : '退订冲回',
      who,
      l.price === null ? '' : Number(l.price),
      l.ratePercent ?? '未设置',
      l.share,
      l.amount === null ? '' : Number(l.amount),
      l.basis.clause,
    ]);
    row.getCell(6).numFmt = '#,##0.00';
    row.getCell(9).numFmt = '#,##0.00';
  }
  const total = ws.addRow(['合计', '', '', '', '', '', '', '', Number(s.total), '']);
  total.font = { bold: true };
  total.getCell(9).numFmt = '#,##0.00';
  ws.getRow(3).getCell(2).numFmt = '#,##0.00';
  ws.columns.forEach((c, i) => { c.width = [12, 14, 14, 10, 18, 16, 10, 10, 14, 30][i] ?? 14; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
