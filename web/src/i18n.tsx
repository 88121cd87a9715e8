// UI language: zh-CN first, English second. One dictionary (messages.ts), a `useT()` hook, and the
// language choice remembered in localStorage and sent to the server as Accept-Language.
import 'dayjs/locale/zh-cn';
import dayjs from 'dayjs';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { type Lang, setApiLang } from './api.ts';
import { type MessageKey, messages } from './messages.ts';

export type { Lang, MessageKey };

const STORAGE_KEY = 'shuan.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    /* storage unavailable */
  }
  return 'zh';
}

function apply(lang: Lang) {
  setApiLang(lang);
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

export type Vars = Record<string, string | number>;
export type TFunction = (key: MessageKey, vars?: Vars) => string;

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const entry = messages[key];
  let s: string = entry ? entry[lang === 'zh' ? 0 : 1] : key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

interface I18nValue {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: TFunction;
  /** Picks the zh or en member of a `{ zh, en }` label (roles.ts, org.constants.ts, /api/roles). */
  pick: (label: { zh: string; en: string } | undefined, fallback?: string) => string;
}

const I18nContext = createContext<I18nValue | null>(null);

const first = initialLang();
apply(first);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(first);
  const setLang = useCallback((l: Lang) => {
    apply(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* storage unavailable */
    }
    setLangState(l);
  }, []);
  const value = useMemo<I18nValue>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      pick: (label, fallback = '') => (label ? label[lang] : fallback),
    }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

/** The `t()` hook: `const t = useT(); t('login.submit')`. */
export function useT(): TFunction {
  return useI18n().t;
}
