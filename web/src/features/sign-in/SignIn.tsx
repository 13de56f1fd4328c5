// Sign-in. In demo mode (a server started with GUISHU_DEMO=1, which says so
// in GET /api/demo) the demo accounts are listed (one click fills the form). Without accounts on the server ("open" mode) the page offers the
// office's people to act as.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, List, Select, Space, Tag, Typography } from 'antd';
import { errorText } from '../../api/client.ts';
import { useProjects, useStaff } from '../../api/office.ts';
import { useSession, type Role } from '../../auth/session.tsx';
import { useI18n } from '../../lib/i18n.tsx';
import { ROLE, w } from '../../lib/format.ts';
import { navigate } from '../../lib/router.tsx';
import type { DemoStatus } from '../first-run/FirstRun.tsx';

const STAFF_ROLE: Record<string, Role> = { consultant: 'consultant', manager: 'manager', frontdesk: 'frontdesk', channel: 'channel', controller: 'controller', outreach: 'channel' };

export function SignIn({ demo }: { demo: DemoStatus | null }) {
  const { t, lang, setLang } = useI18n();
  const { login, open, actAs } = useSession();
  const [form] = Form.useForm<{ username: string; password: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const accounts = demo?.demo && demo.accountsListed !== false ? demo.accounts : [];

  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      if (open) {
        const a = accounts.find((x) => x.username === v.username);
        if (!a) throw new Error('unknown');
        actAs({ username: a.username, name: a.label, staff: a.staff, roles: { '*': [a.role as Role] } });
      } else {
        await login(v.username, v.password);
      }
      navigate('/', true);
    } catch (e) {
      setError(open ? t('没有这个演示账号。', 'No such demo account.') : errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ maxWidth: 440, margin: '6vh auto', padding: 12 }}>
      <Card>
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('归属 · 登录', 'Guishu · Sign in')}</Typography.Title>
          <Button size="small" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>{lang === 'zh' ? 'EN' : '中文'}</Button>
        </Space>
        {open && <Alert style={{ marginTop: 12 }} type="warning" showIcon message={t('本服务器尚未启用账号：请选择要使用的身份。', 'Accounts are not enabled on this server: choose whom to act as.')} />}
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} style={{ marginTop: 16 }} requiredMark={false}>
          <Form.Item name="username" label={t('用户名', 'User name')} rules={[{ required: true, message: t('请输入用户名', 'Enter your user name') }]}>
            <Input autoComplete="username" autoFocus data-testid="username" />
          </Form.Item>
          {!open && (
            <Form.Item name="password" label={t('密码', 'Password')} rules={[{ required: true, message: t('请输入密码', 'Enter your password') }]}>
              <Input.Password autoComplete="current-password" data-testid="password" />
            </Form.Item>
          )}
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="sign-in">{t('登录', 'Sign in')}</Button>
        </Form>
        {accounts.length > 0 && (
          <>
            <Typography.Title level={5} style={{ marginTop: 24 }}>{t('演示账号（仅演示模式显示）', 'Demo accounts (demo mode only)')}</Typography.Title>
            <List size="small" dataSource={accounts} renderItem={(a) => (
              <List.Item actions={[<Button key="use" size="small" data-testid={`demo-${a.username}`} onClick={() => { form.setFieldsValue({ username: a.username, password: a.password }); void submit({ username: a.username, password: a.password }); }}>{t('用此账号登录', 'Use')}</Button>]}>
                <Space wrap><Tag>{w(ROLE[a.role], lang, a.role)}</Tag><Typography.Text code>{a.username}</Typography.Text><Typography.Text type="secondary">{t('密码', 'password')} {a.password}</Typography.Text></Space>
              </List.Item>
            )} />
          </>
        )}
        {open && <OpenPeople />}
      </Card>
    </div>
  );
}

/** Open mode without demo accounts: act as any person of any office. */
function OpenPeople() {
  const { t, lang } = useI18n();
  const { actAs } = useSession();
  const projects = useProjects();
  const [project, setProject] = useState<string | null>(null);
  const p = project ?? projects.data?.[0]?.projectId ?? null;
  const staff = useStaff(p ?? '');
  return (
    <div style={{ marginTop: 24 }}>
      <Typography.Title level={5}>{t('以案场人员身份进入', 'Act as a person of the office')}</Typography.Title>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Select style={{ width: '100%' }} value={p ?? undefined} onChange={setProject} options={(projects.data ?? []).map((x) => ({ value: x.projectId, label: x.name }))} />
        <Select showSearch style={{ width: '100%' }} placeholder={t('选择人员', 'Choose a person')} data-testid="act-as" optionFilterProp="label"
          options={[{ value: '__admin', label: t('管理员（全部权限）', 'Administrator (everything)') }, ...(staff.data ?? []).filter((s) => STAFF_ROLE[s.role]).map((s) => ({ value: s.id, label: `${s.name ?? s.id} · ${w(ROLE[STAFF_ROLE[s.role]!], lang)}` }))]}
          onChange={(id: string) => {
            if (id === '__admin') actAs({ username: 'admin', name: t('管理员', 'Administrator'), staff: null, roles: { '*': ['admin'] } });
            else {
              const s = staff.data!.find((x) => x.id === id)!;
              actAs({ username: s.id, name: s.name ?? s.id, staff: s.id, roles: { [p!]: [STAFF_ROLE[s.role]!] } });
            }
            navigate('/', true);
          }} />
      </Space>
    </div>
  );
}
