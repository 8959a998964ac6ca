/** The language to answer a request in. */
import type { Request } from 'express';
import { LOCALES, type Locale } from '../src/domain/enums';

/**
 * `?lang=` when given; else the request's Accept-Language when it names a language we write (the web
 * app sends the language its switch shows); else the caller's own locale; else Chinese.
 */
export function requestLocale(req: Request, fallback?: Locale): Locale {
  const q = req.query.lang;
  if (typeof q === 'string' && (LOCALES as readonly string[]).includes(q)) return q as Locale;
  // Only a header naming Chinese or English counts (fetch clients send `*` by default).
  if (/(^|[\s,])(zh|en)\b/i.test(req.headers['accept-language'] ?? '')) {
    const best = req.acceptsLanguages('zh-CN', 'zh', 'en');
    if (best === 'en') return 'en';
    if (best === 'zh-CN' || best === 'zh') return 'zh-CN';
  }
  return fallback ?? req.principal?.locale ?? 'zh-CN';
}
