// 账号与授权: users, their role in this office (linked to a staff id) and
// enabling/disabling — over the accounts routes (src/server/auth.ts).
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, errorText, get, post } from '../../api/client.ts';
import { useStaff } from '../../api/office.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { ROLE, staffName, w } from '../../lib/format.ts';
import { useOffice } from '../../layout/office.tsx';
import Grants from './Grants.tsx';

interface UserView { id: string; username: string; displayName: string | null; admin: boolean; disabled: boolean; roles: { project: string; role: string; staff: string | null }[] }
const PROJECT_ROLES = ['manager', 'frontdesk', 'consultant', 'channel', 'controller'];

export default function Users() {
  const { project } = useOffice();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const staff = useStaff(project);
  const users = useQuery({ queryKey: ['users'], queryFn: () => get<{ users: UserView[] }>('/api/users').then((r) => r.users), retry: false });
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ username: string; displayName: string; password: string; role: string; staff?: string }>();
  const refresh = () => void qc.invalidateQueries({ queryKey: ['users'] });

  if (users.error instanceof ApiError && users.error.status === 404) return <Alert type="info" showIcon message={t('本服务器尚未启用账号功能。', 'Accounts are not enabled on this server.')} />;
  const setRole = async (u: UserView, role: string, staffId?: string | null) => {
    try {
      if (!role) await api('DELETE', `/api/projects/${project}/roles/${encodeURIComponent(u.id)}`);
      else await api('PUT', `/api/projects/${project}/roles/${encodeURIComponent(u.id)}`, { role, ...(staffId ? { staff: staffId } : {}) });
      message.success(t('已保存', 'Saved'));
      refresh();
    } catch (e) { message.error(errorText(e)); }
  };
  return (
    <Card title={t('账号与授权', 'Users and grants')} extra={<Button type="primary" onClick={() => setCreating(true)}>{t('新建账号', 'New user')}</Button>}>
      {users.error && <Alert type="error" showIcon message={errorText(users.error)} />}
      <Table size="small" rowKey="id" loading={users.isLoading} dataSource={users.data ?? []} columns={[
        { title: t('用户名', 'User'), dataIndex: 'username' },
        { title: t('姓名', 'Name'), dataIndex: 'displayName' },
        { title: t('本案场角色', 'Role here'), key: 'r', render: (_, u) => {
          const r = u.roles.find((x) => x.project === project);
          return u.admin ? <Tag color="red">{w(ROLE.admin, lang)}</Tag> : (
            <Space wrap>
              <Select size="small" style={{ width: 130 }} value={r?.role ?? ''} onChange={(v) => void setRole(u, v, r?.staff)} options={[{ value: '', label: t('无', 'none') }, ...PROJECT_ROLES.map((x) => ({ value: x, label: w(ROLE[x], lang) }))]} />
              <Select size="small" style={{ width: 150 }} showSearch optionFilterProp="label" placeholder={t('对应人员', 'Staff id')} value={r?.staff ?? undefined} disabled={!r} onChange={(v: string) => void setRole(u, r!.role, v)}
                options={(staff.data ?? []).map((s) => ({ value: s.id, label: `${s.name ?? s.id} (${s.id})` }))} />
            </Space>
          );
        } },
        { title: t('状态', 'State'), key: 's', render: (_, u) => <Space>{u.disabled ? <Tag>{t('已停用', 'disabled')}</Tag> : <Tag color="green">{t('正常', 'active')}</Tag>}
          <Button size="small" onClick={async () => { try { await post(`/api/users/${encodeURIComponent(u.id)}/${u.disabled ? 'enable' : 'disable'}`); refresh(); } catch (e) { message.error(errorText(e)); } }}>{u.disabled ? t('启用', 'Enable') : t('停用', 'Disable')}</Button></Space> },
      ]} />
      <Modal open={creating} title={t('新建账号', 'New user')} onCancel={() => setCreating(false)} okText={t('创建', 'Create')} onOk={() => form.submit()}>
        <Form form={form} layout="vertical" onFinish={async (v) => {
          try {
            const u = await post<{ id?: string; user?: { id: string } }>('/api/users', { username: v.username, password: v.password, ...(v.displayName ? { displayName: v.displayName } : {}) });
            const id = u.user?.id ?? u.id ?? v.username;
            if (v.role) await api('PUT', `/api/projects/${project}/roles/${encodeURIComponent(id)}`, { role: v.role, ...(v.staff ? { staff: v.staff } : {}) });
            message.success(t('账号已创建', 'User created'));
            setCreating(false); form.resetFields(); refresh();
          } catch (e) { message.error(errorText(e)); }
        }}>
          <Form.Item name="username" label={t('用户名', 'User name')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="displayName" label={t('姓名', 'Name')}><Input /></Form.Item>
          <Form.Item name="password" label={t('初始密码', 'Initial password')} rules={[{ required: true, min: 8, message: t('至少 8 位', 'At least 8 characters') }]}><Input.Password /></Form.Item>
          <Form.Item name="role" label={t('本案场角色', 'Role here')}><Select allowClear options={PROJECT_ROLES.map((x) => ({ value: x, label: w(ROLE[x], lang) }))} /></Form.Item>
          <Form.Item name="staff" label={t('对应人员', 'Staff id')}><Select allowClear showSearch optionFilterProp="label" options={(staff.data ?? []).map((s) => ({ value: s.id, label: `${s.name ?? s.id} (${s.id})` }))} /></Form.Item>
        </Form>
      </Modal>
      <Grants project={project} users={users.data ?? []} />
      <p style={{ color: '#888', fontSize: 12 }}>{staffName(undefined, null, lang) && ''}</p>
    </Card>
  );
}
