/** How official documents write amounts, dates, heading numbers and the signature block's indents. */
import { amountCell, amountText, documentDate, headingNumber, zhNumeral } from '../../src/reports/format';
import { signatureIndents, titleLines, titlePartsAround } from '../../src/reports/official-document';

describe('amounts', () => {
  it.each([
    [151_900_000, '1.52亿元', 'CNY 151.9 million'],
    [134_500_000, '1.35亿元', 'CNY 134.5 million'],
    [99_999_999, '1.00亿元', 'CNY 100 million'],
    [100_000_000, '1.00亿元', 'CNY 100 million'],
    [3_000_000, '300.00万元', 'CNY 3 million'],
    [12_345.67, '1.23万元', 'CNY 12,346'],
    [0, '0.00万元', 'CNY 0'],
    [2_500_000_000, '25.00亿元', 'CNY 2.5 billion'],
    [999_999_999, '10.00亿元', 'CNY 1 billion'],
  ])('%d yuan is written %s / %s', (yuan, zh, en) => {
    expect(amountText(yuan, 'zh-CN')).toBe(zh);
    expect(amountText(yuan, 'en')).toBe(en);
  });

  it('table cells are in 万元 / CNY million with two decimals, rounded half up on the decimal value', () => {
    expect(amountCell(151_900_000, 'zh-CN')).toBe('15190.00');
    expect(amountCell(134_500_000, 'en')).toBe('134.50');
    expect(amountCell(5_000, 'zh-CN')).toBe('0.50');
  });
});

describe('dates and numbers', () => {
  it('writes the date in China time with 年月日 and no leading zeros (GB/T 9704-2012 §7.3.5.4)', () => {
    const t = Date.parse('2026-12-01T16:30:00Z'); // 00:30 on 2 December in Beijing
    expect(documentDate(t, 'zh-CN')).toBe('2026年12月2日');
    expect(documentDate(t, 'en')).toBe('2 December 2026');
    expect(documentDate(Date.parse('2027-01-05T02:00:00Z'), 'zh-CN')).toBe('2027年1月5日');
  });

  it('numbers the three heading levels 一、（一）1. and I. A. 1.', () => {
    expect([1, 2, 10, 11, 20, 21].map(zhNumeral)).toEqual(['一', '二', '十', '十一', '二十', '二十一']);
    expect(headingNumber('zh-CN', 1, 8)).toBe('八、');
    expect(headingNumber('zh-CN', 2, 3)).toBe('（三）');
    expect(headingNumber('zh-CN', 3, 2)).toBe('2.');
    expect(headingNumber('en', 1, 4)).toBe('IV. ');
    expect(headingNumber('en', 2, 2)).toBe('B. ');
  });
});

describe('signature block (GB/T 9704-2012 §7.3.5.2)', () => {
  it('puts the office two characters from the right and starts the date two characters right of the office', () => {
    // 16 characters; the date is 6.5 wide (7 half-width digits and 年月日).
    expect(signatureIndents('区处置非法集资工作领导小组办公室', '2026年12月2日')).toEqual({
      issuer: 2,
      date: 9.5,
    });
  });

  it('moves a short office right so that a longer date keeps two characters from the right', () => {
    const i = signatureIndents('区政府', '2026年12月12日');
    expect(i.date).toBe(2);
    // The date (7 wide) starts at 28 − 2 − 7 = 19; the office (3 wide) two characters before it, at 17.
    expect(28 - i.issuer - 3).toBe(17);
  });
});

describe('title lines (GB/T 9704-2012 §7.3.1)', () => {
  it('breaks a title longer than one 2号 line between its pieces, never inside a name', () => {
    const unit = '涂山风景区';
    const campaign = '非法集资风险专项排查活动';
    const title = `${unit}${campaign}工作情况报告`;
    expect(titleLines({ title, titleParts: titlePartsAround(title, [unit, campaign]) })).toEqual([
      '涂山风景区非法集资风险专项排查活动',
      '工作情况报告',
    ]);
    const long = '关于2026年非法集资风险专项排查活动的总结报告';
    expect(
      titleLines({ title: long, titleParts: titlePartsAround(long, ['2026年非法集资风险专项排查活动']) }),
    ).toEqual(['关于2026年非法集资风险专项排查活动', '的总结报告']);
    expect(titleLines({ title: '关于专项排查的总结报告' })).toEqual(['关于专项排查的总结报告']);
  });
});
