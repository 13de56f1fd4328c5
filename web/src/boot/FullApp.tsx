// The full app: antd's theme and locale, react-query and the frame (layout/App.tsx).
// Loaded by the light entry (boot/Boot.tsx) with a dynamic import only when it is
// needed — a session, a sign-in, the first-run screen, open mode — so the sign-in
// page's first paint carries no antd.
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from '../api/client.ts';
import { useI18n } from '../lib/i18n.tsx';
import { App } from '../layout/App.tsx';
import type { DemoStatus } from '../features/first-run/FirstRun.tsx';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refused request (4xx) will not succeed on retry; a network blip may.
      retry: (n, e) => n < 2 && !(e instanceof ApiError && e.status >= 400 && e.status < 500),
      refetchOnWindowFocus: false,
      staleTime: 5_000,
    },
  },
});

let seeded = false;

/** `demo`: GET /api/demo as the light entry read it (the frame starts from it rather than asking again). */
export default function FullApp({ demo }: { demo: DemoStatus | null }) {
  const { lang } = useI18n();
  if (!seeded && demo) queryClient.setQueryData(['demo'], demo);
  seeded = true;
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ token: { colorPrimary: '#b8322a', borderRadius: 6, fontSize: 14 } }}>
        <AntApp>
          <App />
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
