// 甲方 · 审计: the office's log as registered (who, when, hash, chain check)
// and the accounts' audit log (unmasked reads, exports, role changes).
import { useState } from 'react';
import { Alert, Button, Card, Space, Table, Tabs, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { ApiError, errorText, get } from '../../api/client.ts';
import { useEventsPage, useStaff, useVerify } from '../../api/office.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { EVENT_TYPE, localDateTime, staffName, w } from '../../lib/format.ts';
import { useOffice } from '../../layout/office.tsx';

interface AuditRow { seq: number; at: string; user: string | null; action: string; subject: string | null; route: string | null; reason: string | null; detail: unknown; hash: string }
const ACTION: Record<string, { zh: string; en: string }> = {
  'read-phone': { zh: '查看完整手机号', en: 'read a full phone' }, 'read-log': { zh: '查看登记日志', en: 'read the log' }, export: { zh: '导出', en: 'export' }, erase: { zh: '删除个人信息', en: 'erasure' },
  'user-create': { zh: '新建账号', en: 'account created' }, 'user-disable': { zh: '停用账号', en: 'account disabled' }, 'role-set': { zh: '授予角色', en: 'role granted' }, grant: { zh: '授权查看往期', en: 'past-register grant' },
  'grant-revoke': { zh: '撤销往期授权', en: 'grant revoked' }, 'read-past': { zh: '查看往期登记（甲方）', en: 'read past registers (controller)' },
};

export default function Audit() {
  const { t } = useI18n();
  return (
    <Card>
      <Tabs items={[
        { key: 'audit', label: t('审计日志', 'Audit log'), children: <AuditLog /> },
        { key: 'log', label: t('登记日志（哈希链）', 'Register log (hash chain)'), children: <RegisterLog /> },
      ]} />
    </Card>
  );
}

function AuditLog() {
  const { project } = useOffice();
  const { t, lang } = useI18n();
  const q = useQuery({ queryKey: [project, 'audit'], queryFn: () => get<{ audit: AuditRow[] }>(`/api/projects/${project}/audit?limit=1000`).then((r) => r.audit), retry: false });
  if (q.error instanceof ApiError && q.error.status === 404 && q.error.code === 'not-found') return <Alert type="info" showIcon message={t('本服务器尚未启用账号，审计日志为空。下方“登记日志”记录了每一条登记及登记人。', 'Accounts are not enabled on this server, so there is no audit log yet. The register log lists every registration and who made it.')} />;
  if (q.error) return <Alert type="error" showIcon message={errorText(q.error)} />;
  return (
    <Table size="small" rowKey="seq" loading={q.isLoading} dataSource={[...(q.data ?? [])].reverse()} data-testid="audit-table" pagination={{ pageSize: 20 }} columns={[
      { title: '#', dataIndex: 'seq', width: 60 },
      { title: t('时间', 'When'), dataIndex: 'at', render: (v: string) => <span data-testid="audit-at">{localDateTime(v)}</span> },
      { title: t('账号', 'User'), dataIndex: 'user' },
      { title: t('操作', 'Action'), dataIndex: 'action', render: (v: string) => w(ACTION[v], lang, v) },
      { title: t('对象', 'Subject'), dataIndex: 'subject' },
      { title: t('理由', 'Reason'), dataIndex: 'reason' },
    ]} />
  );
}

function RegisterLog() {
  const { project } = useOffice();
  const { t, lang } = useI18n();
  const staff = useStaff(project);
  const verify = useVerify(project);
  const [after, setAfter] = useState<number | null>(null);
  const head = useEventsPage(project, 0, 1);
  const start = after ?? Math.max(0, (head.data?.headSeq ?? 0) - 50);
  const page = useEventsPage(project, start, 50);
  const broken = verify.data && !verify.data.ok ? verify.data.seq ?? 0 : Infinity;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        {verify.data?.ok ? <Tag icon={<CheckCircleFilled />} color="green" data-testid="chain-ok">{t(`哈希链完整：${verify.data.count} 条登记已验证`, `Chain intact: ${verify.data.count} registrations verified`)}</Tag> : verify.data ? <Tag icon={<CloseCircleFilled />} color="red">{t(`哈希链在第 ${verify.data.seq} 条断开`, `Chain broken at #${verify.data.seq}`)}</Tag> : null}
        {verify.error && <Typography.Text type="secondary">{errorText(verify.error)}</Typography.Text>}
        <Button size="small" disabled={start <= 0} onClick={() => setAfter(Math.max(0, start - 50))}>{t('更早', 'Earlier')}</Button>
        <Button size="small" disabled={!page.data?.nextAfterSeq} onClick={() => setAfter(start + 50)}>{t('更新', 'Later')}</Button>
      </Space>
      {page.error && <Alert type="error" showIcon message={errorText(page.error)} />}
      <Table size="small" rowKey="seq" loading={page.isLoading} dataSource={[...(page.data?.events ?? [])].reverse()} pagination={false} data-testid="register-log" columns={[
        { title: '#', dataIndex: 'seq', width: 60 },
        { title: t('时间', 'When'), dataIndex: 'local', width: 150 },
        { title: t('类型', 'Type'), dataIndex: 'type', render: (v: string) => <Tag>{w(EVENT_TYPE[v], lang, v)}</Tag> },
        { title: t('内容', 'What'), key: 'w', render: (_, e) => {
          const ev = e.event as Record<string, unknown>;
          const bits = ['staff', 'receivedBy', 'owner', 'closedBy', 'by'].filter((k) => typeof ev[k] === 'string').map((k) => staffName(staff.data, ev[k] as string, lang));
          return `${(ev.customer as { name?: string } | undefined)?.name ?? ''} ${bits.join(' · ')}${typeof ev.reason === 'string' ? `「${ev.reason}」` : ''}${ev.type === 'policy' ? ` ${String(ev.preset)}` : ''}`;
        } },
        { title: t('登记人', 'Recorded by'), dataIndex: 'recordedBy', render: (v: string | null) => v ?? t('系统', 'system') },
        { title: t('结果', 'Result'), dataIndex: 'status', render: (v: string) => (v === 'accepted' ? <Tag color="green">{t('受理', 'accepted')}</Tag> : <Tag color="red">{t('未通过', 'refused')}</Tag>) },
        { title: t('哈希', 'Hash'), dataIndex: 'hash', render: (v: string, e) => <Space>{e.seq < broken ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <CloseCircleFilled style={{ color: '#cf1322' }} />}<Typography.Text code style={{ fontSize: 11 }}>{v.slice(0, 10)}</Typography.Text></Space> },
      ]} />
    </Space>
  );
}
