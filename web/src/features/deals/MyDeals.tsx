// 置业顾问 · 我的成交 (a phone, 390×844): record a deposit (认购) for one of
// my customers — unit and total price; the date is the server's clock — and
// see, before saving, how the performance (业绩) and commission (佣金) split
// and on which clause, with the amount at the office's rate. Then move it to
// contract (签约) or cancel it (退订/退房, with the reason): the unit is free
// again and the credit is reversed in the ledger.
import { useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Empty, Form, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { errorText } from '../../api/client.ts';
import { rejectionText } from '../../api/errors.ts';
import { useCustomers, useStaff } from '../../api/office.ts';
import { cancelDeal, downloadStatement, moveToContract, percentOf, previewDeal, recordDeal, useDealBook, yuan, type DealMoney, type Preview, type Refusal } from '../../api/deals.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { localDate, spacedPhone, staffName, todayLocal } from '../../lib/format.ts';
import { useOffice } from '../../layout/office.tsx';

export const STAGE: Record<DealMoney['stage'], { zh: string; en: string; color: string }> = {
  deposit: { zh: '认购', en: 'Deposit', color: 'blue' },
  contract: { zh: '签约', en: 'Contract', color: 'gold' },
  cancelled: { zh: '已退订', en: 'Cancelled', color: 'default' },
};

/** A price as the server takes it: yuan, at most two decimals. */
const priceText = (v: string | number | null | undefined) => {
  if (v === null || v === undefined || v === '') return null;
  const s = String(v).trim();
  return /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/.test(s) ? s : null;
};

export default function MyDeals() {
  const { project, me } = useOffice();
  const { t, lang } = useI18n();
  const book = useDealBook(project);
  const [adding, setAdding] = useState(false);
  const { message } = AntApp.useApp();
  const month = todayLocal().slice(0, 7);
  const mine = (book.data ?? []).filter((d) => d.closedBy === me || (me !== null && (me in d.commission || me in d.performance)));
  const live = mine.filter((d) => d.stage !== 'cancelled');
  const myTotal = (d: DealMoney) => d.lines.filter((l) => l.payee.kind === 'staff' && l.payee.staff === me && l.kind === 'credit').map((l) => l.amount)[0] ?? null;

  return (
    <div style={{ maxWidth: 480, margin: '0 auto' }}>
      <Card size="small" style={{ marginBottom: 8 }}>
        <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
          <Typography.Text strong>{t(`我的成交 ${live.length} 套`, `My deals: ${live.length}`)}</Typography.Text>
          <Space size={4}>
            {me && <Button icon={<DownloadOutlined />} onClick={() => void downloadStatement(project, month, { staff: me }, `结佣单-${month}.xlsx`).catch((e) => message.error(errorText(e)))} data-testid="my-statement">{t('本月结佣单', 'This month’s statement')}</Button>}
            {!adding && <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="new-deposit">{t('登记认购', 'Record a deposit')}</Button>}
          </Space>
        </Space>
      </Card>
      {adding && <NewDeposit onDone={() => setAdding(false)} />}
      {book.isError && <Alert type="error" showIcon message={errorText(book.error)} />}
      {book.isSuccess && mine.length === 0 && !adding && <Empty description={t('暂无成交', 'No deals yet')} />}
      {mine.map((d) => <DealCard key={d.id} deal={d} mine={myTotal(d)} />)}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
        {lang === 'zh' ? '认购、签约、退订的时间以服务器时间为准。佣金 = 成交总价 × 佣金比例 × 分配比例。' : 'Deposits, contracts and cancellations are dated by the server. Commission = total price × rate × share.'}
      </Typography.Paragraph>
    </div>
  );
}

function NewDeposit({ onDone }: { onDone: () => void }) {
  const { project, me } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const customers = useCustomers(project, me ?? '__nobody');
  const staff = useStaff(project);
  const [phone, setPhone] = useState<string | undefined>();
  const [unit, setUnit] = useState('');
  const [price, setPrice] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | Refusal | null>(null);
  const [asking, setAsking] = useState(false);
  const [saving, setSaving] = useState(false);
  const mine = useMemo(() => (customers.data ?? []).filter((c) => c.status === 'protected' || c.status === 'closed'), [customers.data]);
  const chosen = mine.find((c) => c.phone === phone);
  const proposal = useMemo(() => (phone && unit.trim() && priceText(price) ? { customers: [{ phone, ...(chosen?.name ? { name: chosen.name } : {}) }], unit: unit.trim(), price: priceText(price)! } : null), [phone, unit, price, chosen]);

  // The preview follows the form (debounced): the engine's split before anything is saved.
  useEffect(() => {
    setPreview(null);
    if (!proposal) return;
    let live = true;
    const timer = setTimeout(() => {
      setAsking(true);
      previewDeal(project, proposal).then((p) => { if (live) setPreview(p); }).catch((e) => { if (live) message.error(errorText(e)); }).finally(() => { if (live) setAsking(false); });
    }, 300);
    return () => { live = false; clearTimeout(timer); };
  }, [project, proposal, message]);

  const save = async () => {
    if (!proposal) return;
    setSaving(true);
    try {
      const r = await recordDeal(project, proposal);
      if (r.status === 'rejected') message.error(rejectionText(r.rejection, lang));
      else {
        message.success(t('认购已登记', 'Deposit recorded'));
        onDone();
      }
      void qc.invalidateQueries({ queryKey: [project] });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  const name = (id: string) => staffName(staff.data, id, lang);
  return (
    <Card size="small" title={t('登记认购', 'Record a deposit')} style={{ marginBottom: 8 }} data-testid="deposit-form">
      <Form layout="vertical" requiredMark>
        <Form.Item label={t('客户（我的客户）', 'Customer (mine)')} required>
          <Select showSearch value={phone} onChange={setPhone} placeholder={t('选择客户', 'Choose a customer')} optionFilterProp="label" loading={customers.isLoading} data-testid="deal-customer"
            options={mine.map((c) => ({ value: c.phone, label: `${c.name ?? t('客户', 'Customer')} ${spacedPhone(c.phone)}` }))} />
        </Form.Item>
        <Form.Item label={t('房号', 'Unit')} required>
          <Input value={unit} onChange={(e) => setUnit(e.target.value)} placeholder={t('如 5幢1802', 'e.g. 5-1802')} maxLength={200} data-testid="deal-unit" />
        </Form.Item>
        <Form.Item label={t('成交总价（元）', 'Total price (yuan)')} required>
          <InputNumber<string> stringMode min="0" step="10000" precision={2} value={price} onChange={(v) => setPrice(v)} style={{ width: '100%' }} data-testid="deal-price" />
        </Form.Item>
      </Form>
      {asking && <Typography.Text type="secondary">{t('正在计算分配…', 'Working out the split…')}</Typography.Text>}
      {preview && !preview.ok && <Alert type="error" showIcon message={rejectionText(preview.rejection, lang)} data-testid="deal-refused" />}
      {preview?.ok && <SplitView deal={preview.deal} name={name} testid="deal-preview" />}
      <Space style={{ marginTop: 8 }}>
        <Button type="primary" disabled={!preview?.ok} loading={saving} onClick={() => void save()} data-testid="deal-save">{t('确认认购', 'Save the deposit')}</Button>
        <Button onClick={onDone}>{t('取消', 'Cancel')}</Button>
      </Space>
    </Card>
  );
}

/** How a deal splits: performance and commission per person with the clause, and the money. */
export function SplitView({ deal, name, testid }: { deal: DealMoney; name: (id: string) => string; testid?: string }) {
  const { t, lang } = useI18n();
  const people = [...new Set([...Object.keys(deal.shares.performance), ...Object.keys(deal.shares.commission)])];
  const credit = deal.lines.filter((l) => l.kind === 'credit');
  return (
    <div style={{ background: '#f6ffed', border: '1px solid #b7eb8f', borderRadius: 6, padding: 8 }} data-testid={testid}>
      {people.map((p) => {
        const line = credit.find((l) => l.payee.kind === 'staff' && l.payee.staff === p);
        return (
          <div key={p} style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' }}>
            <Typography.Text strong>{name(p)}</Typography.Text>
            <Tag color="green">{t('业绩', 'Performance')} {percentOf(deal.shares.performance[p] ?? '0')}</Tag>
            <Tag color="purple">{t('佣金', 'Commission')} {percentOf(deal.shares.commission[p] ?? '0')}</Tag>
            <Typography.Text data-testid="split-amount">{line?.amount ? yuan(line.amount) : t('未设佣金比例', 'no rate set')}</Typography.Text>
          </div>
        );
      })}
      {credit.filter((l) => l.payee.kind === 'agency').map((l) => (
        <div key={`agency-${l.payee.kind === 'agency' ? l.payee.agency : ''}`}><Typography.Text>{t('渠道佣金', 'Channel commission')} {l.payee.kind === 'agency' ? l.payee.agency : ''} {yuan(l.amount)}</Typography.Text></div>
      ))}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 0 0' }} data-testid="split-clause">
        {t('依据', 'Basis')} [{deal.commissionBasis.clause}] {deal.commissionBasis.text ? deal.commissionBasis.text[lang] : ''}
      </Typography.Paragraph>
    </div>
  );
}

function DealCard({ deal, mine }: { deal: DealMoney; mine: string | null }) {
  const { project } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const staff = useStaff(project);
  const [mode, setMode] = useState<'contract' | 'cancel' | null>(null);
  const [price, setPrice] = useState<string | null>(deal.price);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const st = STAGE[deal.stage];

  const act = async (fn: () => Promise<{ status: string; rejection?: { code: string; field: string; message: string; messageZh: string; messageEn: string } }>, ok: string) => {
    setBusy(true);
    try {
      const r = await fn();
      if (r.status === 'rejected' && r.rejection) message.error(rejectionText(r.rejection, lang));
      else {
        message.success(ok);
        setMode(null);
      }
      void qc.invalidateQueries({ queryKey: [project] });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" style={{ marginBottom: 8, opacity: deal.stage === 'cancelled' ? 0.75 : 1 }} data-testid={`deal-${deal.unit ?? deal.id}`}>
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        <Space style={{ justifyContent: 'space-between', width: '100%' }}>
          <Typography.Text strong>{deal.unit ?? deal.id}</Typography.Text>
          <Tag color={st.color} data-testid="deal-stage">{st[lang]}</Tag>
        </Space>
        <Typography.Text type="secondary">{deal.customers.map((c) => c.name ?? spacedPhone(c.phone)).join('、')} · {localDate(deal.at)} · {yuan(deal.price)}</Typography.Text>
        <SplitView deal={deal} name={(id) => staffName(staff.data, id, lang)} />
        {deal.cancelled && (
          <Typography.Text type="danger" data-testid="deal-reversed">
            {t(`${localDate(deal.cancelled.at)} 退订，业绩佣金已冲回`, `Cancelled ${localDate(deal.cancelled.at)}: credit reversed`)}{mine ? ` (${yuan(`-${mine}`)})` : ''}{deal.cancelled.reason ? ` · ${deal.cancelled.reason}` : ''}
          </Typography.Text>
        )}
        {deal.stage !== 'cancelled' && mode === null && (
          <Space wrap>
            {deal.stage === 'deposit' && <Button onClick={() => setMode('contract')} data-testid="to-contract">{t('转签约', 'Move to contract')}</Button>}
            <Button danger onClick={() => setMode('cancel')} data-testid="to-cancel">{deal.stage === 'contract' ? t('退房', 'Cancel (退房)') : t('退订', 'Cancel (退订)')}</Button>
          </Space>
        )}
        {mode === 'contract' && (
          <Space wrap>
            <InputNumber<string> stringMode min="0" precision={2} value={price} onChange={(v) => setPrice(v)} style={{ width: 180 }} addonBefore={t('签约总价', 'Price')} data-testid="contract-price" />
            <Button type="primary" loading={busy} onClick={() => void act(() => moveToContract(project, deal.id, priceText(price) && priceText(price) !== deal.price ? { price: priceText(price)! } : {}), t('已签约', 'Contract recorded'))} data-testid="contract-save">{t('确认签约', 'Confirm')}</Button>
            <Button onClick={() => setMode(null)}>{t('取消', 'Cancel')}</Button>
          </Space>
        )}
        {mode === 'cancel' && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('退订原因（必填）', 'Why (required)')} autoSize maxLength={2000} data-testid="cancel-reason" />
            <Space>
              <Button danger type="primary" disabled={!reason.trim()} loading={busy} onClick={() => void act(() => cancelDeal(project, deal.id, { reason: reason.trim() }), t('已退订，房源已释放', 'Cancelled; the unit is free'))} data-testid="cancel-save">{t('确认退订', 'Confirm cancellation')}</Button>
              <Button onClick={() => setMode(null)}>{t('返回', 'Back')}</Button>
            </Space>
          </Space>
        )}
      </Space>
    </Card>
  );
}
