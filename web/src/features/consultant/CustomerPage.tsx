// 置业顾问 · 客户详情 (a phone first, 390×844): one customer's card — whose,
// protection left, the reason with its clause — the timeline with who did
// what and the follow-up notes (times in the project's zone, 补登 marked),
// and a follow-up with a note.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Empty, Input, Segmented, Space, Spin, Tag, Timeline, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, PhoneOutlined } from '@ant-design/icons';
import { ApiError, errorText } from '../../api/client.ts';
import { rejectionText } from '../../api/errors.ts';
import { recordEvent, useCustomer, useRecord, useStaff, type Staff, type EventBody, type HttpEventBody } from '../../api/office.ts';
import { useEntries, type Entry } from '../../api/people.ts';
import { useI18n } from '../../lib/i18n.tsx';
import type { Lang } from '../../lib/i18n.tsx';
import { EVENT_TYPE, localTime, OWNER_STATUS, spacedPhone, staffName, w } from '../../lib/format.ts';
import { navigate, useQueryParam } from '../../lib/router.tsx';
import { useOffice } from '../../layout/office.tsx';

type Via = NonNullable<EventBody<'followup'>['via']>;

export const VIA: Record<string, { zh: string; en: string }> = {
  phone: { zh: '电话', en: 'Call' }, wechat: { zh: '微信', en: 'WeChat' }, sms: { zh: '短信', en: 'SMS' }, visit: { zh: '到访', en: 'Visit' },
};

/** One line of what happened: who, how, with what effect. */
function describe(e: Entry, staff: Staff[] | undefined, lang: Lang): string {
  const d = e.what;
  const name = (id: string | undefined) => staffName(staff, id, lang);
  const zh = lang === 'zh';
  switch (e.type) {
    case 'visit': return d.receivedBy ? (zh ? `${name(d.receivedBy)} 接待` : `received by ${name(d.receivedBy)}`) : '';
    case 'call': return `${name(d.staff)} ${d.direction === 'in' ? (zh ? '接听来电' : 'took the call') : (zh ? '去电' : 'called')}`;
    case 'followup': return `${name(d.staff)} · ${w(VIA[d.via ?? ''], lang, d.via ?? '')} · ${d.effective === false ? (zh ? '无效' : 'no answer') : (zh ? '有效' : 'effective')}`;
    case 'deal': return `${name(d.closedBy)} · ${d.stage === 'contract' ? (zh ? '签约' : 'contract') : d.stage === 'cancel' ? (zh ? '退订' : 'cancelled') : (zh ? '认购' : 'deposit')}${d.unit ? ` · ${d.unit}` : ''}`;
    case 'ruling': return `${name(d.by)}${d.owner ? ` → ${d.owner === 'none' ? (zh ? '公客池' : 'public pool') : name(d.owner)}` : ''}`;
    default: return d.staff ? name(d.staff) : '';
  }
}

