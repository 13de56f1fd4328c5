// The light entry's screen chooser. The first paint of the sign-in page needs
// only React, the session (auth/session.tsx) and this file: the form below is
// plain React with a little CSS (boot/style.ts), no antd. The full app
// (boot/FullApp.tsx: antd, react-query, the frame) is loaded with a dynamic import
// only when it is needed — a session exists (GET /api/auth/me answers 200), a
// sign-in succeeded, the server is on its first run (GET /api/demo: no office, or
// the demo office loading), or the server has no accounts (open mode, whose
// people picker is antd's). Once loaded it stays: signing out shows the frame's
// own sign-in page, as before.
import { lazy, Suspense, useEffect, useState, type FormEvent } from 'react';
import { errorText, get } from '../api/client.ts';
import { useSession } from '../auth/session.tsx';
import { useI18n } from '../lib/i18n.tsx';
import { ROLE, w } from '../lib/format.ts';
import { navigate, usePath } from '../lib/router.tsx';
import type { DemoAccount, DemoStatus } from '../features/first-run/FirstRun.tsx';
import { injectStyle } from './style.ts';

const loadFullApp = () => import('./FullApp.tsx');
const FullApp = lazy(loadFullApp);

// Asked as soon as this module runs, beside the session check (auth/session.tsx).
const demoStatus: Promise<DemoStatus | null> = get<DemoStatus>('/api/demo').catch(() => null);

function Loading() {
  const { t } = useI18n();
  return <div className="gs-loading" role="status">{t('加载中…', 'Loading…')}</div>;
}

export function Boot() {
  const { user, loading, open } = useSession();
  const path = usePath();
  const [demo, setDemo] = useState<{ d: DemoStatus | null } | null>(null);
  const [full, setFull] = useState(false);
  useEffect(() => {
    let live = true;
    void demoStatus.then((d) => { if (live) setDemo({ d }); });
    return () => { live = false; };
  }, []);

  const d = demo?.d ?? null;
  const firstRun = Boolean(d && (d.projects === 0 || d.loading.running) && !(path === '/login' && !user));
  const needFull = full || Boolean(user) || open || firstRun;
  useEffect(() => {
    if (needFull && !full) setFull(true);
  }, [needFull, full]);

  if (needFull) return <Suspense fallback={<Loading />}><FullApp demo={d} /></Suspense>;
  // The sign-in page (/login) shows its form at once, as the frame would for anyone there; the demo
  // accounts join it when GET /api/demo answers. Elsewhere, wait for the session and the demo status.
  if (path !== '/login' && (loading || !demo)) return <Loading />;
  return <LightSignIn demo={d} />;
}

/** The sign-in form without antd: what the frame's features/sign-in/SignIn.tsx shows in accounts mode. */
function LightSignIn({ demo }: { demo: DemoStatus | null }) {
  injectStyle();
  const { t, lang, setLang } = useI18n();
  const { login } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const accounts = demo?.demo && demo.accountsListed !== false ? demo.accounts : [];
  // Start fetching the full app once someone means to sign in, so the frame is near when they have.
  const warm = () => void loadFullApp().catch(() => undefined);

  const submit = async (u: string, p: string) => {
    const m = { username: !u.trim(), password: !p };
    setMissing(m);
    if (m.username || m.password) return;
    warm();
    setBusy(true);
    setError(null);
    try {
      await login(u, p);
      navigate('/', true);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(username, password);
  };
  const use = (a: DemoAccount) => {
    setUsername(a.username);
    setPassword(a.password);
    void submit(a.username, a.password);
  };

  return (
    <div className="gs-wrap">
      <div className="gs-card">
        <div className="gs-head">
          <h1>{t('归属 · 登录', 'Guishu · Sign in')}</h1>
          <button type="button" className="gs-btn gs-small" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>{lang === 'zh' ? 'EN' : '中文'}</button>
        </div>
        <form onSubmit={onSubmit} noValidate>
          <label className="gs-field">
            <span>{t('用户名', 'User name')}</span>
            <input className={missing.username ? 'gs-bad' : ''} autoComplete="username" autoFocus data-testid="username" value={username}
              onFocus={warm} onChange={(e) => { setUsername(e.target.value); setMissing((m) => ({ ...m, username: false })); }} />
            {missing.username && <em>{t('请输入用户名', 'Enter your user name')}</em>}
          </label>
          <label className="gs-field">
            <span>{t('密码', 'Password')}</span>
            <input className={missing.password ? 'gs-bad' : ''} type="password" autoComplete="current-password" data-testid="password" value={password}
              onChange={(e) => { setPassword(e.target.value); setMissing((m) => ({ ...m, password: false })); }} />
            {missing.password && <em>{t('请输入密码', 'Enter your password')}</em>}
          </label>
          {error && <div className="gs-error" role="alert">{error}</div>}
          <button type="submit" className="gs-btn gs-primary" disabled={busy} data-testid="sign-in">{busy ? t('登录中…', 'Signing in…') : t('登录', 'Sign in')}</button>
        </form>
        {accounts.length > 0 && (
          <>
            <h2>{t('演示账号（仅演示模式显示）', 'Demo accounts (demo mode only)')}</h2>
            <ul className="gs-accounts">
              {accounts.map((a) => (
                <li key={a.username}>
                  <span className="gs-tag">{w(ROLE[a.role], lang, a.role)}</span>
                  <code>{a.username}</code>
                  <span className="gs-muted">{t('密码', 'password')} {a.password}</span>
                  <button type="button" className="gs-btn gs-small" data-testid={`demo-${a.username}`} disabled={busy} onClick={() => use(a)}>{t('用此账号登录', 'Use')}</button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
