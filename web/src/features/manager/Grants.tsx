// 往期登记授权: the manager lets a user read past registers (days before today)
// for a window, with a reason, and revokes it. The developer's controller (甲方)
// needs none — it audits the office and reads past registers on its own role,
// every read in the audit log — so this is for anyone else (an accountant, a
// front desk checking last month's register).
import { useState } from 'react';
import { Alert, App as AntApp, Button, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorText, get, post } from '../../api/client.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { localTime } from '../../lib/format.ts';

interface Grant { id: string; user: string; scope: string; from: string; until: string; reason: string; grantedBy: string; createdAt: string; revokedAt: string | null }
interface UserLike { id: string; username: string; displayName: string | null; admin: boolean; roles: { project: string; role: string }[] }

export default function Grants({ project, users }: { project: string; users: UserLike[] }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const grants = useQuery({ queryKey: [project, 'grants'], queryFn: () => get<{ grants: Grant[] }>(`/api/projects/${project}/grants`).then((r) => r.grants), retry: false });
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ user: string; window: [Dayjs, Dayjs]; reason: string }>();
  const refresh = () => void qc.invalidateQueries({ queryKey: [project, 'grants'] });
  const now = Date.now();
  const who = (id: string) => { const u = users.find((x) => x.id === id); return u ? `${u.displayName ?? u.username} (${u.username})` : id; };
  // Managers and the controller read past registers on their role; a grant is for anyone else.
  const candidates = users.filter((u) => !u.admin && !u.roles.some((r) => r.project === project && (r.role === 'manager' || r.role === 'controller')));
  const state = (g: Grant) => (g.revokedAt ? <Tag>{t('已撤销', 'revoked')}</Tag> : Date.parse(g.until) <= now ? <Tag>{t('已过期', 'expired')}</Tag> : Date.parse(g.from) > now ? <Tag color="blue">{t('未开始', 'not yet')}</Tag> : <Tag color="green">{t('生效中', 'active')}</Tag>);
  return (
    <div style={{ marginTop: 24 }} data-testid="grants">
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>{t('往期登记查看授权', 'Past-register grants')}</Typography.Title>
        <Button onClick={() => setOpen(true)} data-testid="grant-new">{t('授权查看往期登记', 'Grant past-register access')}</Button>
      </Space>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 4 }}>
        {t('查看今天以前的登记（往期轮排、登记日志、报表）需要案场经理或甲方角色；其他账号须在此授权一个时间段并写明理由，授权与撤销都记入审计日志。甲方审计查看往期无需授权，每次查看都记入审计日志。',
          'Reading days before today (past rotations, the register log, reports) needs the manager or controller role; anyone else needs a grant for a window, with a reason — granting and revoking are audited. The controller needs no grant: every past read of theirs is audited.')}
      </Typography.Paragraph>
      {grants.error && <Alert type="error" showIcon message={errorText(grants.error)} />}
      <Table size="small" rowKey="id" loading={grants.isLoading} dataSource={[...(grants.data ?? [])].reverse()} pagination={{ pageSize: 10 }} data-testid="grants-table" columns={[
        { title: t('账号', 'User'), dataIndex: 'user', render: (v: string) => who(v) },
        { title: t('时段', 'Window'), key: 'w', render: (_, g) => `${localTime(g.from)} — ${localTime(g.until)}` },
        { title: t('理由', 'Reason'), dataIndex: 'reason' },
        { title: t('授权人', 'Granted by'), dataIndex: 'grantedBy', render: (v: string) => who(v) },
        { title: t('状态', 'State'), key: 's', render: (_, g) => state(g) },
        { title: '', key: 'a', render: (_, g) => (!g.revokedAt && Date.parse(g.until) > now ? (
          <Button size="small" danger onClick={async () => {
            try { await api('DELETE', `/api/projects/${project}/grants/${encodeURIComponent(g.id)}`); message.success(t('已撤销', 'Revoked')); refresh(); } catch (e) { message.error(errorText(e)); }
          }}>{t('撤销', 'Revoke')}</Button>
        ) : null) },
      ]} />
      <Modal open={open} title={t('授权查看往期登记', 'Grant past-register access')} okText={t('授权', 'Grant')} cancelText={t('取消', 'Cancel')} onCancel={() => setOpen(false)} onOk={() => form.submit()} okButtonProps={{ 'data-testid': 'grant-ok' } as never}>
        <Form form={form} layout="vertical" initialValues={{ window: [dayjs(), dayjs().add(7, 'day').endOf('day')] }} onFinish={async (v) => {
          try {
            await post(`/api/projects/${project}/grants`, { user: v.user, from: v.window[0].valueOf(), until: v.window[1].valueOf(), reason: v.reason.trim() });
            message.success(t('已授权', 'Granted'));
            setOpen(false); form.resetFields(); refresh();
          } catch (e) { message.error(errorText(e)); }
        }}>
          <Form.Item name="user" label={t('账号', 'User')} rules={[{ required: true, message: t('请选择账号', 'Choose a user') }]}>
            <Select showSearch optionFilterProp="label" data-testid="grant-user" options={candidates.map((u) => ({ value: u.id, label: `${u.displayName ?? u.username} (${u.username})` }))} />
          </Form.Item>
          <Form.Item name="window" label={t('可查看的时段（授权有效期）', 'While the grant is valid')} rules={[{ required: true }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="reason" label={t('理由（记入审计日志）', 'Reason (audited)')} rules={[{ required: true, whitespace: true, message: t('请写明理由', 'Give a reason') }]}>
            <Input.TextArea maxLength={500} data-testid="grant-reason" placeholder={t('如：财务核对上月佣金', "e.g. finance checks last month's commissions")} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
