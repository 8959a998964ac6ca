/** Date-times shown to people are in China Standard Time (UTC+8), the offset of the shipped calendars. */
import type { Locale } from './domain/enums';

const CST_MS = 8 * 3_600_000;
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Compact form for tables and exports: "2026-12-02 17:00" ("… (UTC+8)" in English). */
export function formatLocal(ms: number, locale: Locale): string {
  const d = new Date(ms + CST_MS);
  const s = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return locale === 'en' ? `${s} (UTC+8)` : s;
}

/** A date as written in prose and official documents: "2026年12月2日" / "2 Dec 2026". */
export function formatDate(ms: number, locale: Locale): string {
  const d = new Date(ms + CST_MS);
  return locale === 'en'
    ? `${d.getUTCDate()} ${MONTHS_EN[d.getUTCMonth()]} ${d.getUTCFullYear()}`
    : `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/**
 * A date-time in messages, always with its zone, since a reader may be anywhere:
 * "2026年12月2日 17:00（北京时间）" / "2 Dec 2026 17:00 (UTC+8)".
 */
export function formatDateTime(ms: number, locale: Locale): string {
  const d = new Date(ms + CST_MS);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return locale === 'en'
    ? `${formatDate(ms, locale)} ${time} (UTC+8)`
    : `${formatDate(ms, locale)} ${time}（北京时间）`;
}
