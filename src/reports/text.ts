/**
 * The words of the district summary and the per-unit report: the `report` namespace of the shared
 * catalogue (src/i18n/locales/<zh-CN|en>/report.json, ICU MessageFormat). Counts are passed as
 * numbers for English plurals and grouping; Chinese official text writes them as plain digits
 * ("1880人", not "1,880人"), so they are handed over as strings there.
 */
import type { Locale } from '../domain/enums';
import { t, type MessageKey } from '../i18n';

export type ReportKey = Extract<MessageKey, `report.${string}`>;

export function rt(locale: Locale, key: ReportKey, params: Record<string, string | number> = {}): string {
  const values =
    locale === 'en'
      ? params
      : Object.fromEntries(
          Object.entries(params).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]),
        );
  return t(locale, key, values);
}
