// 案场经理 · 佣金台账 (desktop; works on a phone): the month's money per
// consultant and per channel agency (成交总价 × 佣金比例 × 分配比例, exact, in
// yuan), every line with its clause — credits on the deal's day, reversals
// (冲回) on a cancellation's — a statement (结佣单) per person or agency to
// xlsx; the deals, each to confirm (the split as it stands becomes a ruling),
// correct (price, unit, closer — with the reason) or cancel; and the
// commission rates per role and per agency (a settings version from a date).
import { useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { errorText } from '../../api/client.ts';
import { rejectionText } from '../../api/errors.ts';
import { useStaff } from '../../api/office.ts';
import { cancelDeal, confirmDeal, correctDeal, downloadStatement, percentOf, setRates, useDealBook, useLedger, useRates, yuan, type DealMoney, type LedgerLine } from '../../api/deals.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { localDate, ROLE, spacedPhone, staffName, w } from '../../lib/format.ts';
import { useOffice } from '../../layout/office.tsx';
import { STAGE, SplitView } from './MyDeals.tsx';

const RATE_ROLES = ['consultant', 'manager', 'channel'] as const;

export default function LedgerPage() {
  const { project, can } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const staff = useStaff(project);
  const [month, setMonth] = useState<string | null>(null);
  const all = useLedger(project, null);
  const current = month ?? all.data?.months[0] ?? null;
  const ledger = useLedger(project, current);
  const book = useDealBook(project);
  const manager = can('manager', 'admin');
  const name = (id: string) => staffName(staff.data, id, lang);
  const payee = (l: LedgerLine) => (l.payee.kind === 'staff' ? `${name(l.payee.staff)}${l.payee.agency ? `（${l.payee.agency}）` : ''}` : `${l.payee.agency}（${t('渠道', 'agency')}）`);
  const statement = (who: { staff: string } | { agency: string }, label: string) => {
    if (!current) return;
    downloadStatement(project, current, who, `结佣单-${current}-${label}.xlsx`).catch((e) => message.error(errorText(e)));
  };

  if (all.isError) return <Alert type="error" showIcon message={errorText(all.error)} />;
  const totals = ledger.data?.totals;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <Card size="small" title={t('佣金台账', 'Commission ledger')} loading={all.isLoading} data-testid="ledger"
          extra={<Select size="small" style={{ width: 120 }} value={current ?? undefined} placeholder={t('月份', 'Month')} onChange={setMonth} options={(all.data?.months ?? []).map((m) => ({ value: m, label: m }))} data-testid="ledger-month" />}>
          <Row gutter={[16, 8]}>
            <Col xs={24} lg={12}>
              <Typography.Text strong>{t('按顾问', 'Per person')}</Typography.Text>
              <Table size="small" rowKey="staff" pagination={false} dataSource={totals?.staff ?? []} scroll={{ x: 360 }} data-testid="totals-staff" columns={[
                { title: t('姓名', 'Name'), dataIndex: 'staff', render: (id: string) => name(id) },
                { title: t('岗位', 'Role'), dataIndex: 'role', render: (r: string | null) => w(ROLE[r ?? ''], lang, r ?? '') },
                { title: t('本月佣金', 'This month'), dataIndex: 'total', align: 'right', render: (v: string, r) => <span data-testid={`total-${r.staff}`}>{yuan(v)}{r.withoutAmount ? <Tag style={{ marginLeft: 4 }}>{t(`${r.withoutAmount} 条无比例`, `${r.withoutAmount} without rate`)}</Tag> : null}</span> },
                { title: t('结佣单', 'Statement'), key: 'x', render: (_: unknown, r) => <Button size="small" icon={<DownloadOutlined />} onClick={() => statement({ staff: r.staff }, name(r.staff))} data-testid={`statement-${r.staff}`}>xlsx</Button> },
              ]} />
            </Col>
            <Col xs={24} lg={12}>
              <Typography.Text strong>{t('按渠道公司', 'Per agency')}</Typography.Text>
              <Table size="small" rowKey="agency" pagination={false} dataSource={totals?.agencies ?? []} scroll={{ x: 320 }} locale={{ emptyText: t('本月无渠道佣金', 'No channel commission this month') }} columns={[
                { title: t('渠道公司', 'Agency'), dataIndex: 'agency' },
                { title: t('本月佣金', 'This month'), dataIndex: 'total', align: 'right', render: (v: string) => yuan(v) },
                { title: t('结佣单', 'Statement'), key: 'x', render: (_: unknown, r) => <Button size="small" icon={<DownloadOutlined />} onClick={() => statement({ agency: r.agency }, r.agency)}>xlsx</Button> },
              ]} />
            </Col>
          </Row>
          <Table size="small" rowKey={(l) => `${l.deal}-${l.kind}-${l.payee.kind === 'staff' ? l.payee.staff : l.payee.agency}`} style={{ marginTop: 12 }} dataSource={ledger.data?.lines ?? []} pagination={{ pageSize: 10 }} scroll={{ x: 1000 }} data-testid="ledger-lines"
            columns={[
              { title: t('日期', 'Date'), dataIndex: 'local', render: (v: string) => v.slice(0, 10) },
              { title: t('成交', 'Deal'), dataIndex: 'deal' },
              { title: t('房号', 'Unit'), dataIndex: 'unit' },
              { title: t('类型', 'Kind'), dataIndex: 'kind', render: (k: string) => (k === 'credit' ? <Tag color="green">{t('入账', 'Credit')}</Tag> : <Tag color="red">{t('退订冲回', 'Reversal')}</Tag>) },
              { title: t('收款人', 'Payee'), key: 'payee', render: (_: unknown, l) => payee(l) },
              { title: t('成交总价', 'Price'), dataIndex: 'price', align: 'right', render: (v: string | null) => yuan(v) },
              { title: t('佣金比例', 'Rate'), dataIndex: 'ratePercent', render: (v: string | null) => v ?? <Typography.Text type="warning">{t('未设置', 'not set')}</Typography.Text> },
              { title: t('分配', 'Share'), dataIndex: 'share', render: (v: string) => percentOf(v) },
              { title: t('金额', 'Amount'), dataIndex: 'amount', align: 'right', render: (v: string | null) => <Typography.Text type={v?.startsWith('-') ? 'danger' : undefined} data-testid="line-amount">{yuan(v)}</Typography.Text> },
              { title: t('依据', 'Basis'), key: 'basis', render: (_: unknown, l) => <Typography.Text type="secondary" title={l.basis.text?.[lang] ?? ''} style={{ fontSize: 12 }}>{l.basis.clause}</Typography.Text> },
            ]} />
        </Card>
      </Col>
      <Col xs={24}>
        <Card size="small" title={t('成交', 'Deals')} loading={book.isLoading}>
          <Table size="small" rowKey="id" dataSource={book.data ?? []} pagination={{ pageSize: 10 }} scroll={{ x: 900 }} data-testid="deals-table"
            expandable={{ expandedRowRender: (d) => <SplitView deal={d} name={name} /> }}
            columns={[
              { title: t('日期', 'Date'), dataIndex: 'at', render: (v: string) => localDate(v) },
              { title: t('房号', 'Unit'), dataIndex: 'unit' },
              { title: t('客户', 'Customer'), key: 'c', render: (_: unknown, d) => d.customers.map((c) => c.name ?? spacedPhone(c.phone)).join('、') },
              { title: t('成交顾问', 'Closed by'), dataIndex: 'closedBy', render: (id: string) => name(id) },
              { title: t('总价', 'Price'), dataIndex: 'price', align: 'right', render: (v: string | null) => yuan(v) },
              { title: t('阶段', 'Stage'), dataIndex: 'stage', render: (s: DealMoney['stage'], d) => <Space size={2}><Tag color={STAGE[s].color}>{STAGE[s][lang]}</Tag>{d.ruled && <Tag color="cyan">{t('已确认', 'Confirmed')}</Tag>}</Space> },
              ...(manager ? [{ title: t('操作', 'Actions'), key: 'a', render: (_: unknown, d: DealMoney) => <DealActions deal={d} /> }] : []),
            ]} />
        </Card>
      </Col>
      <Col xs={24}>
        <RatesCard />
      </Col>
    </Row>
  );
}

