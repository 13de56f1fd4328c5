// 置业顾问 · 我的客户 (a phone, 390×844): my customers with their protection
// countdown and lapse warnings, a follow-up in two taps (方式, then 有效/无效),
// my turns today, my deals with performance and commission shares.
import { useMemo, useState } from 'react';
import { App as AntApp, Badge, Button, Card, Empty, Input, List, Progress, Segmented, Space, Statistic, Tag, Typography } from 'antd';
import { PhoneOutlined, SearchOutlined } from '@ant-design/icons';
import { navigate } from '../../lib/router.tsx';
import { useQueries } from '@tanstack/react-query';
import { errorText, get } from '../../api/client.ts';
import { rejectionText } from '../../api/errors.ts';
import { recordEvent, useCustomers, useDeals, useRecord, useRotation, type CustomerCard, type CustomerRow, type HttpEventBody } from '../../api/office.ts';
import { useLive } from '../../api/live.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { daysBetween, localDate, OWNER_STATUS, spacedPhone, w } from '../../lib/format.ts';
import { useOffice } from '../../layout/office.tsx';

const SOON_DAYS = 3;
const VIA = [
  { key: 'phone', zh: '电话', en: 'Call' },
  { key: 'wechat', zh: '微信', en: 'WeChat' },
  { key: 'sms', zh: '短信', en: 'SMS' },
  { key: 'visit', zh: '到访', en: 'Visit' },
] as const;
type Via = (typeof VIA)[number]['key'];

