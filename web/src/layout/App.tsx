// The frame: first run (no office yet) → sign-in → the screens the user's
// roles allow, with a navigation bar by role, the office picker and the
// language switch.
import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Button, Dropdown, Grid, Layout, Menu, Result, Select, Space, Spin, Tag, Typography } from 'antd';
import { GlobalOutlined, LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { get } from '../api/client.ts';
import { useProjects } from '../api/office.ts';
import { projectsOf, rolesIn, staffIn, useSession, type Role } from '../auth/session.tsx';
import { useI18n } from '../lib/i18n.tsx';
import { ROLE, setProjectZone, w } from '../lib/format.ts';
import { navigate, usePath } from '../lib/router.tsx';
import { OfficeCtx, type Office } from './office.tsx';
import { NotificationBell } from './NotificationBell.tsx';
import { SignIn } from '../features/sign-in/SignIn.tsx';
import { FirstRun, type DemoStatus } from '../features/first-run/FirstRun.tsx';

const FrontDesk = lazy(() => import('../features/front-desk/FrontDesk.tsx'));
const MyCustomers = lazy(() => import('../features/consultant/MyCustomers.tsx'));
const ChannelReports = lazy(() => import('../features/channel/ChannelReports.tsx'));
const MyDeals = lazy(() => import('../features/deals/MyDeals.tsx'));
const LedgerPage = lazy(() => import('../features/deals/LedgerPage.tsx'));
const Roster = lazy(() => import('../features/manager/Roster.tsx'));
const Disputes = lazy(() => import('../features/manager/Disputes.tsx'));
const PolicyEditor = lazy(() => import('../features/manager/PolicyEditor.tsx'));
const Reports = lazy(() => import('../features/manager/Reports.tsx'));
const ImportExport = lazy(() => import('../features/manager/ImportExport.tsx'));
const DayRegister = lazy(() => import('../features/manager/DayRegister.tsx'));
const Users = lazy(() => import('../features/manager/Users.tsx'));
const CustomerPage = lazy(() => import('../features/consultant/CustomerPage.tsx'));
const IncomingCall = lazy(() => import('../features/consultant/IncomingCall.tsx'));
const PublicPool = lazy(() => import('../features/consultant/PublicPool.tsx'));
const Staff = lazy(() => import('../features/manager/Staff.tsx'));
const Audit = lazy(() => import('../features/controller/Audit.tsx'));

interface Page { path: string; zh: string; en: string; roles: Role[]; render: () => ReactNode; /** Reached from another screen, not the menu. */ hidden?: boolean }

const PAGES: Page[] = [
  { path: '/front-desk', zh: '前台 · 客户到访', en: 'Front desk', roles: ['frontdesk', 'manager', 'admin'], render: () => <FrontDesk /> },
  { path: '/consultant', zh: '我的客户', en: 'My customers', roles: ['consultant'], render: () => <MyCustomers /> },
  { path: '/consultant/customer', zh: '客户详情', en: 'Customer', roles: ['consultant'], render: () => <CustomerPage />, hidden: true },
  { path: '/consultant/call', zh: '来电登记', en: 'Incoming call', roles: ['consultant'], render: () => <IncomingCall /> },
  { path: '/consultant/pool', zh: '公客池', en: 'Public pool', roles: ['consultant'], render: () => <PublicPool /> },
  { path: '/consultant/deals', zh: '我的成交', en: 'My deals', roles: ['consultant'], render: () => <MyDeals /> },
  { path: '/channel', zh: '报备', en: 'Reports', roles: ['channel'], render: () => <ChannelReports /> },
  { path: '/manager/roster', zh: '轮排', en: 'Rotation', roles: ['manager', 'admin'], render: () => <Roster /> },
  { path: '/manager/disputes', zh: '争议', en: 'Disputes', roles: ['manager', 'admin', 'controller'], render: () => <Disputes /> },
  { path: '/manager/policy', zh: '规则', en: 'Policy', roles: ['manager', 'admin', 'controller'], render: () => <PolicyEditor /> },
  { path: '/manager/reports', zh: '报表', en: 'Reports', roles: ['manager', 'admin', 'controller'], render: () => <Reports /> },
  { path: '/manager/ledger', zh: '佣金台账', en: 'Commission ledger', roles: ['manager', 'admin', 'controller'], render: () => <LedgerPage /> },
  { path: '/manager/import', zh: '导入导出', en: 'Import / export', roles: ['manager', 'admin'], render: () => <ImportExport /> },
  { path: '/manager/register', zh: '当日登记表', en: 'Day register', roles: ['manager', 'admin'], render: () => <DayRegister /> },
  { path: '/manager/staff', zh: '人员', en: 'Staff', roles: ['manager', 'admin'], render: () => <Staff /> },
  { path: '/manager/users', zh: '账号与授权', en: 'Users & grants', roles: ['admin', 'manager'], render: () => <Users /> },
  { path: '/audit', zh: '审计日志', en: 'Audit log', roles: ['controller', 'admin', 'manager'], render: () => <Audit /> },
];

export function homeFor(roles: Role[]): string {
  if (roles.includes('frontdesk')) return '/front-desk';
  if (roles.includes('consultant')) return '/consultant';
  if (roles.includes('channel')) return '/channel';
  if (roles.includes('manager') || roles.includes('admin')) return '/front-desk';
  if (roles.includes('controller')) return '/manager/reports';
  return '/';
}

export function App() {
  const { user, loading } = useSession();
  const { t } = useI18n();
  const path = usePath();
  const demo = useQuery({ queryKey: ['demo'], queryFn: () => get<DemoStatus>('/api/demo'), refetchInterval: (q) => (q.state.data?.loading.running ? 1000 : false) });

  if (loading || demo.isLoading) return <Spin fullscreen tip={t('加载中…', 'Loading…')} />;
  const d = demo.data;
  // First run, unless someone asks for the sign-in page (the admin, to load the demo office).
  if (d && (d.projects === 0 || d.loading.running) && !(path === '/login' && !user)) return <FirstRun status={d} />;
  if (!user || path === '/login') return <SignIn demo={d ?? null} />;
  return <Shell />;
}

function Shell() {
  const { user, logout } = useSession();
  const { t, lang, setLang } = useI18n();
  const path = usePath();
  const screens = Grid.useBreakpoint();
  const projects = useProjects();
  const allIds = useMemo(() => (projects.data ?? []).map((p) => p.projectId), [projects.data]);
  const mine = projectsOf(user, allIds);
  const [project, setProject] = useState<string | null>(() => localStorage.getItem('guishu.project'));
  const current = project && mine.includes(project) ? project : (mine.includes('demo') ? 'demo' : mine[0] ?? null);
  const roles = rolesIn(user, current);
  const pages = PAGES.filter((p) => p.roles.some((r) => roles.includes(r)));
  const page = pages.find((p) => p.path === path);

  useEffect(() => {
    if (current && !page && pages.length) navigate(homeFor(roles) === '/' ? pages[0]!.path : homeFor(roles), true);
  }, [current, page, pages, roles]);

  const timezone = projects.data?.find((p) => p.projectId === current)?.timezone;
  // Every time on screen is in the project's zone (lib/format.ts reads it); set before the screens render.
  setProjectZone(timezone);
  const office = useMemo<Office | null>(() => (user && current ? {
    project: current,
    projectName: projects.data?.find((p) => p.projectId === current)?.name ?? current,
    timezone: timezone ?? null,
    roles,
    user,
    me: staffIn(user, current),
    can: (...rs) => rs.some((r) => roles.includes(r)),
  } : null), [user, current, roles, projects.data, timezone]);

  if (!user) return null;
  if (projects.isLoading) return <Spin fullscreen />;
  if (!current || !office) {
    return <Result status="info" title={t('您的账号还没有分配案场', 'Your account has no office yet')} subTitle={t('请联系管理员为您授权。', 'Ask an administrator for a grant.')} extra={<Button onClick={() => void logout()}>{t('退出登录', 'Sign out')}</Button>} />;
  }
  const narrow = !screens.md;
  const items = pages.filter((p) => !p.hidden).map((p) => ({ key: p.path, label: lang === 'zh' ? p.zh : p.en }));
  return (
    <OfficeCtx.Provider value={office}>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 12, paddingInline: narrow ? 12 : 24, background: '#1f1f1f' }}>
          <Typography.Text strong style={{ color: '#fff', fontSize: 18, whiteSpace: 'nowrap' }}>归属</Typography.Text>
          {narrow ? (
            <Dropdown menu={{ items, selectedKeys: [path], onClick: (e) => navigate(e.key) }} trigger={['click']}>
              <Button icon={<MenuOutlined />} aria-label={t('菜单', 'Menu')}>{page ? (lang === 'zh' ? page.zh : page.en) : ''}</Button>
            </Dropdown>
          ) : (
            <Menu theme="dark" mode="horizontal" selectedKeys={[path]} items={items} onClick={(e) => navigate(e.key)} style={{ flex: 1, minWidth: 0, background: 'transparent' }} />
          )}
          <Space style={{ marginLeft: 'auto' }} size={narrow ? 4 : 8}>
            {mine.length > 1 && (
              <Select size="small" value={current} style={{ width: narrow ? 90 : 160 }} onChange={(v) => { localStorage.setItem('guishu.project', v); setProject(v); }}
                options={mine.map((id) => ({ value: id, label: projects.data?.find((p) => p.projectId === id)?.name ?? id }))} />
            )}
            {!narrow && <Tag color="red">{office.projectName}</Tag>}
            {!narrow && <Typography.Text style={{ color: '#ddd' }}>{user.name}{roles[0] ? ` · ${w(ROLE[roles[0]], lang)}` : ''}</Typography.Text>}
            <NotificationBell project={office.project} narrow={narrow} />
            <Button size="small" icon={<GlobalOutlined />} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} aria-label="language">{lang === 'zh' ? 'EN' : '中文'}</Button>
            <Button size="small" icon={<LogoutOutlined />} onClick={() => void logout()} aria-label={t('退出登录', 'Sign out')}>{narrow ? '' : t('退出', 'Sign out')}</Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: narrow ? 8 : 20 }}>
          <Suspense fallback={<Spin />}>{page ? page.render() : <Spin />}</Suspense>
        </Layout.Content>
      </Layout>
    </OfficeCtx.Provider>
  );
}
