/**
 * The one on-time rate (src/ledger/on-time.ts) the ledger statistics, the weekly digest and the
 * campaign documents share: on time ÷ (done + open overdue).
 */
import { onTimeOf, type OnTimeRow } from '../../src/ledger/on-time';

const row = (r: Partial<Record<keyof OnTimeRow, number | string>>): OnTimeRow => ({
  done: 0,
  on_time: 0,
  late_done: 0,
  open_overdue: 0,
  open_not_due: 0,
  cancelled: 0,
  escalated: 0,
  escalated_high: 0,
  ...r,
});

describe('on-time rate', () => {
  test('an open clock past its due time counts as late: 3 on time of 4 done plus 1 open overdue is 60 %', () => {
    const f = onTimeOf([row({ done: 4, on_time: 3, late_done: 1, open_overdue: 1, open_not_due: 2 })]);
    expect(f).toMatchObject({ counted: 5, done: 4, onTime: 3, lateDone: 1, openOverdue: 1, openNotDue: 2 });
    expect(f.rate).toBeCloseTo(0.6);
  });

  test('clocks still within their time limit and cancelled ones are left out of the rate', () => {
    const f = onTimeOf([row({ done: 2, on_time: 2, open_not_due: 5, cancelled: 3 })]);
    expect(f.rate).toBe(1);
    expect(f.counted).toBe(2);
  });

  test('a unit that never finishes anything it owes has a rate of 0, not "no rate"', () => {
    expect(onTimeOf([row({ open_overdue: 2, escalated: 2 })]).rate).toBe(0);
  });

  test('nothing fallen due yet: no rate (null), not 0 % or 100 %', () => {
    expect(onTimeOf([row({ open_not_due: 4 })]).rate).toBeNull();
    expect(onTimeOf([]).rate).toBeNull();
  });

  test('several groups sum before dividing (district = sum of units), and counts from PostgreSQL as strings are read as numbers', () => {
    const f = onTimeOf([
      row({ done: '3', on_time: '2', late_done: '1', open_overdue: '1' }),
      row({ done: 1, on_time: 1 }),
    ]);
    expect(f).toMatchObject({ counted: 5, done: 4, onTime: 3 });
    expect(f.rate).toBeCloseTo(0.6);
  });
});
