// Chinese first, with an English switch. Strings sit where they are used as
// t('中文', 'English'): one glance shows both, and nothing is left untranslated.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { setApiLanguage } from '../api/client.ts';

export type Lang = 'zh' | 'en';
interface I18n { lang: Lang; setLang: (l: Lang) => void; t: (zh: string, en: string) => string }

const Ctx = createContext<I18n>({ lang: 'zh', setLang: () => {}, t: (zh) => zh });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem('guishu.lang') === 'en' ? 'en' : 'zh'));
  setApiLanguage(lang);
  const value = useMemo<I18n>(() => ({
    lang,
    setLang: (l) => {
      localStorage.setItem('guishu.lang', l);
      setApiLanguage(l);
      document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
      setLangState(l);
    },
    t: (zh, en) => (lang === 'zh' ? zh : en),
  }), [lang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export const useI18n = () => useContext(Ctx);
