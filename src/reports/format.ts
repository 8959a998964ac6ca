/**
 * How official documents write dates, amounts, rates and heading numbers.
 *
 * Dates: GB/T 9704-2012 §7.3.5.4 — Arabic numerals with 年月日, the year in full, no leading zeros
 * ("2026年12月2日"), in China time. Amounts: in 万元 below 1亿元 and in 亿元 from there, two
 * decimals ("1.52亿元", not "151,900,000.00元"); English "CNY 151.9 million".
 */
import type { Locale } from '../domain/enums';

const CST_MS = 8 * 3_600_000;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The calendar date of an instant in China Standard Time (UTC+8). */
export function chinaDate(ms: number): { y: number; m: number; d: number } {
  const t = new Date(ms + CST_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** "2026年12月2日" / "2 December 2026". */
export function documentDate(ms: number, locale: Locale): string {
  const { y, m, d } = chinaDate(ms);
  return locale === 'en' ? `${d} ${MONTHS[m - 1]} ${y}` : `${y}年${m}月${d}日`;
}

/**
 * `yuan / unit` to two decimals, rounded half up on the decimal value: dividing first and calling
 * toFixed would round 134,500,000 / 1e8 = 1.3449999… down to "1.34".
 */
function hundredths(yuan: number, unit: number): number {
  return Math.round(yuan / (unit / 100)) / 100;
}
const trim2 = (yuan: number, unit: number) => String(hundredths(yuan, unit));

/** An amount in running text: "3.00万元", "1.52亿元" / "CNY 300,000", "CNY 151.9 million". */
export function amountText(yuan: number, locale: Locale): string {
  const v = Number.isFinite(yuan) ? yuan : 0;
  // The unit is chosen on the rounded figure: 99,999,999 is "1.00亿元", not "10000.00万元".
  if (locale === 'en') {
    if (Math.abs(hundredths(v, 1e6)) >= 1000) return `CNY ${trim2(v, 1e9)} billion`;
    if (Math.abs(v) >= 1e6) return `CNY ${trim2(v, 1e6)} million`;
    return `CNY ${Math.round(v).toLocaleString('en-US')}`;
  }
  return Math.abs(hundredths(v, 1e4)) >= 10000
    ? `${hundredths(v, 1e8).toFixed(2)}亿元`
    : `${hundredths(v, 1e4).toFixed(2)}万元`;
}

/** An amount in a table column whose header names the unit: 万元 / CNY million, two decimals. */
export function amountCell(yuan: number, locale: Locale): string {
  return hundredths(yuan, locale === 'en' ? 1e6 : 1e4).toFixed(2);
}

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

const DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (heading numbers stay far below 100). */
export function zhNumeral(n: number): string {
  if (n <= 0 || n >= 100 || !Number.isInteger(n)) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  if (tens === 0) return DIGITS[ones]!;
  return `${tens === 1 ? '' : DIGITS[tens]}十${DIGITS[ones]}`;
}

function roman(n: number): string {
  const table: [number, string][] = [
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let out = '';
  let rest = n;
  for (const [v, s] of table)
    while (rest >= v) {
      out += s;
      rest -= v;
    }
  return out;
}

/**
 * Heading numbers of the three levels: 一、（一）1. in Chinese (GB/T 9704-2012 §7.3.3), I. A. 1. in
 * English. A lower level restarts when a higher one advances.
 */
export function headingNumber(locale: Locale, level: 1 | 2 | 3, n: number): string {
  if (locale === 'en') {
    if (level === 1) return `${roman(n)}. `;
    if (level === 2) return `${String.fromCharCode(64 + Math.min(n, 26))}. `;
    return `${n}. `;
  }
  if (level === 1) return `${zhNumeral(n)}、`;
  if (level === 2) return `（${zhNumeral(n)}）`;
  return `${n}.`;
}

/** Joins names the way the language lists them: 甲、乙、丙 / A, B and C. */
export function listJoin(xs: string[], locale: Locale): string {
  if (locale !== 'en') return xs.join('、');
  if (xs.length <= 1) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}
