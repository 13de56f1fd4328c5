// 案场经理 · 争议: a customer's evidence timeline — every event, who registered
// it and when, the hash chain verified — the engine's current decision with
// its clause, and a ruling form (决定, 理由). The controller sees it read-only.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Descriptions, Empty, Form, Input, Row, Select, Space, Tag, Timeline, Tooltip, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, SearchOutlined } from '@ant-design/icons';
import { useQueries } from '@tanstack/react-query';
import { errorText, get } from '../../api/client.ts';
import { rejectionText } from '../../api/errors.ts';
import { recordEvent, useCustomer, useCustomers, useRecord, useStaff, useVerify, type EventDetail, type HttpEventBody, type StoredEventJson } from '../../api/office.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { digits, EVENT_TYPE, isMobile, OWNER_STATUS, spacedPhone, staffName, w } from '../../lib/format.ts';
import { useQueryParam } from '../../lib/router.tsx';
import { useOffice } from '../../layout/office.tsx';
import { DisputeQueue } from './DisputeQueue.tsx';

export default function Disputes() {
  const { project } = useOffice();
  const { t } = useI18n();
  const initial = useQueryParam('phone');
  const [query, setQuery] = useState(initial ?? '');
  const [phone, setPhone] = useState<string | null>(initial && isMobile(initial) ? digits(initial) : null);
  const recent = useCustomers(project);
  // The queue (争议队列) opens a dispute's customer below; a reminder links here with ?dispute=<id>.
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <DisputeQueue selected={selected} onOpen={(d) => { setSelected(d.id); setPhone(d.customer); setQuery(d.customer); }} />
      </Col>
      <Col xs={24}>
        <Card size="small">
          <Space wrap>
            <Input.Search placeholder={t('客户手机号', 'Customer phone')} value={query} onChange={(e) => setQuery(e.target.value)} enterButton={<SearchOutlined />} style={{ width: 260 }}
              onSearch={(v) => setPhone(isMobile(v) ? digits(v) : null)} data-testid="dispute-phone" />
            <Select showSearch placeholder={t('或从最近客户中选择', 'or pick a recent customer')} style={{ width: 280 }} optionFilterProp="label" onChange={(v: string) => { setPhone(v); setQuery(v); }}
              options={(recent.data ?? []).slice(0, 200).map((c) => ({ value: c.phone, label: `${c.name ?? ''} ${spacedPhone(c.phone)}` }))} />
            {query && !isMobile(query) && <Typography.Text type="danger">{t('请输入11位手机号', 'Enter an 11-digit phone')}</Typography.Text>}
          </Space>
        </Card>
      </Col>
      {phone ? <Dispute phone={phone} /> : <Col xs={24}><Empty description={t('输入客户手机号查看证据时间线', 'Enter a phone to see the evidence timeline')} /></Col>}
    </Row>
  );
}

