// 案场经理 · 导入导出: paper registers (xlsx) in, with progress and per-row
// errors; registers, customers and the commission ledger out as xlsx.
//
// The server offers `guishu import-xlsx` / `export-xlsx` on the command line
// (src/ops) but no HTTP route for them yet, so this screen reads and writes
// the same layout in the browser: every row is checked first (any bad row →
// the list of bad rows, nothing recorded), then each row is recorded through
// POST /events with an id derived from the file's SHA-256 and row, so a
// repeated import is answered as a repeat and records nothing twice.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, DatePicker, Progress, Row, Space, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useQueryClient } from '@tanstack/react-query';
import { errorText } from '../../api/client.ts';
import { rejectionText } from '../../api/errors.ts';
import { fetchAllEvents, fetchDayHead, recordEvent, useCustomers, useDeals, useStaff, type HttpEventBody } from '../../api/office.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { localDate, localTime, OWNER_STATUS, staffName, w, todayLocal } from '../../lib/format.ts';
import { useOffice } from '../../layout/office.tsx';
import { downloadXlsx, readRegisters, REGISTER_HEADERS, REGISTER_SHEETS, sha256Hex, type RegisterRow } from './xlsx.ts';

interface RowProblem { sheet: string; row: number; reason: string }

export default function ImportExport() {
  const { project } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const staff = useStaff(project);
  const customers = useCustomers(project);
  const deals = useDeals(project);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [problems, setProblems] = useState<RowProblem[]>([]);
  const [summary, setSummary] = useState<string | null>(null);
  // Today is the office's day (its zone), not the browser's: from 16:00 UTC a browser on UTC is a day behind Shanghai.
  const [day, setDay] = useState<Dayjs>(() => dayjs(todayLocal()));

  const staffId = (s: string) => staff.data?.find((m) => m.id === s || m.name === s)?.id;

  const check = (r: RegisterRow): string | null => {
    if (!/^\d{4}-\d{1,2}-\d{1,2}$/.test(r.date)) return t('日期不对（应为 2025-03-01）', 'bad date (use 2025-03-01)');
    if (!/^\d{1,2}:\d{2}/.test(r.time)) return t('时间不对（应为 10:30）', 'bad time (use 10:30)');
    if (!/^1[3-9]\d{9}$/.test(r.phone)) return t('联系电话不是11位手机号', 'the phone is not an 11-digit mobile');
    if (!r.consultant || !staffId(r.consultant)) return t(`没有这位置业顾问：${r.consultant || '（空）'}`, `no such consultant: ${r.consultant || '(empty)'}`);
    return null;
  };

  const importFile = async (file: File) => {
    setProblems([]); setSummary(null); setProgress(null);
    try {
      const rows = await readRegisters(file);
      if (!rows.length) { setSummary(t('文件里没有找到来访登记表或来电登记表。', 'No 来访登记表 / 来电登记表 sheet found.')); return; }
      const bad = rows.map((r) => ({ r, why: check(r) })).filter((x) => x.why);
      if (bad.length) { setProblems(bad.map(({ r, why }) => ({ sheet: r.sheet, row: r.row, reason: why! }))); return; }
      const hash = (await sha256Hex(file)).slice(0, 16);
      setProgress({ done: 0, total: rows.length });
      let accepted = 0; let repeated = 0;
      const refused: RowProblem[] = [];
      for (const [i, r] of rows.entries()) {
        const [y, m, d] = r.date.split('-').map(Number);
        const at = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')} ${r.time.slice(0, 5).padStart(5, '0')}`;
        const customer = { phone: r.phone, ...(r.name ? { name: r.name } : {}) };
        const id = `xlsx-${hash}-${r.kind}-${r.row}`;
        // Paper registers are dated in the past: 补登, with the file as the reason (the server keeps it beside both times).
        const lateReason = `导入纸质登记表 ${file.name.slice(0, 200)}（${r.sheet} 第 ${r.row} 行）`;
        const by = staffId(r.consultant)!; // check() refused rows without one
        const body: HttpEventBody = r.kind === 'visit' ? { id, at, lateReason, type: 'visit', customer, receivedBy: by } : { id, at, lateReason, type: 'call', customer, staff: by, direction: 'in' };
        try {
          const res = await recordEvent(project, body);
          if (res.repeated) repeated++;
          else if (res.status === 'rejected') refused.push({ sheet: r.sheet, row: r.row, reason: rejectionText(res.rejection, lang) });
          else accepted++;
        } catch (e) {
          refused.push({ sheet: r.sheet, row: r.row, reason: errorText(e) });
        }
        setProgress({ done: i + 1, total: rows.length });
      }
      setProblems(refused);
      setSummary(t(`导入完成：登记 ${accepted} 条，重复 ${repeated} 条（已导入过），未通过 ${refused.length} 条。`, `Done: ${accepted} recorded, ${repeated} repeats (already imported), ${refused.length} refused.`));
      await qc.invalidateQueries({ queryKey: [project] });
    } catch (e) {
      message.error(e instanceof Error && !('code' in e) ? t('文件无法读取：请确认是 .xlsx 文件。', 'The file cannot be read: is it an .xlsx file?') : errorText(e));
    }
  };

  const exportDay = async () => {
    const d = day.format('YYYY-MM-DD');
    const events = (await fetchAllEvents(project)).filter((e) => localDate(e.at) === d && e.status === 'accepted');
    const row = (e: (typeof events)[number], who: string | undefined) => [d, localTime(e.at, false), e.event.customer?.name ?? '', e.event.customer?.phone ?? '', staffName(staff.data, who, lang), '', ''];
    // The day's closing head, signed by the server, on a sheet of its own (the import reads only the register sheets).
    const head = (await fetchDayHead(project, d)).events;
    await downloadXlsx(`来访来电登记-${d}.xlsx`, [
      { name: REGISTER_SHEETS.visit, header: REGISTER_HEADERS, rows: events.filter((e) => e.type === 'visit').map((e) => row(e, e.event.receivedBy as string | undefined)) },
      { name: REGISTER_SHEETS.call, header: REGISTER_HEADERS, rows: events.filter((e) => e.type === 'call').map((e) => row(e, e.event.staff as string | undefined)) },
      { name: '日终链头', header: ['项目', '日期', '截至序号', '链头哈希', '签名时间', '密钥', '签名 (Ed25519)'], rows: [[head.projectId, d, head.seq, head.hash, head.signedAt, head.keyId, head.signature]] },
    ]);
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <Card title={t('导入纸质登记表（xlsx）', 'Import paper registers (xlsx)')}>
          <Typography.Paragraph type="secondary">{t('工作表“来访登记表”“来电登记表”，列：日期、时间、客户姓名、联系电话、置业顾问。先检查每一行，有错则一条都不登记；同一文件重复导入不会重复登记。', 'Sheets 来访登记表 / 来电登记表 with columns 日期, 时间, 客户姓名, 联系电话, 置业顾问. Every row is checked first; with any bad row nothing is recorded. Importing the same file again records nothing twice.')}</Typography.Paragraph>
          <Space wrap>
            <Upload accept=".xlsx" showUploadList={false} beforeUpload={(f) => { void importFile(f); return false; }}>
              <Button type="primary" icon={<UploadOutlined />} data-testid="import-xlsx">{t('选择文件导入', 'Choose a file')}</Button>
            </Upload>
            <Button icon={<DownloadOutlined />} onClick={() => void downloadXlsx('登记表模板.xlsx', [{ name: REGISTER_SHEETS.visit, header: REGISTER_HEADERS, rows: [] }, { name: REGISTER_SHEETS.call, header: REGISTER_HEADERS, rows: [] }])}>{t('下载模板', 'Template')}</Button>
          </Space>
          {progress && <Progress percent={Math.floor((progress.done / progress.total) * 100)} format={() => `${progress.done}/${progress.total}`} style={{ marginTop: 12 }} />}
          {summary && <Alert type={problems.length ? 'warning' : 'success'} showIcon message={summary} style={{ marginTop: 12 }} />}
          {problems.length > 0 && (
            <>
              {!summary && <Alert type="error" showIcon style={{ marginTop: 12 }} message={t(`有 ${problems.length} 行需要改正，本次没有登记任何一行：`, `${problems.length} rows need fixing; nothing was recorded:`)} />}
              <Table size="small" style={{ marginTop: 8 }} rowKey={(r) => `${r.sheet}-${r.row}`} dataSource={problems} pagination={{ pageSize: 10 }} columns={[
                { title: t('工作表', 'Sheet'), dataIndex: 'sheet' }, { title: t('行', 'Row'), dataIndex: 'row', width: 60 }, { title: t('问题', 'Problem'), dataIndex: 'reason' },
              ]} />
            </>
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('导出（xlsx）', 'Export (xlsx)')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space wrap><DatePicker value={day} onChange={(d) => d && setDay(d)} allowClear={false} /><Button icon={<DownloadOutlined />} onClick={() => void exportDay().catch((e: unknown) => message.error(errorText(e)))}>{t('导出当日登记表', "Export the day's registers")}</Button></Space>
            <Button icon={<DownloadOutlined />} disabled={!customers.data} onClick={() => void downloadXlsx('客户归属.xlsx', [{ name: '客户归属', header: ['客户姓名', '联系电话', '归属顾问', '状态', '保护期至', '依据'], rows: (customers.data ?? []).map((c) => [c.name, c.phone, staffName(staff.data, c.owner, lang), w(OWNER_STATUS[c.status], lang, c.status), c.protectedUntil ? localTime(c.protectedUntil) : '', c.basis]) }])}>{t('导出客户归属表', 'Export customers and owners')}</Button>
            <Button icon={<DownloadOutlined />} disabled={!deals.data} onClick={() => void downloadXlsx('佣金台账.xlsx', [{ name: '佣金台账', header: ['成交', '房号', '阶段', '日期', '成交顾问', '业绩分配', '佣金分配', '依据'], rows: (deals.data ?? []).map((d) => [d.id, d.unit, d.stage, localDate(d.at), staffName(staff.data, d.closedBy, lang), Object.entries(d.performance).map(([k, v]) => `${staffName(staff.data, k, lang)} ${Math.round(v * 100)}%`).join('，'), Object.entries(d.commission).map(([k, v]) => `${staffName(staff.data, k, lang)} ${Math.round(v * 100)}%`).join('，'), d.commissionBasis]) }])}>{t('导出佣金台账', 'Export the commission ledger')}</Button>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('命令行也可导入导出：guishu import-xlsx / export-xlsx（整文件一次性登记）。', 'The command line does the same: guishu import-xlsx / export-xlsx (whole file in one transaction).')}</Typography.Text>
          </Space>
        </Card>
      </Col>
    </Row>
  );
}
