/** The CSV cell rule of the ledger exports: what a spreadsheet would damage is marked as text, and our import removes the mark. */
import { csvCell } from '../../src/ledger/export';
import { stripTextMarker } from '../../src/ledger/import';

describe('csvCell', () => {
  it.each([
    ['an 18-digit credit code', '914403001922038216'],
    ['an 11-digit mobile number', '13800138000'],
    ['a landline with its leading zero', '057188886666'],
    ['a code Excel would read as an exponent', '9134030019220382E1'],
  ])('marks %s with a leading TAB, unquoted', (_what, v) => {
    expect(csvCell(v)).toBe(`\t${v}`);
    expect(stripTextMarker(csvCell(v))).toBe(v);
  });

  it.each([
    ['a short number', '12345'],
    ['a reference', 'XS-2026-000123'],
    ['a credit code with letters', '91340300MA2N0XXX17'],
    ['Chinese text', '涂山风景区'],
  ])('leaves %s as it is', (_what, v) => {
    expect(csvCell(v)).toBe(v);
  });

  it('still guards against formulas and quotes what must be quoted', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-12345678901234')).toBe("'-12345678901234");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(3_000_000)).toBe('3000000');
  });
});
