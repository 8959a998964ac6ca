/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015, and subject-name
 * normalisation for duplicate detection.
 *
 * PURE module: no Node built-ins, no runtime imports. Safe to import from
 * Temporal workflow code.
 *
 * Layout of the 18 characters (1-based positions):
 *   1      registration authority code (登记管理部门代码)
 *   2      institution category code (机构类别代码) — not checked here
 *   3–8    administrative division code of the registering authority (6 digits)
 *   9–17   organization code (组织机构代码, GB 11714: 8 body chars + 1 check char;
 *          its own check char is NOT verified here)
 *   18     check character over positions 1–17
 *
 * Character set: 0-9 and A-Z without I, O, Z, S, V (31 characters; the
 * index in CREDIT_CODE_CHARSET is the character's numeric value).
 * Check character: c = 31 − (Σ value(i) × weight(i) mod 31), with c = 31 → '0'.
 */

export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/**
 * Registration authority codes (position 1) per GB 32100-2015 and later
 * assignments: 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教,
 * 8 工会, 9 工商 (market regulation), A 中央军委改革和编制办公室, N 农业, Y 其他.
 */
export const REGISTRATION_AUTHORITY_CODES = {
  '1': '机构编制',
  '2': '外交',
  '3': '司法行政',
  '4': '文化',
  '5': '民政',
  '6': '旅游',
  '7': '宗教',
  '8': '工会',
  '9': '工商',
  A: '中央军委改革和编制办公室',
  N: '农业',
  Y: '其他',
} as const;
export type RegistrationAuthorityCode = keyof typeof REGISTRATION_AUTHORITY_CODES;

/** Why a code is refused, as data (so callers can say it in the reader's language). */
export type CreditCodeProblem =
  | { kind: 'length'; got: number }
  | { kind: 'character'; char: string; position: number }
  | { kind: 'authority'; char: string }
  | { kind: 'division' }
  | { kind: 'check'; expected: string };
export type CreditCodeResult =
  { ok: true; normalized: string } | { ok: false; reason: string; problem: CreditCodeProblem };

function charValue(ch: string): number {
  return CREDIT_CODE_CHARSET.indexOf(ch);
}

/**
 * Check character (position 18) for the first 17 characters of a code.
 * Input is upper-cased; throws RangeError if it is not exactly 17 characters
 * from the credit-code character set.
 */
export function creditCodeCheckChar(first17: string): string {
  const s = first17.toUpperCase();
  if (s.length !== 17) {
    throw new RangeError(`expected 17 characters, got ${s.length}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const ch = s.charAt(i);
    const v = charValue(ch);
    if (v < 0) throw new RangeError(`invalid character "${ch}" at position ${i + 1}`);
    sum += v * (CREDIT_CODE_WEIGHTS[i] ?? 0);
  }
  const c = 31 - (sum % 31);
  return CREDIT_CODE_CHARSET.charAt(c === 31 ? 0 : c);
}

/** Validate a unified social credit code. Normalises by trimming and upper-casing. */
export function validateCreditCode(code: string): CreditCodeResult {
  const normalized = String(code ?? '')
    .trim()
    .toUpperCase();
  if (normalized.length !== 18) {
    return {
      ok: false,
      reason: `must be 18 characters (got ${normalized.length})`,
      problem: { kind: 'length', got: normalized.length },
    };
  }
  for (let i = 0; i < 18; i++) {
    const ch = normalized.charAt(i);
    if (charValue(ch) < 0) {
      return {
        ok: false,
        reason: `invalid character "${ch}" at position ${i + 1}`,
        problem: { kind: 'character', char: ch, position: i + 1 },
      };
    }
  }
  const authority = normalized.charAt(0);
  if (!Object.prototype.hasOwnProperty.call(REGISTRATION_AUTHORITY_CODES, authority)) {
    return {
      ok: false,
      reason: `invalid registration authority code "${authority}" at position 1`,
      problem: { kind: 'authority', char: authority },
    };
  }
  if (!/^[0-9]{6}$/.test(normalized.slice(2, 8))) {
    return {
      ok: false,
      reason: 'positions 3-8 must be a 6-digit administrative division code',
      problem: { kind: 'division' },
    };
  }
  const expected = creditCodeCheckChar(normalized.slice(0, 17));
  if (normalized.charAt(17) !== expected) {
    return {
      ok: false,
      reason: `check character should be "${expected}"`,
      problem: { kind: 'check', expected },
    };
  }
  return { ok: true, normalized };
}

/** Brackets and punctuation that commonly vary in registered names. */
const STRIPPED_PUNCTUATION = /[()[\]{}<>【】〔〕〈〉《》「」『』“”‘’"'`·・.,，。、;；:：!！?？\-—–_]/g;

/** Is the character outside printable ASCII (e.g. a CJK ideograph)? */
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Normalise a subject (company / person) name for duplicate detection:
 * full-width → half-width ASCII (incl. the ideographic space), strip brackets
 * and common punctuation such as （）() 【】 · 、, collapse whitespace,
 * drop whitespace next to non-ASCII (CJK) characters, trim, lowercase.
 *
 * e.g. '  某某科技有限公司（北京）' and '某某科技有限公司(北京)' both → '某某科技有限公司北京';
 *      'ＡＢＣ  Trading  Co., Ltd.' → 'abc trading co ltd'.
 */
export function normalizeSubjectName(name: string): string {
  let s = '';
  for (const ch of String(name ?? '')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0x3000) s += ' ';
    else if (cp >= 0xff01 && cp <= 0xff5e) s += String.fromCharCode(cp - 0xfee0);
    else s += ch;
  }
  s = s.replace(STRIPPED_PUNCTUATION, ' ').replace(/\s+/g, ' ').trim();
  // Remove single spaces that touch a non-ASCII character ("北京 某某" → "北京某某").
  const chars = Array.from(s);
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === ' ') {
      const prev = chars[i - 1] ?? '';
      const next = chars[i + 1] ?? '';
      if (NON_ASCII.test(prev) || NON_ASCII.test(next)) continue;
    }
    out += ch;
  }
  return out.toLowerCase();
}
