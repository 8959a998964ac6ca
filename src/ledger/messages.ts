/**
 * Ledger messages said later in the reader's language (import errors, audit export, download names).
 * The texts live in the `ledger` namespace of the catalogue (src/i18n/locales/<locale>/ledger.json).
 */
import type { Locale } from '../domain/enums';
import { t, type MessageKey } from '../i18n';

export type LedgerMessageKey = Extract<MessageKey, `ledger.${string}`>;

/** Formats a ledger message in `locale`. */
export function lt(
  locale: Locale,
  key: LedgerMessageKey,
  params: Record<string, string | number> = {},
): string {
  return t(locale, key, params);
}

/** A message that can be said later in the reader's language. */
export interface Said {
  key: LedgerMessageKey;
  params?: Record<string, string | number>;
}