function DealActions({ deal }: { deal: DealMoney }) {
  const { project } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState<'correct' | 'cancel' | null>(null);
  const [form] = Form.useForm<{ price?: string; unit?: string; reason: string }>();
  const done = (r: { status: string; rejection?: { code: string; field: string; messageZh: string; messageEn: string } }, ok: string) => {
    if (r.status === 'rejected') message.error(rejectionText(r.rejection, lang));
    else message.success(ok);
    void qc.invalidateQueries({ queryKey: [project] });
  };
  const run = async (fn: () => Promise<{ status: string; rejection?: { code: string; field: string; messageZh: string; messageEn: string } }>, ok: string) => {
    try {
      done(await fn(), ok);
      setOpen(null);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  if (deal.stage === 'cancelled') return null;
  return (
    <Space size={4} wrap>
      {!deal.ruled && <Button size="small" onClick={() => void run(() => confirmDeal(project, deal.id), t('已确认分配', 'Split confirmed'))} data-testid={`confirm-${deal.id}`}>{t('确认', 'Confirm')}</Button>}
      <Button size="small" onClick={() => { form.resetFields(); setOpen('correct'); }} data-testid={`correct-${deal.id}`}>{t('更正', 'Correct')}</Button>
      <Button size="small" danger onClick={() => { form.resetFields(); setOpen('cancel'); }} data-testid={`cancel-${deal.id}`}>{t('退订', 'Cancel')}</Button>
      <Modal open={open !== null} title={open === 'correct' ? t('更正成交', 'Correct the deal') : t('退订 / 退房', 'Cancel the deal')} onCancel={() => setOpen(null)} okText={t('提交', 'Submit')} cancelText={t('返回', 'Back')} destroyOnHidden
        onOk={() => void form.validateFields().then((v) => run(() => (open === 'correct'
          ? correctDeal(project, deal.id, { set: { ...(v.price ? { price: String(v.price) } : {}), ...(v.unit ? { unit: v.unit } : {}) }, reason: v.reason })
          : cancelDeal(project, deal.id, { reason: v.reason })), open === 'correct' ? t('已更正，原登记保留', 'Corrected; the original stays on record') : t('已退订，业绩佣金已冲回', 'Cancelled; credit reversed')))}>
        <Form form={form} layout="vertical">
          {open === 'correct' && (
            <>
              <Form.Item name="price" label={t('成交总价（元）', 'Total price (yuan)')}><InputNumber<string> stringMode min="0" precision={2} style={{ width: '100%' }} placeholder={deal.price ?? ''} /></Form.Item>
              <Form.Item name="unit" label={t('房号', 'Unit')}><Input placeholder={deal.unit ?? ''} maxLength={200} /></Form.Item>
            </>
          )}
          <Form.Item name="reason" label={t('理由', 'Reason')} rules={[{ required: true, whitespace: true, message: t('请填写理由', 'Give the reason') }]}><Input.TextArea autoSize maxLength={2000} /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

function RatesCard() {
  const { project, can } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const rates = useRates(project);
  const latest = rates.data?.versions.at(-1);
  const agencies = useMemo(() => [...new Set([...(rates.data?.agencies ?? []), ...Object.keys(latest?.agencies ?? {})])].sort(), [rates.data, latest]);
  const [form] = Form.useForm<Record<string, number | null | string>>();
  const manager = can('manager', 'admin');
  const pct = (p: string | undefined) => (p ? Number(p.replace('%', '')) : null);
  const initial = useMemo(() => ({
    ...Object.fromEntries(RATE_ROLES.map((r) => [`role:${r}`, pct(latest?.roles[r]?.percent)])),
    ...Object.fromEntries(agencies.map((a) => [`agency:${a}`, pct(latest?.agencies[a]?.percent)])),
  }), [latest, agencies]);

  const save = async () => {
    const v = await form.validateFields();
    const roles: Record<string, string> = {};
    const byAgency: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === null || x === undefined || x === '' || k === 'effectiveAt' || k === 'lateReason') continue;
      const rate = `${String(x)}%`;
      if (k.startsWith('role:')) roles[k.slice(5)] = rate;
      else if (k.startsWith('agency:')) byAgency[k.slice(7)] = rate;
    }
    const when = v.effectiveAt as unknown as { format: (f: string) => string } | null | undefined;
    try {
      const r = await setRates(project, { commission: { roles, agencies: byAgency }, ...(when ? { effectiveAt: `${when.format('YYYY-MM-DD')} 00:00` } : {}), ...(v.lateReason ? { lateReason: String(v.lateReason) } : {}) });
      if (r.status === 'rejected') message.error(rejectionText(r.rejection, lang));
      else message.success(t('佣金比例已保存', 'Rates saved'));
      void qc.invalidateQueries({ queryKey: [project] });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Card size="small" title={t('佣金比例（按岗位、按渠道公司）', 'Commission rates (per role, per agency)')} loading={rates.isLoading} data-testid="rates">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {latest ? t(`现行比例自 ${latest.local} 起生效。`, `In force since ${latest.local}.`) : t('尚未设置佣金比例：台账只显示分配比例，不显示金额。', 'No rates yet: the ledger shows shares without amounts.')}
        {t(' 成交按认购当日的比例结算；新的比例从生效日起适用，之前的成交不变。', ' A deal is paid at the rates in force on its deposit day; new rates apply from their date on.')}
      </Typography.Paragraph>
      <Form form={form} layout="inline" initialValues={initial} key={JSON.stringify(initial)} disabled={!manager}>
        {RATE_ROLES.map((r) => (
          <Form.Item key={r} name={`role:${r}`} label={w(ROLE[r], lang, r)} style={{ marginBottom: 8 }}>
            <InputNumber min={0} max={100} step={0.05} addonAfter="%" style={{ width: 150 }} data-testid={`rate-${r}`} />
          </Form.Item>
        ))}
        {agencies.map((a) => (
          <Form.Item key={a} name={`agency:${a}`} label={a} style={{ marginBottom: 8 }}>
            <InputNumber min={0} max={100} step={0.1} addonAfter="%" style={{ width: 150 }} />
          </Form.Item>
        ))}
        {manager && (
          <>
            <Form.Item name="effectiveAt" label={t('生效于', 'From')} style={{ marginBottom: 8 }}><DatePicker placeholder={t('现在', 'now')} /></Form.Item>
            <Form.Item name="lateReason" label={t('追溯原因', 'Why backdated')} style={{ marginBottom: 8 }}><Input placeholder={t('生效日早于今天时必填', 'needed for a past date')} style={{ width: 180 }} /></Form.Item>
            <Form.Item style={{ marginBottom: 8 }}><Button type="primary" onClick={() => void save()} data-testid="rates-save">{t('保存比例', 'Save rates')}</Button></Form.Item>
          </>
        )}
      </Form>
    </Card>
  );
}