export default function CustomerPage() {
  const { project, me } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const phone = useQueryParam('phone');
  const card = useCustomer(project, phone);
  const staff = useStaff(project);
  const mine = card.data?.owner === me;
  const entries = useEntries(project, card.data && mine ? phone : null);
  const save = useRecord(project, (b: HttpEventBody) => recordEvent(project, b));
  const [via, setVia] = useState<Via>('phone');
  const [effective, setEffective] = useState(true);
  const [note, setNote] = useState('');

  if (!phone) return <Empty description={t('未选择客户', 'No customer chosen')} />;
  if (card.isLoading) return <Spin />;
  const c = card.data;
  const back = <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate('/consultant')} style={{ paddingInline: 0 }} data-testid="back-to-list">{t('我的客户', 'My customers')}</Button>;
  if (!c) {
    const notFound = card.error instanceof ApiError && card.error.status === 404;
    return <div style={{ maxWidth: 560, margin: '0 auto' }}>{back}<Alert type={notFound ? 'info' : 'error'} showIcon message={notFound ? t('没有这个客户的登记。', 'No registration of this customer.') : errorText(card.error)} /></div>;
  }
  const st = OWNER_STATUS[c.status];
  const items = [...(entries.data ?? [])].reverse();

  const logNote = async () => {
    try {
      const r = await save.mutateAsync({ type: 'followup', customer: { phone: c.phone }, staff: me ?? '', via, effective, ...(note.trim() ? { note: note.trim() } : {}) });
      if (r.status === 'rejected') message.error(rejectionText(r.rejection, lang));
      else {
        message.success(t('已记跟进', 'Follow-up logged'));
        setNote('');
      }
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <div style={{ maxWidth: 560, margin: '0 auto' }}>
      {back}
      <Card size="small" data-testid="customer-card">
        <Space direction="vertical" size={4} style={{ width: '100%' }}>
          <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
            <Typography.Text strong style={{ fontSize: 16 }}>{c.name ?? t('客户', 'Customer')} <Typography.Text type="secondary">{spacedPhone(c.phone)}</Typography.Text></Typography.Text>
            <Tag color={st?.color}>{w(st, lang, c.status)}</Tag>
          </Space>
          <Typography.Text>{t('归属', 'Owner')}：{c.owner === 'none' ? t('无', 'none') : staffName(staff.data, c.owner, lang)}
            {c.protectionLeft && <Typography.Text type={c.protectionLeft.days <= 3 ? 'danger' : 'secondary'}> · {t(`保护期剩 ${c.protectionLeft.days} 天（至 ${localTime(c.protectionLeft.until)}）`, `${c.protectionLeft.days} days left (until ${localTime(c.protectionLeft.until)})`)}</Typography.Text>}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="customer-reason">
            {c.reason[lang]}{c.basis && <Tooltip title={c.basis.text?.[lang] ?? ''}> <Tag>{c.basis.clause}</Tag></Tooltip>}
          </Typography.Text>
          <Space wrap>
            <Button icon={<PhoneOutlined />} href={`tel:${c.phone}`}>{t('拨打', 'Call')}</Button>
            <Button onClick={() => navigate(`/consultant/call?phone=${encodeURIComponent(c.phone)}`)}>{t('来电登记', 'Incoming call')}</Button>
          </Space>
        </Space>
      </Card>

      {mine && c.status !== 'public' && (
        <Card size="small" title={t('记跟进', 'Log a follow-up')} style={{ marginTop: 8 }}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Segmented block value={via} onChange={(v) => setVia(v as Via)} options={Object.entries(VIA).map(([k, v]) => ({ value: k, label: <span data-testid={`note-via-${k}`}>{v[lang]}</span> }))} />
            <Segmented block value={effective ? 'yes' : 'no'} onChange={(v) => setEffective(v === 'yes')} options={[{ value: 'yes', label: t('有效（联系上）', 'Effective (reached)') }, { value: 'no', label: t('无效（未接通）', 'No answer') }]} />
            <Input.TextArea rows={3} maxLength={2000} showCount style={{ marginBottom: 16 }} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('跟进记录（选填）：客户意向、预算、下次约访…', 'Note (optional): interest, budget, next appointment…')} data-testid="note-text" />
            <Button type="primary" block loading={save.isPending} onClick={() => void logNote()} data-testid="note-save">{t('保存跟进', 'Save follow-up')}</Button>
          </Space>
        </Card>
      )}

      <Card size="small" title={t('客户动态', 'Timeline')} style={{ marginTop: 8 }}>
        {!mine && <Alert type="info" showIcon message={t('不是您的客户：只显示归属，不显示跟进记录。', 'Not your customer: only the owner is shown, not the history.')} />}
        {mine && entries.isLoading && <Spin />}
        {mine && entries.error && <Alert type="error" showIcon message={errorText(entries.error)} />}
        {mine && entries.isSuccess && items.length === 0 && <Empty description={t('暂无记录', 'Nothing recorded')} />}
        {items.length > 0 && (
          <Timeline data-testid="customer-timeline" items={items.map((e) => ({
            color: e.current === 'rejected' ? 'red' : e.type === 'deal' ? 'gold' : 'blue',
            children: (
              <div data-testid={`entry-${e.type}`}>
                <Space size={4} wrap>
                  <Typography.Text strong>{localTime(e.at)}</Typography.Text>
                  <Tag>{w(EVENT_TYPE[e.type], lang, e.type)}</Tag>
                  {e.late && <Tooltip title={e.lateReason ?? ''}><Tag color="orange" data-testid="late-tag">{t(`补登 · 录入于 ${localTime(e.recordedAt)}`, `late · recorded ${localTime(e.recordedAt)}`)}</Tag></Tooltip>}
                  {e.current === 'rejected' && <Tag color="red">{t('未通过', 'refused')}</Tag>}
                </Space>
                <div><Typography.Text type="secondary">{describe(e, staff.data, lang)}</Typography.Text></div>
                {e.what.note && <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }} data-testid="entry-note">{e.what.note}</Typography.Paragraph>}
                {e.late && e.lateReason && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('补登原因', 'Reason')}：{e.lateReason}</Typography.Text>}
              </div>
            ),
          }))} />
        )}
      </Card>
    </div>
  );
}
