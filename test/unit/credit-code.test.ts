import {
  CREDIT_CODE_CHARSET,
  REGISTRATION_AUTHORITY_CODES,
  creditCodeCheckChar,
  normalizeSubjectName,
  validateCreditCode,
} from '../../src/domain/credit-code';

/**
 * Independent oracle: the organization-code check character (GB 11714-1997)
 * that sits at position 17 of every credit code issued from an organization
 * code. It uses a different alphabet, weights and modulus (11) from
 * GB 32100, so a code that passes both checks is very unlikely to be a typo.
 */
function orgCodeCheckChar(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body8.charAt(i);
    const v = /[0-9]/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55; // A=10 … Z=35
    sum += v * weights[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

// Real, publicly published codes. Each is corroborated by a public record
// (company registry excerpts, Wikipedia infobox, widely used validator
// samples) AND by the independent GB 11714 check above.
const REAL_CODES: [string, string][] = [
  ['914403001922038216', 'Huawei Technologies Co., Ltd. (华为技术有限公司)'],
  ['9144030071526726XG', 'Tencent Technology (Shenzhen) Co., Ltd. (腾讯科技（深圳）有限公司)'],
  ['91440300708461136T', 'Shenzhen Tencent Computer Systems Co., Ltd. (深圳市腾讯计算机系统有限公司)'],
  ['91330100716105852F', 'Alibaba (China) Network Technology Co., Ltd. (阿里巴巴（中国）网络技术有限公司)'],
  ['91110000802100433B', 'Beijing Baidu Netcom Science and Technology Co., Ltd. (北京百度网讯科技有限公司)'],
  ['91350100M000100Y43', 'sample code used by the hutool CreditCodeUtil and many validators'],
];

describe('validateCreditCode – real codes', () => {
  it.each(REAL_CODES)('%s (%s) is valid', (code) => {
    expect(validateCreditCode(code)).toEqual({ ok: true, normalized: code });
    expect(creditCodeCheckChar(code.slice(0, 17))).toBe(code.charAt(17));
  });

  it.each(REAL_CODES)('%s also passes the independent organization-code check', (code) => {
    expect(orgCodeCheckChar(code.slice(8, 16))).toBe(code.charAt(16));
  });

  it('normalises by trimming and upper-casing', () => {
    expect(validateCreditCode('  9144030071526726xg \n')).toMatchObject({
      ok: true,
      normalized: '9144030071526726XG',
    });
  });
});

describe('creditCodeCheckChar', () => {
  it('maps a remainder of 0 to "0" (31 → 0)', () => {
    // Find a 17-char prefix whose weighted sum is a multiple of 31 by varying the last char.
    const base = '9111010800000000';
    const hit = Array.from(CREDIT_CODE_CHARSET).find((ch) => creditCodeCheckChar(base + ch) === '0');
    expect(hit).toBeDefined();
    expect(validateCreditCode(`${base}${hit!}0`).ok).toBe(true);
  });

  it('never returns a forbidden character', () => {
    for (const ch of CREDIT_CODE_CHARSET) {
      expect(CREDIT_CODE_CHARSET).toContain(creditCodeCheckChar(`91110108MA01G0FB0`.slice(0, 16) + ch));
    }
  });

  it('rejects bad input', () => {
    expect(() => creditCodeCheckChar('9111')).toThrow(RangeError);
    expect(() => creditCodeCheckChar('91110108MA01G0FBI')).toThrow(/invalid character "I" at position 17/);
  });
});

describe('validateCreditCode – invalid codes', () => {
  it.each([
    ['', 'must be 18 characters'],
    ['9144030071526726X', 'must be 18 characters'],
    ['9144030071526726XG0', 'must be 18 characters'],
    ['91440300 71526726XG', 'must be 18 characters'],
  ])('%j → %s', (code, reason) => {
    const r = validateCreditCode(code);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(new RegExp(`^${reason}`));
  });

  it.each(['I', 'O', 'Z', 'S', 'V'])('forbidden letter %s is rejected with its position', (letter) => {
    const code = `9144030071526${letter}26XG`;
    expect(validateCreditCode(code)).toMatchObject({
      ok: false,
      reason: `invalid character "${letter}" at position 14`,
    });
  });

  it('rejects punctuation and non-ASCII characters', () => {
    expect(validateCreditCode('91440300-71526726X')).toMatchObject({
      ok: false,
      reason: 'invalid character "-" at position 9',
    });
    expect(validateCreditCode('９144030071526726XG')).toMatchObject({
      ok: false,
      reason: 'invalid character "９" at position 1',
    });
  });

  it('rejects a wrong check character and names the right one', () => {
    expect(validateCreditCode('9144030071526726XH')).toMatchObject({
      ok: false,
      reason: 'check character should be "G"',
    });
    expect(validateCreditCode('914403001922038217')).toMatchObject({
      ok: false,
      reason: 'check character should be "6"',
    });
  });

  it('says why as data too, so the import can word it in the reader’s language', () => {
    expect(validateCreditCode('914403001922038217')).toMatchObject({
      problem: { kind: 'check', expected: '6' },
    });
    expect(validateCreditCode('9144')).toMatchObject({ problem: { kind: 'length', got: 4 } });
    expect(validateCreditCode('91440300-71526726X')).toMatchObject({
      problem: { kind: 'character', char: '-', position: 9 },
    });
  });

  it('detects a single transposition', () => {
    expect(validateCreditCode('914403001922038126').ok).toBe(false);
  });

  it.each(['B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'P', 'Q', 'R', 'T', 'U', 'W', 'X', '0'])(
    'registration authority code %s is rejected',
    (authority) => {
      // Give it a correct check character so only the authority code is wrong.
      const first17 = `${authority}144030071526726X`;
      const code = first17 + creditCodeCheckChar(first17);
      expect(validateCreditCode(code)).toMatchObject({
        ok: false,
        reason: `invalid registration authority code "${authority}" at position 1`,
      });
    },
  );

  it('accepts every authority code in the standard list when the check char is right', () => {
    expect(Object.keys(REGISTRATION_AUTHORITY_CODES).sort()).toEqual(
      ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'N', 'Y'].sort(),
    );
    for (const authority of Object.keys(REGISTRATION_AUTHORITY_CODES)) {
      const first17 = `${authority}144030071526726X`;
      expect(validateCreditCode(first17 + creditCodeCheckChar(first17)).ok).toBe(true);
    }
  });

  it('rejects a non-numeric administrative division code', () => {
    const first17 = '9144A30071526726X';
    expect(validateCreditCode(first17 + creditCodeCheckChar(first17))).toMatchObject({
      ok: false,
      reason: 'positions 3-8 must be a 6-digit administrative division code',
    });
  });

  it('rejects a mis-remembered code whose check char does not match', () => {
    // Suggested during design as a "valid" example; it fails both GB 32100
    // and the GB 11714 organization-code check, so it is not a real code.
    expect(validateCreditCode('911100001000013921')).toMatchObject({
      ok: false,
      reason: 'check character should be "H"',
    });
    expect(orgCodeCheckChar('10000139')).not.toBe('2');
  });
});

describe('normalizeSubjectName', () => {
  it.each([
    ['  某某科技有限公司（北京）', '某某科技有限公司北京'],
    ['某某科技有限公司(北京)', '某某科技有限公司北京'],
    ['北京 某某\u3000有限公司', '北京某某有限公司'],
    ['ＡＢＣ  Trading  Co., Ltd.', 'abc trading co ltd'],
    ['ABC\tTRADING CO LTD', 'abc trading co ltd'],
    ['【某某】养老服务中心', '某某养老服务中心'],
    ['某某·国际（控股）集团', '某某国际控股集团'],
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeSubjectName(input)).toBe(expected);
  });

  it('makes visually equivalent names collide', () => {
    const a = normalizeSubjectName('杭州ＸＹＺ投资管理有限公司（有限合伙）');
    const b = normalizeSubjectName(' 杭州xyz投资管理有限公司 (有限合伙) ');
    expect(a).toBe(b);
  });

  it('keeps distinct names distinct', () => {
    expect(normalizeSubjectName('某某科技有限公司')).not.toBe(normalizeSubjectName('某某科技股份有限公司'));
  });

  it('is idempotent', () => {
    const once = normalizeSubjectName(' ＡＢＣ（上海） Co., Ltd. ');
    expect(normalizeSubjectName(once)).toBe(once);
  });
});