export default function MyCustomers() {
  const { project, me } = useOffice();
  const { t, lang } = useI18n();
  useLive(project);
  const customers = useCustomers(project, me ?? '__nobody');
  const rotation = useRotation(project);
  const deals = useDeals(project);
  const [tab, setTab] = useState<'mine' | 'soon' | 'deals'>('mine');
  const [shown, setShown] = useState(20);
  const [query, setQuery] = useState('');
  const now = new Date().toISOString();

  const list = useMemo(() => {
    const rows = (customers.data ?? []).filter((c) => c.status === 'protected' || c.status === 'closed');
    const left = (c: CustomerRow) => (c.protectedUntil ? daysBetween(now, c.protectedUntil) : 9999);
    return rows.sort((a, b) => left(a) - left(b));
  }, [customers.data, now]);
  const soon = list.filter((c) => c.status === 'protected' && c.protectedUntil && daysBetween(now, c.protectedUntil) <= SOON_DAYS);
  const protectedCount = list.filter((c) => c.status === 'protected').length;
  const myDeals = (deals.data ?? []).filter((d) => me && ((d.performance[me] ?? 0) > 0 || (d.commission[me] ?? 0) > 0));
  // Search my customers by name or any digits of the phone (spaces, dashes, +86 ignored).
  const q = query.trim().replace(/^\+?86/, '').replace(/[\s-]/g, '');
  const matches = (c: CustomerRow) => !q || c.phone.includes(q) || (c.name ?? '').includes(q);
  const visible = (tab === 'soon' ? soon : list).filter(matches).slice(0, shown);

  return (
    <div style={{ maxWidth: 480, margin: '0 auto' }}>
      <Card size="small">
        <Space style={{ width: '100%', justifyContent: 'space-around' }}>
          <Statistic title={t('我的客户', 'My customers')} value={protectedCount} data-testid="my-count" />
          <Statistic title={t('今日轮次', 'Turns today')} value={me ? rotation.data?.turnsToday?.[me] ?? 0 : 0} data-testid="my-turns-today" />
          <Statistic title={t('即将失效', 'Lapsing soon')} value={soon.length} valueStyle={{ color: soon.length ? '#cf1322' : undefined }} />
        </Space>
        {rotation.data?.next === me && <Typography.Text type="danger" strong>{t('下一位客户轮到您接待。', 'You are up next in the rotation.')}</Typography.Text>}
      </Card>
      <Segmented block style={{ margin: '8px 0' }} value={tab} onChange={(v) => { setTab(v as typeof tab); setShown(20); }} options={[
        { value: 'mine', label: t('全部', 'All') },
        { value: 'soon', label: <Badge count={soon.length} size="small" offset={[8, -2]}>{t('即将失效', 'Lapsing')}</Badge> },
        { value: 'deals', label: t(`已成交 (${myDeals.length})`, `Deals (${myDeals.length})`) },
      ]} />
      {tab !== 'deals' && (
        <>
          <Space.Compact block style={{ marginBottom: 8 }}>
            <Input allowClear prefix={<SearchOutlined />} value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('搜索姓名或手机号', 'Search name or phone')} data-testid="my-search" />
            <Button onClick={() => navigate('/consultant/call')} data-testid="go-incoming-call">{t('来电登记', 'Incoming call')}</Button>
            <Button onClick={() => navigate('/consultant/pool')} data-testid="go-pool">{t('公客池', 'Pool')}</Button>
          </Space.Compact>
          {customers.isSuccess && visible.length === 0 && <Empty description={t('暂无客户', 'No customers')} />}
          <CustomerCards rows={visible} />
          {(tab === 'soon' ? soon : list).filter(matches).length > shown && <Button block onClick={() => setShown(shown + 20)}>{t('显示更多', 'Show more')}</Button>}
        </>
      )}
      {tab === 'deals' && (
        <List dataSource={myDeals} locale={{ emptyText: t('暂无成交', 'No deals yet') }} renderItem={(d) => (
          <Card size="small" style={{ marginBottom: 8 }}>
            <Space direction="vertical" size={2} style={{ width: '100%' }}>
              <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                <Typography.Text strong>{d.unit ?? d.id}</Typography.Text>
                <Tag color={d.stage === 'contract' ? 'gold' : 'blue'}>{d.stage === 'contract' ? t('签约', 'contract') : t('认购', 'deposit')}</Tag>
              </Space>
              <Typography.Text type="secondary">{d.customers.join('、')} · {localDate(d.at)}</Typography.Text>
              <Space>
                <Tag color="green">{t('业绩', 'Performance')} {Math.round((d.performance[me!] ?? 0) * 100)}%</Tag>
                <Tag color="purple">{t('佣金', 'Commission')} {Math.round((d.commission[me!] ?? 0) * 100)}%</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{d.commissionBasis}</Typography.Text>
              </Space>
            </Space>
          </Card>
        )} />
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>{lang === 'zh' ? '保护期按自然日计算；到期前有效跟进可按制度续期。' : 'Protection counts local calendar days; an effective follow-up may renew it per the policy.'}</Typography.Paragraph>
    </div>
  );
}

function CustomerCards({ rows }: { rows: CustomerRow[] }) {
  const { project, me } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const cards = useQueries({ queries: rows.map((c) => ({ queryKey: [project, 'customer', c.phone], queryFn: () => get<CustomerCard>(`/api/projects/${project}/customers/${c.phone}`), staleTime: 30_000 })) });
  const followUp = useRecord(project, (b: HttpEventBody) => recordEvent(project, b));
  const [picking, setPicking] = useState<{ phone: string; via?: Via } | null>(null);
  const now = new Date().toISOString();

  const log = async (c: CustomerRow, via: Via, effective: boolean) => {
    try {
      const r = await followUp.mutateAsync({ type: 'followup', customer: { phone: c.phone, ...(c.name ? { name: c.name } : {}) }, staff: me ?? '', via, effective });
      if (r.status === 'rejected') message.error(rejectionText(r.rejection, lang));
      else message.success(t('已记跟进', 'Follow-up logged'));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setPicking(null);
    }
  };

  return (
    <>
      {rows.map((c, i) => {
        const card = cards[i]?.data;
        const left = c.protectedUntil ? daysBetween(now, c.protectedUntil) : null;
        const total = card?.protectionLeft ? Math.max(left ?? 0, 15) : 15;
        const last = card?.timeline.filter((e) => (e.type === 'followup' || e.type === 'visit' || e.type === 'call') && e.status === 'accepted').at(-1);
        const lastDays = last ? daysBetween(last.at, now) : null;
        const st = OWNER_STATUS[c.status];
        const urgent = c.status === 'protected' && left !== null && left <= SOON_DAYS;
        return (
          <Card key={c.phone} size="small" style={{ marginBottom: 8, borderColor: urgent ? '#ff7875' : undefined }} data-testid={`customer-${c.phone}`}>
            <Space direction="vertical" size={4} style={{ width: '100%' }}>
              <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                <Typography.Text strong>{c.name ?? t('客户', 'Customer')} <Typography.Text type="secondary">{spacedPhone(c.phone)}</Typography.Text></Typography.Text>
                <Tag color={st?.color}>{w(st, lang, c.status)}</Tag>
              </Space>
              {c.status === 'protected' && left !== null && (
                <Space style={{ width: '100%' }}>
                  <Typography.Text type={urgent ? 'danger' : undefined} data-testid="countdown">{left <= 0 ? t('保护期今天到期', 'protection ends today') : t(`保护期剩 ${left} 天`, `${left} days of protection left`)}</Typography.Text>
                  <Progress percent={Math.max(3, Math.min(100, Math.round(((left ?? 0) / total) * 100)))} showInfo={false} size="small" style={{ width: 110, margin: 0 }} status={urgent ? 'exception' : 'normal'} />
                </Space>
              )}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {lastDays === null ? t('暂无跟进记录', 'No contact logged') : lastDays === 0 ? t('今天已联系', 'contacted today') : t(`上次跟进 ${lastDays} 天前`, `last contact ${lastDays} days ago`)}
              </Typography.Text>
              {picking?.phone === c.phone ? (
                picking.via ? (
                  <Space>
                    <Button type="primary" onClick={() => void log(c, picking.via!, true)} data-testid="fu-effective">{t('有效', 'Effective')}</Button>
                    <Button onClick={() => void log(c, picking.via!, false)} data-testid="fu-ineffective">{t('无效', 'No answer')}</Button>
                    <Button type="text" onClick={() => setPicking(null)}>{t('取消', 'Cancel')}</Button>
                  </Space>
                ) : (
                  <Space wrap>
                    {VIA.map((v) => <Button key={v.key} onClick={() => setPicking({ phone: c.phone, via: v.key })} data-testid={`fu-${v.key}`}>{v[lang]}</Button>)}
                  </Space>
                )
              ) : (
                <Space>
                  {c.status === 'protected' && <Button icon={<PhoneOutlined />} onClick={() => setPicking({ phone: c.phone })} data-testid="log-followup">{t('记跟进', 'Log follow-up')}</Button>}
                  <Button onClick={() => navigate(`/consultant/customer?phone=${encodeURIComponent(c.phone)}`)} data-testid="open-customer">{t('详情', 'Details')}</Button>
                </Space>
              )}
            </Space>
          </Card>
        );
      })}
    </>
  );
}
