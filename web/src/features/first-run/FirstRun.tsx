// First run: a fresh server has no office. Offer the demo office (a generated
// month, src/server/demo.ts) with its progress. Loading it needs the signed-in
// admin (the password printed at first start), unless the server was started
// with GUISHU_DEMO=1 — then anyone may, and the sign-in page lists the demo
// accounts.
import { useState } from 'react';
import { Alert, Button, Card, Progress, Space, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { errorText, post } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { useI18n } from '../../lib/i18n.tsx';
import { navigate } from '../../lib/router.tsx';

export interface DemoAccount { username: string; password: string; role: string; staff: string | null; label: string }
export interface DemoStatus {
  /** Demo mode: the server was started with GUISHU_DEMO=1. */
  demo: boolean; projects: number; project: string | null; canLoad: boolean;
  /** Loading the demo needs the signed-in admin (not demo mode). */
  loadNeedsAdmin?: boolean;
  /** The sign-in page lists the demo accounts (demo mode only). */
  accountsListed?: boolean;
  loading: { running: boolean; done: number; total: number; error: string | null; finishedAt: string | null };
  accounts: DemoAccount[];
}

export function FirstRun({ status }: { status: DemoStatus }) {
  const { t } = useI18n();
  const { user } = useSession();
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const l = status.loading;
  const admin = Boolean(user?.roles['*']?.includes('admin'));
  const needsAdmin = status.loadNeedsAdmin !== false && !admin;
  const load = async () => {
    setError(null);
    try {
      await post('/api/demo/load');
      await qc.invalidateQueries({ queryKey: ['demo'] });
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <div style={{ maxWidth: 560, margin: '10vh auto', padding: 16 }}>
      <Card>
        <Typography.Title level={3}>{t('欢迎使用 归属 · 判客系统', 'Welcome to Guishu')}</Typography.Title>
        <Typography.Paragraph>
          {status.demo
            ? t('这台服务器上还没有案场。可以先载入一个演示案场：生成一个月的到访、来电、报备和成交（2 个团队、12 位置业顾问、3 家渠道），采用系统推荐的标准制度，并为每个角色准备演示账号。',
              'This server has no sales office yet. Load a demo office: a generated month of visits, calls, channel reports and deals (2 teams, 12 consultants, 3 agencies) under the recommended standard policy, with a demo account for each role.')
            : t('这台服务器上还没有案场。管理员可以先载入一个演示案场：生成一个月的到访、来电、报备和成交（2 个团队、12 位置业顾问、3 家渠道），采用系统推荐的标准制度。这台服务器不创建演示账号：载入后，由管理员在「账号与授权」中为人员开通账号。',
              'This server has no sales office yet. The administrator can load a demo office: a generated month of visits, calls, channel reports and deals (2 teams, 12 consultants, 3 agencies) under the recommended standard policy. This server creates no demo accounts: after loading, the administrator opens accounts in Users and grants.')}
        </Typography.Paragraph>
        {needsAdmin && !l.running && (
          <Alert style={{ marginBottom: 16 }} type="info" showIcon data-testid="demo-needs-admin"
            message={t('载入演示案场需要管理员登录', 'Loading the demo office needs the administrator')}
            description={t('请以管理员账号 admin 登录：初始密码由服务器首次启动时给出，请向部署本系统的同事索取。',
              'Sign in as the administrator (admin): the initial password was given when the server first started; ask whoever installed the system.')}
            action={<Button size="small" type="primary" onClick={() => navigate('/login')} data-testid="sign-in-admin">{t('管理员登录', 'Sign in as admin')}</Button>} />
        )}
        {l.running ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text>{t('正在载入演示案场，约需半分钟，请勿关闭页面…', 'Loading the demo office (about half a minute); keep this page open…')}</Typography.Text>
            <Progress percent={l.total ? Math.floor((l.done / l.total) * 100) : 0} status="active" data-testid="demo-progress" />
            <Typography.Text type="secondary">{l.total ? t(`已登记 ${l.done} / ${l.total} 条`, `${l.done} of ${l.total} events recorded`) : t('正在生成一个月的登记…', 'Generating a month of registrations…')}</Typography.Text>
          </Space>
        ) : (
          <Button type="primary" size="large" onClick={() => void load()} disabled={!status.canLoad || needsAdmin} data-testid="load-demo">{t('载入演示案场', 'Load the demo office')}</Button>
        )}
        {(error || l.error) && <Alert style={{ marginTop: 16 }} type="error" showIcon message={error ?? t('载入失败，请查看服务器日志后重试。', 'Loading failed; see the server log and try again.')} />}
        <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
          {t('正式案场由系统管理员开设；开设后，各岗位人员用管理员分配的账号登录即可使用。', 'Real offices are set up by the system administrator; then each person signs in with the account the administrator gives them.')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
