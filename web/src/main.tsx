// The light entry: React, the language, the session and a sign-in form without
// antd (boot/Boot.tsx). The full app — antd, react-query, the frame — arrives with
// a dynamic import (boot/FullApp.tsx) only when a session exists, after signing in,
// on first run or in open mode: the sign-in page's first paint needs a small script
// (docs/web.md; vite.config.ts keeps antd's chunks out of index.html's preloads).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SessionProvider } from './auth/session.tsx';
import { I18nProvider } from './lib/i18n.tsx';
import { Boot } from './boot/Boot.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <Boot />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
