/** Date-times shown to people are in China Standard Time (UTC+8), the offset of the shipped calendars. */
import type { Locale } from './domain/enums';

export function formatLocal(ms: number, locale: Locale): string {
  const d = new Date(ms + 8 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const s = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
  return locale === 'en' ? `${s} (UTC+8)` : s;
}