function Dispute({ phone }: { phone: string }) {
  const { project, me, can } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const staff = useStaff(project);
  const card = useCustomer(project, phone);
  const verify = useVerify(project);
  const items = card.data?.timeline ?? [];
  const details = useQueries({ queries: items.map((e) => ({ queryKey: [project, 'event', e.id], queryFn: () => get<EventDetail>(`/api/projects/${project}/events/${encodeURIComponent(e.id)}`), staleTime: Infinity })) });
  const rule = useRecord(project, (b: HttpEventBody) => recordEvent(project, b));
  const [form] = Form.useForm<{ owner: string; reason: string }>();
  const mayRule = can('manager', 'admin');
  const brokenAt = verify.data && !verify.data.ok ? verify.data.seq ?? 0 : Infinity;

  if (card.isError) return <Col xs={24}><Alert type="error" showIcon message={errorText(card.error)} /></Col>;
  if (!card.data) return <Col xs={24}><Card loading /></Col>;
  const c = card.data;
  const st = OWNER_STATUS[c.status];
  return (
    <>
      <Col xs={24} lg={14}>
        <Card title={<Space>{t('证据时间线', 'Evidence timeline')}{verify.data?.ok ? <Tag color="green" icon={<CheckCircleFilled />} data-testid="chain-ok">{t('哈希链已验证', 'hash chain verified')}</Tag> : verify.data ? <Tag color="red" icon={<CloseCircleFilled />}>{t('哈希链异常', 'hash chain broken')}</Tag> : null}</Space>}>
          <Timeline data-testid="evidence-timeline" items={items.map((e, i) => {
            const d = details[i]?.data;
            const ok = e.seq < brokenAt;
            return {
              color: e.current === 'rejected' ? 'red' : e.type === 'ruling' ? 'purple' : 'blue',
              children: (
                <Space direction="vertical" size={0}>
                  <Space wrap>
                    <Typography.Text strong>{e.local}</Typography.Text>
                    <Tag>{w(EVENT_TYPE[e.type], lang, e.type)}</Tag>
                    {e.current === 'rejected' && <Tag color="red">{t('未通过', 'refused')}</Tag>}
                    {e.late && <Tooltip title={e.lateReason ?? ''}><Tag color="orange" data-testid="late-tag">{t(`补登 · 录入于 ${e.recordedLocal}`, `late · recorded ${e.recordedLocal}`)}</Tag></Tooltip>}
                    <Tooltip title={d ? `#${e.seq} ${d.hash.slice(0, 16)}…` : ''}>{ok ? <CheckCircleFilled style={{ color: '#52c41a' }} aria-label="verified" /> : <CloseCircleFilled style={{ color: '#cf1322' }} />}</Tooltip>
                  </Space>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {describe(d, staff.data, lang)}{d ? ` · ${t('登记人', 'registered by')} ${d.recordedBy ?? t('系统', 'system')} · ${t('录入于', 'recorded')} ${e.recordedLocal}${e.lateReason ? ` · ${t('补登原因', 'reason')}：${e.lateReason}` : ''}` : ''}
                  </Typography.Text>
                </Space>
              ),
            };
          })} />
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card title={t('当前判定', 'Current decision')}>
          <Descriptions column={1} size="small" items={[
            { key: 'c', label: t('客户', 'Customer'), children: `${c.name ?? ''} ${spacedPhone(c.phone)}` },
            { key: 'o', label: t('归属', 'Owner'), children: <Space><span data-testid="dispute-owner">{staffName(staff.data, c.owner, lang)}</span><Tag color={st?.color}>{w(st, lang, c.status)}</Tag></Space> },
            ...(c.protectionLeft ? [{ key: 'p', label: t('保护期至', 'Protected until'), children: c.protectionLeft.untilLocal }] : []),
            { key: 'b', label: t('依据', 'Basis'), children: <Space direction="vertical" size={0}>{c.basis && <Tag color="volcano">{c.basis.clause}</Tag>}<Typography.Text>{c.basis?.text?.[lang] ?? (lang === 'zh' ? c.reason.zh : c.reason.en)}</Typography.Text></Space> },
          ]} />
        </Card>
        {mayRule && (
          <Card title={t('裁决', 'Ruling')} style={{ marginTop: 16 }}>
            <Form form={form} layout="vertical" requiredMark={false} onFinish={async (v) => {
              try {
                const r = await rule.mutateAsync({ type: 'ruling', customer: { phone: c.phone, ...(c.name ? { name: c.name } : {}) }, owner: v.owner, by: me ?? 'manager', reason: v.reason.trim() });
                if (r.status === 'rejected') message.error(rejectionText(r.rejection, lang));
                else { message.success(t('裁决已记录', 'Ruling recorded')); form.resetFields(); }
              } catch (e) { message.error(errorText(e)); }
            }}>
              <Form.Item name="owner" label={t('决定：客户归属', 'Decision: the customer belongs to')} rules={[{ required: true, message: t('请选择归属', 'Choose the owner') }]}>
                <Select data-testid="ruling-owner" showSearch optionFilterProp="label" options={[{ value: 'none', label: t('转入公客池', 'the public pool') }, ...(staff.data ?? []).filter((s) => s.role === 'consultant' || s.role === 'channel').map((s) => ({ value: s.id, label: s.role === 'channel' ? `${s.name ?? s.id} · ${t('渠道', 'channel')}${s.agency ? ` ${s.agency}` : ''}` : (s.name ?? s.id) }))]} />
              </Form.Item>
              <Form.Item name="reason" label={t('理由', 'Reason')} rules={[{ required: true, whitespace: true, message: t('请写明理由', 'Give the reason') }]}>
                <Input.TextArea rows={3} maxLength={2000} data-testid="ruling-reason" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={rule.isPending} data-testid="ruling-submit">{t('记录裁决', 'Record ruling')}</Button>
            </Form>
          </Card>
        )}
      </Col>
    </>
  );
}

function describe(d: StoredEventJson | undefined, staff: Parameters<typeof staffName>[0], lang: 'zh' | 'en'): string {
  if (!d) return '';
  const e = d.event as Record<string, unknown>;
  const who = (k: string) => (typeof e[k] === 'string' ? staffName(staff, e[k] as string, lang) : null);
  const parts: string[] = [];
  if (who('receivedBy')) parts.push((lang === 'zh' ? '接待 ' : 'received by ') + who('receivedBy'));
  if (who('staff')) parts.push((lang === 'zh' ? '经办 ' : 'by ') + who('staff'));
  if (who('owner')) parts.push((lang === 'zh' ? '裁定归属 ' : 'ruled to ') + who('owner'));
  if (typeof e.reason === 'string') parts.push(`「${e.reason}」`);
  if (who('closedBy')) parts.push((lang === 'zh' ? '成交 ' : 'closed by ') + who('closedBy'));
  return parts.join(' · ');
}
