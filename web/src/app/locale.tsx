/** zh-CN by default, English on a switch; the choice is remembered in this browser. */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { IntlProvider, useIntl } from 'react-intl';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { catalogues, storedLocale, storeLocale, type Locale } from '../i18n';

const LocaleContext = createContext<{ locale: Locale; setLocale: (l: Locale) => void }>({
  locale: 'zh-CN',
  setLocale: () => undefined,
});

export function useLocale() {
  return useContext(LocaleContext);
}

/** The reader's "reduce motion" setting, followed live: antd's animations stop when it is on. */
function useReducedMotion(): boolean {
  const query = '(prefers-reduced-motion: reduce)';
  const [reduced, setReduced] = useState(() => window.matchMedia?.(query).matches ?? false);
  useEffect(() => {
    const m = window.matchMedia?.(query);
    if (!m) return;
    const onChange = () => setReduced(m.matches);
    m.addEventListener('change', onChange);
    return () => m.removeEventListener('change', onChange);
  }, []);
  return reduced;
}

function Title() {
  const intl = useIntl();
  useEffect(() => {
    document.title = intl.formatMessage({ id: 'web.title' });
  }, [intl]);
  return null;
}

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(storedLocale);
  const reducedMotion = useReducedMotion();
  useEffect(() => {
    document.documentElement.lang = locale;
    dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
  }, [locale]);
  const value = useMemo(
    () => ({
      locale,
      setLocale: (l: Locale) => {
        storeLocale(l);
        setLocaleState(l);
      },
    }),
    [locale],
  );
  return (
    <LocaleContext.Provider value={value}>
      <IntlProvider
        locale={locale}
        messages={catalogues[locale]}
        defaultLocale="zh-CN"
        onError={(err) => {
          // Labels are looked up before formatting (useT), so any error here is a real one.
          console.error(err);
        }}
      >
        <ConfigProvider
          locale={locale === 'zh-CN' ? zhCN : enUS}
          theme={{ token: { colorPrimary: '#b71c1c', motion: !reducedMotion }, zeroRuntime: true }}
        >
          <AntApp>
            <Title />
            {children}
          </AntApp>
        </ConfigProvider>
      </IntlProvider>
    </LocaleContext.Provider>
  );
}
