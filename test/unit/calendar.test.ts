import { readFileSync } from 'fs';
import { join } from 'path';
import {
  addDuration,
  addWorkingDays,
  type CalendarData,
  isValidIsoDuration,
  isWorkingDay,
  localDateOf,
  parseIsoDuration,
  subtractDuration,
  workingDaysBetween,
} from '../../src/calendar';
import { calendars, getCalendar } from '../../src/calendars';

const cn = getCalendar('cn-2026');
const wk = getCalendar('weekdays');

/** Epoch ms from an ISO string with an explicit offset, e.g. '2026-06-18T10:00+08:00'. */
function at(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test timestamp ${iso}`);
  return ms;
}

/** Formats an instant as local ISO in +08:00 for readable assertions. */
function local8(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().replace('Z', '+08:00').replace(':00.000', '');
}

const H = 3600_000;
const D = 24 * H;

describe('parseIsoDuration', () => {
  it.each<[string, { days: number; hours: number; minutes: number; seconds: number; milliseconds: number }]>([
    ['P5D', { days: 5, hours: 0, minutes: 0, seconds: 0, milliseconds: 0 }],
    ['PT30S', { days: 0, hours: 0, minutes: 0, seconds: 30, milliseconds: 0 }],
    ['P1DT2H', { days: 1, hours: 2, minutes: 0, seconds: 0, milliseconds: 0 }],
    ['PT0.5S', { days: 0, hours: 0, minutes: 0, seconds: 0, milliseconds: 500 }],
    ['PT1,25S', { days: 0, hours: 0, minutes: 0, seconds: 1, milliseconds: 250 }],
    ['PT0.001S', { days: 0, hours: 0, minutes: 0, seconds: 0, milliseconds: 1 }],
    ['P2W', { days: 14, hours: 0, minutes: 0, seconds: 0, milliseconds: 0 }],
    ['P1W2D', { days: 9, hours: 0, minutes: 0, seconds: 0, milliseconds: 0 }],
    ['PT15M', { days: 0, hours: 0, minutes: 15, seconds: 0, milliseconds: 0 }],
    ['P3DT4H5M6.789S', { days: 3, hours: 4, minutes: 5, seconds: 6, milliseconds: 789 }],
    ['PT48H', { days: 0, hours: 48, minutes: 0, seconds: 0, milliseconds: 0 }],
    ['P0D', { days: 0, hours: 0, minutes: 0, seconds: 0, milliseconds: 0 }],
  ])('parses valid duration %s', (input, expected) => {
    expect(parseIsoDuration(input)).toEqual(expected);
    expect(isValidIsoDuration(input)).toBe(true);
  });

  it.each([
    ['', /empty/],
    ['P', /at least one component/],
    ['PT', /at least one component/],
    ['-P1D', /negative/],
    ['+P1D', /negative/],
    ['P1Y', /years.*months/],
    ['P1M', /years.*months/],
    ['P1Y2M3D', /years.*months/],
    ['P1MT2H', /years.*months/],
    ['P1DT', /expected P/],
    ['PT1', /expected P/],
    ['P1H', /expected P/],
    ['p1d', /expected P/],
    ['1D', /expected P/],
    [' P1D', /expected P/],
    ['P1D ', /expected P/],
    ['PT1.5H', /expected P/],
    ['P1.5D', /expected P/],
    ['PT0.0001S', /expected P/],
    ['P1DT2H3H', /expected P/],
    ['PT2S1M', /expected P/],
    ['P1D2W', /expected P/],
    ['P99999999999999999999D', /too large/],
  ])('rejects invalid duration %j with a clear message', (input, message) => {
    expect(() => parseIsoDuration(input)).toThrow(message);
    expect(() => parseIsoDuration(input)).toThrow(/Invalid ISO 8601 duration/);
    expect(isValidIsoDuration(input)).toBe(false);
  });

  it('rejects non-string input without crashing isValidIsoDuration', () => {
    expect(isValidIsoDuration(undefined as unknown as string)).toBe(false);
    expect(() => parseIsoDuration(5 as unknown as string)).toThrow(/expected a string/);
  });
});

describe('localDateOf', () => {
  it('uses the calendar offset: 2026-06-18T16:30Z is already 2026-06-19 in +08', () => {
    expect(localDateOf(cn, at('2026-06-18T16:30:00Z'))).toBe('2026-06-19');
  });

  it('2026-06-18T15:59:59.999Z is still 2026-06-18 in +08 and 16:00Z is the next day', () => {
    expect(localDateOf(cn, at('2026-06-18T15:59:59.999Z'))).toBe('2026-06-18');
    expect(localDateOf(cn, at('2026-06-18T16:00:00Z'))).toBe('2026-06-19');
  });

  it('handles negative and zero offsets and pre-epoch instants', () => {
    const utc: CalendarData = { ...wk, name: 'utc', utcOffsetMinutes: 0 };
    const ny: CalendarData = { ...wk, name: 'minus5', utcOffsetMinutes: -300 };
    expect(localDateOf(utc, at('2026-06-18T23:59:59Z'))).toBe('2026-06-18');
    expect(localDateOf(ny, at('2026-06-19T03:00:00Z'))).toBe('2026-06-18');
    expect(localDateOf(utc, 0)).toBe('1970-01-01');
    expect(localDateOf(utc, -1)).toBe('1969-12-31');
    expect(localDateOf(utc, at('2024-02-29T12:00:00Z'))).toBe('2024-02-29');
    expect(localDateOf(utc, at('2000-03-01T00:00:00Z'))).toBe('2000-03-01');
  });

  it('agrees with Date for every day of 2026 at +08', () => {
    for (let ms = at('2026-01-01T00:00+08:00'); ms < at('2027-01-01T00:00+08:00'); ms += D) {
      const expected = new Date(ms + 8 * H).toISOString().slice(0, 10);
      expect(localDateOf(cn, ms)).toBe(expected);
      expect(localDateOf(cn, ms + D - 1)).toBe(expected);
    }
  });

  it('rejects non-finite instants', () => {
    expect(() => localDateOf(cn, NaN)).toThrow(/finite/);
    expect(() => localDateOf(cn, Infinity)).toThrow(/finite/);
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-01-01', 'New Year (Thu)'],
    ['2026-01-02', 'New Year (Fri)'],
    ['2026-02-16', 'Spring Festival (Mon)'],
    ['2026-02-23', 'Spring Festival last day (Mon)'],
    ['2026-04-06', 'Qingming (Mon)'],
    ['2026-05-01', 'Labour Day (Fri)'],
    ['2026-05-05', 'Labour Day (Tue)'],
    ['2026-06-19', 'Dragon Boat (Fri)'],
    ['2026-09-25', 'Mid-Autumn (Fri)'],
    ['2026-10-01', 'National Day (Thu)'],
    ['2026-10-07', 'National Day (Wed)'],
  ])('public holiday %s (%s) is not a working day in cn-2026 but is in weekdays', (date) => {
    expect(isWorkingDay(cn, date)).toBe(false);
    expect(isWorkingDay(wk, date)).toBe(true);
  });

  it.each([
    ['2026-01-04', 'Sun'],
    ['2026-02-14', 'Sat'],
    ['2026-02-28', 'Sat'],
    ['2026-05-09', 'Sat'],
    ['2026-09-20', 'Sun'],
    ['2026-10-10', 'Sat'],
  ])('make-up day %s (%s) is a working day in cn-2026 but not in weekdays', (date) => {
    expect(isWorkingDay(cn, date)).toBe(true);
    expect(isWorkingDay(wk, date)).toBe(false);
  });

  it('ordinary weekdays are working and ordinary weekends are not', () => {
    for (const cal of [cn, wk]) {
      expect(isWorkingDay(cal, '2026-06-18')).toBe(true); // Thu
      expect(isWorkingDay(cal, '2026-06-22')).toBe(true); // Mon
      expect(isWorkingDay(cal, '2026-06-13')).toBe(false); // Sat
      expect(isWorkingDay(cal, '2026-06-14')).toBe(false); // Sun
    }
  });

  it('outside 2026 cn-2026 falls back to the plain weekend rule', () => {
    expect(isWorkingDay(cn, '2027-01-01')).toBe(true); // Fri, no 2027 data
    expect(isWorkingDay(cn, '2025-12-27')).toBe(false); // Sat
  });

  it('a date listed both as holiday and workday is treated as a holiday', () => {
    const odd: CalendarData = { ...wk, name: 'odd', holidays: ['2026-06-13'], workdays: ['2026-06-13'] };
    expect(isWorkingDay(odd, '2026-06-13')).toBe(false);
  });

  it('respects a custom weekend (e.g. Friday only)', () => {
    const fri: CalendarData = { ...wk, name: 'fri', weekend: [5] };
    expect(isWorkingDay(fri, '2026-06-19')).toBe(false);
    expect(isWorkingDay(fri, '2026-06-20')).toBe(true);
  });

  it.each(['2026-02-30', '2026-13-01', '2026-00-10', '2026-6-1', '20260601', '2026-06-01T00:00', ''])(
    'rejects invalid local date %j',
    (date) => {
      expect(() => isWorkingDay(cn, date)).toThrow(/Invalid local date/);
    },
  );

  it('cn-2026 has 248 working days in 2026, weekdays has 261', () => {
    const count = (cal: CalendarData) => {
      let n = 0;
      for (let ms = at('2026-01-01T12:00+08:00'); ms < at('2027-01-01T00:00+08:00'); ms += D) {
        if (isWorkingDay(cal, localDateOf(cal, ms))) n++;
      }
      return n;
    };
    expect(count(wk)).toBe(261);
    expect(count(cn)).toBe(248);
  });
});

describe('addWorkingDays', () => {
  it('n = 0 returns the instant unchanged, even on a holiday', () => {
    const t = at('2026-06-20T10:00+08:00');
    expect(addWorkingDays(cn, t, 0)).toBe(t);
  });

  it('skips the weekend: Fri + 1 = Mon, same time of day', () => {
    expect(local8(addWorkingDays(wk, at('2026-06-12T17:30+08:00'), 1))).toBe('2026-06-15T17:30+08:00');
  });

  it('starts counting from the next day when starting on a weekend: Sat + 1 = Mon, Sun + 1 = Mon', () => {
    expect(local8(addWorkingDays(wk, at('2026-06-13T09:15+08:00'), 1))).toBe('2026-06-15T09:15+08:00');
    expect(local8(addWorkingDays(wk, at('2026-06-14T09:15+08:00'), 1))).toBe('2026-06-15T09:15+08:00');
  });

  it('Mon + 5 = next Mon; Wed + 10 = Wed two weeks later', () => {
    expect(local8(addWorkingDays(wk, at('2026-06-08T10:00+08:00'), 5))).toBe('2026-06-15T10:00+08:00');
    expect(local8(addWorkingDays(wk, at('2026-06-10T10:00+08:00'), 10))).toBe('2026-06-24T10:00+08:00');
  });

  it('crosses the Dragon Boat Festival: Thu 2026-06-18 10:00 + 2 = Tue 2026-06-23 10:00 (cn-2026)', () => {
    const t = at('2026-06-18T10:00+08:00');
    expect(addWorkingDays(cn, t, 2)).toBe(at('2026-06-23T10:00+08:00'));
    expect(addWorkingDays(wk, t, 2)).toBe(at('2026-06-22T10:00+08:00'));
  });

  it('counts a make-up Saturday: Fri 2026-05-08 + 1 = Sat 05-09 in cn-2026, Mon 05-11 in weekdays', () => {
    const t = at('2026-05-08T14:00+08:00');
    expect(local8(addWorkingDays(cn, t, 1))).toBe('2026-05-09T14:00+08:00');
    expect(local8(addWorkingDays(wk, t, 1))).toBe('2026-05-11T14:00+08:00');
  });

  it('spans Labour Day (May 1–5 off, May 9 make-up): Thu 04-30 + 1..5', () => {
    const t = at('2026-04-30T09:00+08:00');
    expect(local8(addWorkingDays(cn, t, 1))).toBe('2026-05-06T09:00+08:00');
    expect(local8(addWorkingDays(cn, t, 3))).toBe('2026-05-08T09:00+08:00');
    expect(local8(addWorkingDays(cn, t, 4))).toBe('2026-05-09T09:00+08:00');
    expect(local8(addWorkingDays(cn, t, 5))).toBe('2026-05-11T09:00+08:00');
  });

  it('spans the Spring Festival (Feb 15–23 off, Feb 14 and 28 make-up)', () => {
    const t = at('2026-02-13T11:00+08:00'); // Fri
    expect(local8(addWorkingDays(cn, t, 1))).toBe('2026-02-14T11:00+08:00'); // make-up Sat
    expect(local8(addWorkingDays(cn, t, 2))).toBe('2026-02-24T11:00+08:00'); // Tue after 9 days off
    expect(local8(addWorkingDays(cn, t, 6))).toBe('2026-02-28T11:00+08:00'); // make-up Sat
    expect(local8(addWorkingDays(cn, t, 7))).toBe('2026-03-02T11:00+08:00'); // Mon
    expect(local8(addWorkingDays(cn, at('2026-02-15T08:00+08:00'), 1))).toBe('2026-02-24T08:00+08:00');
  });

  it('spans New Year and National Day with their make-up Sundays/Saturdays', () => {
    expect(local8(addWorkingDays(cn, at('2025-12-31T10:00+08:00'), 1))).toBe('2026-01-04T10:00+08:00');
    expect(local8(addWorkingDays(cn, at('2026-09-30T10:00+08:00'), 1))).toBe('2026-10-08T10:00+08:00');
    expect(local8(addWorkingDays(cn, at('2026-10-09T10:00+08:00'), 1))).toBe('2026-10-10T10:00+08:00');
    expect(local8(addWorkingDays(cn, at('2026-09-18T10:00+08:00'), 1))).toBe('2026-09-20T10:00+08:00');
  });

  it('uses the local day, not the UTC day: 2026-06-18T16:30Z (Fri 00:30 local, holiday) + 1 = Mon 00:30 local', () => {
    const t = at('2026-06-18T16:30:00Z');
    expect(addWorkingDays(cn, t, 1)).toBe(at('2026-06-22T00:30+08:00'));
    expect(addWorkingDays(cn, t, 1)).toBe(at('2026-06-21T16:30:00Z'));
  });

  it('negative n steps backwards symmetrically', () => {
    expect(local8(addWorkingDays(wk, at('2026-06-15T10:00+08:00'), -1))).toBe('2026-06-12T10:00+08:00'); // Mon-1=Fri
    expect(local8(addWorkingDays(wk, at('2026-06-14T10:00+08:00'), -1))).toBe('2026-06-12T10:00+08:00'); // Sun-1=Fri
    expect(local8(addWorkingDays(wk, at('2026-06-13T10:00+08:00'), -1))).toBe('2026-06-12T10:00+08:00'); // Sat-1=Fri
    expect(local8(addWorkingDays(cn, at('2026-06-23T10:00+08:00'), -2))).toBe('2026-06-18T10:00+08:00');
    expect(local8(addWorkingDays(cn, at('2026-05-11T10:00+08:00'), -1))).toBe('2026-05-09T10:00+08:00');
    expect(local8(addWorkingDays(cn, at('2026-02-24T10:00+08:00'), -1))).toBe('2026-02-14T10:00+08:00');
  });

  it('is the inverse of itself when starting from a working day', () => {
    for (let day = 0; day < 365; day++) {
      const t = at('2026-01-01T09:30+08:00') + day * D;
      if (!isWorkingDay(cn, localDateOf(cn, t))) continue;
      for (const n of [1, 2, 3, 7, 20]) {
        expect(addWorkingDays(cn, addWorkingDays(cn, t, n), -n)).toBe(t);
      }
    }
  });

  it('result always lands on a working day at the same local time of day', () => {
    for (let day = 0; day < 365; day += 3) {
      const t = at('2026-01-01T13:45+08:00') + day * D;
      for (const n of [1, 4, -1, -4]) {
        const r = addWorkingDays(cn, t, n);
        expect(isWorkingDay(cn, localDateOf(cn, r))).toBe(true);
        expect(Math.abs((r - t) % D)).toBe(0);
      }
    }
  });

  it('rejects non-integer day counts and non-finite instants', () => {
    expect(() => addWorkingDays(cn, at('2026-06-18T10:00+08:00'), 1.5)).toThrow(/integer/);
    expect(() => addWorkingDays(cn, NaN, 1)).toThrow(/finite/);
  });

  it('throws instead of looping forever when a calendar has no working days', () => {
    const never: CalendarData = { ...wk, name: 'never', weekend: [0, 1, 2, 3, 4, 5, 6] };
    expect(() => addWorkingDays(never, at('2026-06-18T10:00+08:00'), 1)).toThrow(/no working day/);
  });
});

describe('addDuration', () => {
  it('working mode: day part in working days, then time part as elapsed time', () => {
    // Fri 17:00 + 1 working day = Mon 17:00, + 2h = Mon 19:00 (not Tue).
    expect(local8(addDuration(wk, at('2026-06-12T17:00+08:00'), 'P1DT2H', 'working'))).toBe(
      '2026-06-15T19:00+08:00',
    );
  });

  it('working mode: a pure time part is plain elapsed time, even into a weekend', () => {
    expect(local8(addDuration(wk, at('2026-06-12T23:00+08:00'), 'PT2H', 'working'))).toBe(
      '2026-06-13T01:00+08:00',
    );
    expect(addDuration(wk, at('2026-06-12T23:00+08:00'), 'PT30.5S', 'working')).toBe(
      at('2026-06-12T23:00:30.500+08:00'),
    );
  });

  it('working mode across Dragon Boat: Thu 06-18 10:00 + P2D = Tue 06-23 10:00', () => {
    expect(addDuration(cn, at('2026-06-18T10:00+08:00'), 'P2D', 'working')).toBe(
      at('2026-06-23T10:00+08:00'),
    );
  });

  it('working mode: weeks are 7 working days', () => {
    expect(local8(addDuration(wk, at('2026-06-08T10:00+08:00'), 'P1W', 'working'))).toBe(
      '2026-06-17T10:00+08:00',
    );
  });

  it('calendar mode: plain elapsed time, holidays and weekends ignored', () => {
    const t = at('2026-06-18T10:00+08:00');
    expect(addDuration(cn, t, 'P2D', 'calendar')).toBe(t + 2 * D);
    expect(addDuration(cn, t, 'P1W', 'calendar')).toBe(t + 7 * D);
    expect(addDuration(cn, t, 'P1DT2H30M15.25S', 'calendar')).toBe(t + D + 2 * H + 30 * 60_000 + 15_250);
    expect(local8(addDuration(cn, t, 'PT72H', 'calendar'))).toBe('2026-06-21T10:00+08:00');
  });

  it('P0D returns the same instant in both modes', () => {
    const t = at('2026-06-20T10:00+08:00');
    expect(addDuration(cn, t, 'P0D', 'working')).toBe(t);
    expect(addDuration(cn, t, 'PT0S', 'calendar')).toBe(t);
  });

  it('throws on invalid durations and modes', () => {
    const t = at('2026-06-18T10:00+08:00');
    expect(() => addDuration(cn, t, 'P1M', 'working')).toThrow(/months/);
    expect(() => addDuration(cn, t, 'P1D', 'business' as never)).toThrow(/Invalid duration mode/);
  });
});

describe('subtractDuration', () => {
  it('places a reminder 1 working day before a due date across a holiday', () => {
    // Due Tue 06-23 10:00 -> reminder Mon 06-22; due Mon 06-22 -> reminder Thu 06-18.
    expect(local8(subtractDuration(cn, at('2026-06-23T10:00+08:00'), 'P1D', 'working'))).toBe(
      '2026-06-22T10:00+08:00',
    );
    expect(local8(subtractDuration(cn, at('2026-06-22T10:00+08:00'), 'P1D', 'working'))).toBe(
      '2026-06-18T10:00+08:00',
    );
  });

  it('working mode: working days backwards first, then the time part subtracted', () => {
    // Mon 01:00 - 1 working day = Fri 01:00, - 2h = Thu 23:00.
    expect(local8(subtractDuration(wk, at('2026-06-15T01:00+08:00'), 'P1DT2H', 'working'))).toBe(
      '2026-06-11T23:00+08:00',
    );
  });

  it('mirrors addDuration in working mode when starting on a working day', () => {
    const t = at('2026-04-30T09:00+08:00');
    for (const d of ['P1D', 'P3D', 'P5D', 'P2W']) {
      expect(subtractDuration(cn, addDuration(cn, t, d, 'working'), d, 'working')).toBe(t);
    }
  });

  it('calendar mode: plain elapsed time', () => {
    const t = at('2026-06-23T10:00+08:00');
    expect(subtractDuration(cn, t, 'P1DT2H', 'calendar')).toBe(t - D - 2 * H);
    expect(subtractDuration(cn, t, 'PT0.5S', 'calendar')).toBe(t - 500);
  });
});

describe('workingDaysBetween', () => {
  const due = at('2026-06-12T10:00+08:00'); // Fri

  it('is 0 when to <= from', () => {
    expect(workingDaysBetween(cn, due, due)).toBe(0);
    expect(workingDaysBetween(cn, due, due - D * 10)).toBe(0);
  });

  it('counts only whole working days: Fri 10:00 -> Mon 09:59 is 0, Mon 10:00 is 1', () => {
    expect(workingDaysBetween(cn, due, at('2026-06-15T09:59+08:00'))).toBe(0);
    expect(workingDaysBetween(cn, due, at('2026-06-15T10:00+08:00'))).toBe(1);
    expect(workingDaysBetween(cn, due, at('2026-06-13T23:00+08:00'))).toBe(0);
  });

  it('skips the Dragon Boat holiday when counting days overdue', () => {
    expect(workingDaysBetween(cn, due, at('2026-06-18T10:00+08:00'))).toBe(4);
    expect(workingDaysBetween(cn, due, at('2026-06-21T23:59+08:00'))).toBe(4);
    expect(workingDaysBetween(cn, due, at('2026-06-23T10:00+08:00'))).toBe(6);
    expect(workingDaysBetween(wk, due, at('2026-06-23T10:00+08:00'))).toBe(7);
  });

  it('counts make-up days: Thu 04-30 -> Mon 05-11 is 5 working days in cn-2026', () => {
    expect(workingDaysBetween(cn, at('2026-04-30T09:00+08:00'), at('2026-05-11T09:00+08:00'))).toBe(5);
    expect(workingDaysBetween(wk, at('2026-04-30T09:00+08:00'), at('2026-05-11T09:00+08:00'))).toBe(7);
  });

  it('is consistent with addWorkingDays: between(t, add(t, n)) = n and 1 ms earlier is n - 1', () => {
    for (const start of ['2026-02-13T11:00+08:00', '2026-06-18T10:00+08:00', '2026-06-20T08:00+08:00']) {
      const t = at(start);
      for (let n = 1; n <= 30; n++) {
        const r = addWorkingDays(cn, t, n);
        expect(workingDaysBetween(cn, t, r)).toBe(n);
        expect(workingDaysBetween(cn, t, r - 1)).toBe(n - 1);
      }
    }
  });

  it('counts all 248 working days of 2026 in cn-2026', () => {
    expect(workingDaysBetween(cn, at('2025-12-31T00:00+08:00'), at('2026-12-31T00:00+08:00'))).toBe(248);
  });
});

describe('calendar data', () => {
  const DATE = /^\d{4}-\d{2}-\d{2}$/;

  it('exposes the known calendars by name', () => {
    expect(Object.keys(calendars).sort()).toEqual(['cn-2026', 'weekdays']);
    expect(getCalendar('weekdays')).toBe(calendars['weekdays']);
  });

  it('getCalendar throws listing the known names', () => {
    expect(() => getCalendar('cn-2099')).toThrow(/Unknown calendar "cn-2099".*cn-2026, weekdays/);
    expect(() => getCalendar('toString')).toThrow(/Unknown calendar/);
  });

  it('weekdays has no holidays, weekend [0,6], offset 480', () => {
    expect(wk).toMatchObject({
      name: 'weekdays',
      utcOffsetMinutes: 480,
      weekend: [0, 6],
      holidays: [],
      workdays: [],
    });
  });

  it('cn-2026 documents its source and uses UTC+08:00', () => {
    expect(cn.source).toMatch(/国务院办公厅关于2026年部分节假日安排的通知/);
    expect(cn.utcOffsetMinutes).toBe(480);
    expect(cn.weekend).toEqual([0, 6]);
  });

  it('cn-2026 lists the 33 holiday dates of the 2026 State Council schedule', () => {
    expect(cn.holidays).toHaveLength(33);
    expect(cn.workdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });

  it.each(Object.values(calendars).map((c) => [c.name, c] as const))(
    '%s data is well-formed',
    (_name, cal) => {
      const all = [...cal.holidays, ...cal.workdays];
      for (const d of all) {
        expect(d).toMatch(DATE);
        expect(() => isWorkingDay(cal, d)).not.toThrow();
      }
      expect(new Set(cal.holidays).size).toBe(cal.holidays.length);
      expect(new Set(cal.workdays).size).toBe(cal.workdays.length);
      expect([...cal.holidays].sort()).toEqual(cal.holidays);
      expect(cal.holidays.filter((d) => cal.workdays.includes(d))).toEqual([]);
      // Make-up workdays only make sense on weekend days.
      for (const d of cal.workdays) {
        const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
        expect(cal.weekend).toContain(dow);
      }
    },
  );

  it('calendars are frozen so shared module state cannot be mutated', () => {
    expect(Object.isFrozen(cn)).toBe(true);
    expect(Object.isFrozen(cn.holidays)).toBe(true);
    expect(() => (cn.holidays as string[]).push('2026-06-22')).toThrow();
  });
});

describe('purity of src/calendar.ts (safe for Temporal workflow code)', () => {
  // Strip comments so the module's own documentation does not trip the checks.
  const source = readFileSync(join(__dirname, '../../src/calendar.ts'), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');

  it('has no runtime imports or requires', () => {
    const imports = source
      .split('\n')
      .filter((l) => /^\s*import\s/.test(l) && !/^\s*import\s+type\s/.test(l));
    expect(imports).toEqual([]);
    expect(source).not.toMatch(/\brequire\s*\(/);
  });

  it('does not use the clock, Date objects, Intl or randomness', () => {
    expect(source).not.toMatch(/\bDate\b|\bIntl\b|Math\.random|\bprocess\./);
  });
});
