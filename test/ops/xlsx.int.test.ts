// Paper registers: a clean workbook (header variants, a title row, both
// sheets) is recorded; a workbook with bad rows records nothing and names
// each bad row, column and reason; the export reads back the same rows.
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulkWriter } from '../../src/app/bulk.ts';
import { projectAlerts, protectionAlerts } from '../../src/app/alerts.ts';
import { GuishuApp } from '../../src/app/office.ts';
import { exportRegisters, importXlsx, XlsxImportError } from '../../src/ops/xlsx.ts';
import type { EventStore } from '../../src/store/index.js';
import { NO_PROGRESS, cleanup, officeWithStaff, open, tempDir } from './helpers.ts';

afterAll(cleanup);

async function workbook(file: string, visits: unknown[][], calls: unknown[][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const v = wb.addWorksheet('来访登记表');
  v.addRow(['归属花园 来访登记表']); // a title row above the header
  v.addRow(['来访日期', '来访时间', '姓名', '手机号码', '接待顾问', '客户来源', '意向程度']);
  for (const r of visits) v.addRow(r);
  const c = wb.addWorksheet('Sheet2');
  c.addRow(['来电日期', '来电时间', '客户名称', '电话', '接听人', '来源', '意向']);
  for (const r of calls) c.addRow(r);
  await wb.xlsx.writeFile(file);
}

async function countTypes(store: EventStore, projectId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for await (const e of store.readEvents(projectId)) out[e.type] = (out[e.type] ?? 0) + 1;
  return out;
}

describe('import-xlsx / export-xlsx (SQLite)', () => {
  let store: EventStore;
  beforeAll(async () => {
    store = await open({ kind: 'sqlite', dataDir: tempDir('xlsx') });
  });

  it('records a clean workbook: visits with receivedBy, incoming calls, by staff name or id', async () => {
    await officeWithStaff(store, 'ok');
    const file = join(tempDir('xlsx-file'), 'registers.xlsx');
    await workbook(file, [
      ['2025-03-02', '10:30', '王先生', '13800138001', '杜若曦', '自然到访', 'A'],
      [new Date(Date.UTC(2025, 2, 2)), new Date(Date.UTC(1899, 11, 30, 14, 5)), '李女士', 13800138002, 'gw02', '', 'B'],
      ['2025/3/3', '下午3:15', '', '138 0013 8003', 'gw03', '', ''],
      [],
    ], [
      ['2025年3月2日', '09:45', '赵先生', '13900139001', '唐超', '网络', ''],
    ]);
    const r = await importXlsx(store, file, 'ok', { progress: NO_PROGRESS });
    expect(r).toMatchObject({ visits: 3, calls: 1 });
    expect(r.ignored.sort()).toEqual(['来源', '意向'].sort());
    expect((await store.verifyChain('ok')).ok).toBe(true);
    const events = [];
    for await (const e of store.readEvents('ok', { fromSeq: 6 })) events.push({ type: e.type, at: e.at, payload: e.payload, personal: e.personal });
    expect(events).toEqual([
      { type: 'call', at: '2025-03-02T01:45:00.000Z', payload: { staff: 'gw02', direction: 'in' }, personal: { customer: { phone: '13900139001', name: '赵先生' } } },
      { type: 'visit', at: '2025-03-02T02:30:00.000Z', payload: { receivedBy: 'gw01' }, personal: { customer: { phone: '13800138001', name: '王先生' } } },
      { type: 'visit', at: '2025-03-02T06:05:00.000Z', payload: { receivedBy: 'gw02' }, personal: { customer: { phone: '13800138002', name: '李女士' } } },
      { type: 'visit', at: '2025-03-03T07:15:00.000Z', payload: { receivedBy: 'gw03' }, personal: { customer: { phone: '138 0013 8003' } } },
    ]);
    // the same file twice is refused as a repeat
    await expect(importXlsx(store, file, 'ok', { progress: NO_PROGRESS })).rejects.toThrow(XlsxImportError);
    expect((await countTypes(store, 'ok')).visit).toBe(3);

    // export of 2 March: the same rows back, in the same layout
    const out = join(tempDir('xlsx-out'), 'day.xlsx');
    expect(await exportRegisters(store, 'ok', '2025-03-02', out)).toMatchObject({ visits: 2, calls: 1 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const rows = (name: string) => wb.getWorksheet(name)!.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1));
    expect(rows('来访登记表')).toEqual([
      ['日期', '时间', '客户姓名', '联系电话', '置业顾问', '来源', '意向'],
      ['2025-03-02', '10:30', '王先生', '13800138001', '杜若曦', '', ''],
      ['2025-03-02', '14:05', '李女士', '13800138002', '唐超', '', ''],
    ]);
    expect(rows('来电登记表')).toEqual([
      ['日期', '时间', '客户姓名', '联系电话', '置业顾问', '来源', '意向'],
      ['2025-03-02', '09:45', '赵先生', '13900139001', '唐超', '', ''],
    ]);
    // …and it imports into another project as the same events
    await officeWithStaff(store, 'copy');
    expect(await importXlsx(store, out, 'copy', { progress: NO_PROGRESS })).toMatchObject({ visits: 2, calls: 1 });
  });

  it('records nothing when a row is bad, and reports row, column and reason', async () => {
    await officeWithStaff(store, 'bad');
    const head = (await store.head('bad')).seq;
    const file = join(tempDir('xlsx-bad'), 'bad.xlsx');
    await workbook(file, [
      ['2025-03-02', '10:30', '王先生', '13800138001', '杜若曦', '', ''],
      ['2025-03-02', '10:40', '钱先生', '1380013', '杜若曦', '', ''],
      ['2025-03-02', '10:50', '孙女士', '13800138005', '张三', '', ''],
      ['', '11:00', '周先生', '13800138006', '唐超', '', ''],
    ], [['2025-03-02', '09:45', '赵先生', '13900139001', '唐超', '', '']]);
    const err = await importXlsx(store, file, 'bad', { progress: NO_PROGRESS }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XlsxImportError);
    expect((err as XlsxImportError).errors).toEqual([
      { sheet: '来访登记表', row: 4, column: 'D 手机号码', reason: 'bad phone: 1380013' },
      { sheet: '来访登记表', row: 5, column: 'E 接待顾问', reason: 'unknown consultant: 张三' },
      { sheet: '来访登记表', row: 6, column: 'A 来访日期', reason: 'missing date' },
    ]);
    expect((await store.head('bad')).seq).toBe(head);
    expect(await countTypes(store, 'bad')).toEqual({ policy: 1, staff: 4 });
  });

  it('alerts list the customers whose protection ends within N days, with the clause', async () => {
    const app = new GuishuApp({ store });
    const at = Date.parse('2025-03-10T12:00:00+08:00');
    const all = await projectAlerts(app, 'ok', { days: 365, at });
    expect(all.length).toBeGreaterThan(0);
    for (const a of all) {
      const card = await app.customer('ok', a.phone, at);
      expect(card.status).toBe('protected');
      expect(a.daysLeft).toBe(card.protectionLeft!.days);
      expect(a.clause).toBe(card.basis!.clause);
    }
    const soonest = Math.min(...all.map((a) => a.daysLeft));
    const within = await projectAlerts(app, 'ok', { days: soonest, at });
    expect(within.length).toBeGreaterThan(0);
    expect(within.every((a) => a.daysLeft <= soonest)).toBe(true);
    // one day less leaves out those ending on the soonest day
    expect(await projectAlerts(app, 'ok', { days: Math.max(0, soonest - 1), at })).toEqual(soonest === 0 ? within : []);
    // a pure function: the same state gives the same list, nothing recorded
    const head = (await store.head('ok')).seq;
    const w = await BulkWriter.open(store, 'ok');
    expect(protectionAlerts(w.state, at, 365)).toEqual(all);
    expect((await store.head('ok')).seq).toBe(head);
  });
});
