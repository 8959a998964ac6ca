/**
 * The workbench's messages: its own `web` namespace and the shared labels of the enums (stages,
 * tasks, grades, key areas ...), both from the server's catalogue (src/i18n/locales, whose key parity
 * zh-CN/en is checked there), ICU MessageFormat read by react-intl (FormatJS, the formatter the
 * server's notifications use). Only these two namespaces are bundled, not the notification texts.
 */
import { useCallback } from 'react';
import { useIntl, type MessageFormatElement } from 'react-intl';
import zhWeb from '../../../src/i18n/locales/zh-CN/web.json';
import enWeb from '../../../src/i18n/locales/en/web.json';
import zhLabels from '../../../src/i18n/locales/zh-CN/labels.json';
import enLabels from '../../../src/i18n/locales/en/labels.json';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type WebKey = keyof typeof enWeb;

type Catalogue = Record<string, MessageFormatElement[]>;
// The build hands these JSON files over already parsed (web/vite.config.mts), whatever their type says.
const parsed = (...parts: object[]) => Object.assign({}, ...parts) as Catalogue;

export const catalogues: Record<Locale, Catalogue> = {
  'zh-CN': parsed(zhLabels, zhWeb),
  en: parsed(enLabels, enWeb),
};

const STORAGE_KEY = 'workbench.locale';

export function storedLocale(): Locale {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'en' || v === 'zh-CN' ? v : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function storeLocale(l: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

export type Values = Record<string, string | number | Date>;

/** t('web.x', values) for the workbench's own text; label('stage', 'verifying') for enum values. */
export function useT() {
  const intl = useIntl();
  const t = useCallback((id: WebKey, values?: Values) => intl.formatMessage({ id }, values), [intl]);
  // A value without a label shows as itself (no parser at run time for a default message).
  const label = useCallback(
    (kind: string, value: string | number | null | undefined) => {
      if (value === null || value === undefined) return '';
      const id = `${kind}.${value}`;
      return id in intl.messages ? intl.formatMessage({ id }) : String(value);
    },
    [intl],
  );
  /** A moment in Beijing time, with its zone named (the notice's deadlines are Beijing time). */
  const when = useCallback(
    (iso: string | null | undefined) =>
      iso
        ? `${intl.formatDate(iso, {
            timeZone: 'Asia/Shanghai',
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
          })} ${intl.formatMessage({ id: 'web.zone' })}`
        : '',
    [intl],
  );
  return { t, label, when, locale: intl.locale as Locale };
}
