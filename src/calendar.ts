/**
 * Pure, deterministic deadline arithmetic over working-day calendars.
 *
 * Safe for Temporal workflow code: no imports, no Node built-ins, no Date
 * objects, no Date.now(), no Intl / timezone database. Local dates are
 * computed with the calendar's fixed UTC offset (`utcOffsetMinutes`), so a
 * local day is always exactly 24 hours long (no DST).
 *
 * Instants are epoch milliseconds (UTC). Local dates are 'YYYY-MM-DD' strings.
 */

export interface CalendarData {
  /** e.g. 'cn-2026', 'weekdays' */
  name: string;
  /** Where the holiday data comes from (free text). */
  source?: string;
  /** Fixed offset from UTC in minutes; 480 for China (UTC+08:00). */
  utcOffsetMinutes: number;
  /** Days of week off, 0=Sunday..6=Saturday; usually [0, 6]. */
  weekend: number[];
  /** 'YYYY-MM-DD' public holidays (days off even if a weekday). */
  holidays: string[];
  /** 'YYYY-MM-DD' make-up working days (调休: weekend days declared working). */
  workdays: string[];
}

/**
 * 'calendar': plain elapsed time (a day is 24h).
 * 'working': the day part counts working days; the time part (H/M/S) is then
 * added as elapsed time.
 */
export type DurationMode = 'working' | 'calendar';

/** Parsed ISO 8601 duration. Weeks are folded into days (W = 7 days). */
export interface IsoDuration {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
  milliseconds: number;
}

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;

/**
 * Upper bound on consecutive non-working days before we conclude that the
 * calendar has no working days at all (guards against infinite loops).
 */
const MAX_CONSECUTIVE_DAYS_OFF = 366;

/** Largest instant representable by ECMAScript Date (±8.64e15 ms). */
const MAX_INSTANT_MS = 8.64e15;

// ---------------------------------------------------------------------------
// ISO 8601 durations
// ---------------------------------------------------------------------------

/**
 * Accepted grammar (uppercase designators, no sign, no whitespace):
 *   P[nW][nD][T[nH][nM][n[.fff]S]]
 * - at least one component is required ('P', 'PT' are invalid);
 * - 'T' must be followed by at least one time component;
 * - W and D may be combined (lenient; W is folded into days as 7 days);
 * - only seconds may carry a fraction, with at most 3 digits ('.' or ','),
 *   i.e. millisecond precision;
 * - years and months are rejected: their length is ambiguous for deadlines.
 */
const DURATION_RE =
  /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d{1,3}))?S)?)?$/;

function toSafeInt(digits: string | undefined, input: string): number {
  if (digits === undefined) return 0;
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) {
    throw new Error(`Invalid ISO 8601 duration "${input}": component ${digits} is too large`);
  }
  return n;
}

/**
 * Parses an ISO 8601 duration such as 'P5D', 'PT30S', 'P1DT2H', 'PT0.5S',
 * 'P2W'. Throws an Error with a descriptive message on invalid input.
 */
export function parseIsoDuration(s: string): IsoDuration {
  if (typeof s !== 'string') {
    throw new Error(`Invalid ISO 8601 duration: expected a string, got ${typeof s}`);
  }
  if (s === '') {
    throw new Error('Invalid ISO 8601 duration "": empty string');
  }
  if (s.startsWith('-') || s.startsWith('+')) {
    throw new Error(`Invalid ISO 8601 duration "${s}": signed/negative durations are not supported`);
  }
  const m = DURATION_RE.exec(s);
  if (!m) {
    const tIdx = s.indexOf('T');
    const datePart = tIdx === -1 ? s : s.slice(0, tIdx);
    if (/^P.*\d[Y]/.test(datePart) || /^P.*\dM/.test(datePart)) {
      throw new Error(
        `Invalid ISO 8601 duration "${s}": years (Y) and months (M before T) are not supported ` +
          'because their length is ambiguous; use days (D) or weeks (W)',
      );
    }
    if (s === 'P' || s === 'PT') {
      throw new Error(`Invalid ISO 8601 duration "${s}": at least one component is required`);
    }
    throw new Error(
      `Invalid ISO 8601 duration "${s}": expected P[nW][nD][T[nH][nM][n[.fff]S]], e.g. 'P5D', 'PT2H', 'P1DT30M'`,
    );
  }
  const [, w, d, h, min, sec, frac] = m;
  if (w === undefined && d === undefined && h === undefined && min === undefined && sec === undefined) {
    throw new Error(`Invalid ISO 8601 duration "${s}": at least one component is required`);
  }
  const days = toSafeInt(w, s) * 7 + toSafeInt(d, s);
  if (!Number.isSafeInteger(days)) {
    throw new Error(`Invalid ISO 8601 duration "${s}": too many days`);
  }
  return {
    days,
    hours: toSafeInt(h, s),
    minutes: toSafeInt(min, s),
    seconds: toSafeInt(sec, s),
    milliseconds: frac === undefined ? 0 : Number(frac.padEnd(3, '0')),
  };
}

/** True iff `parseIsoDuration(s)` would succeed. */
export function isValidIsoDuration(s: string): boolean {
  try {
    parseIsoDuration(s);
    return true;
  } catch {
    return false;
  }
}

/** Elapsed-time part (H/M/S/ms) of a duration, in milliseconds. */
function timePartMs(d: IsoDuration): number {
  return d.hours * MS_PER_HOUR + d.minutes * MS_PER_MINUTE + d.seconds * MS_PER_SECOND + d.milliseconds;
}

// ---------------------------------------------------------------------------
// Civil date helpers (proleptic Gregorian, H. Hinnant's algorithms)
// ---------------------------------------------------------------------------

/** Days since 1970-01-01 for a civil date. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date for a number of days since 1970-01-01. */
function civilFromDays(z: number): { y: number; m: number; d: number } {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: era * 400 + yoe + (m <= 2 ? 1 : 0), m, d };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatDays(days: number): string {
  const { y, m, d } = civilFromDays(days);
  if (y < 0 || y > 9999) {
    throw new Error(`Local date out of supported range (year ${y})`);
  }
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** Parses 'YYYY-MM-DD' (strictly validated) into days since 1970-01-01. */
function parseLocalDate(localDate: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  if (!m) {
    throw new Error(`Invalid local date "${localDate}": expected YYYY-MM-DD`);
  }
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const days = daysFromCivil(y, mo, d);
  const back = civilFromDays(days);
  if (mo < 1 || mo > 12 || d < 1 || back.y !== y || back.m !== mo || back.d !== d) {
    throw new Error(`Invalid local date "${localDate}": no such calendar day`);
  }
  return days;
}

/** 0=Sunday..6=Saturday for days since 1970-01-01 (a Thursday). */
function dayOfWeek(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

function assertInstant(ms: number, what: string): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > MAX_INSTANT_MS) {
    throw new Error(`Invalid ${what}: ${String(ms)} is not a finite epoch-millisecond instant`);
  }
}

function assertOffset(cal: CalendarData): void {
  if (!Number.isInteger(cal.utcOffsetMinutes) || Math.abs(cal.utcOffsetMinutes) > 18 * 60) {
    throw new Error(`Calendar "${cal.name}" has an invalid utcOffsetMinutes: ${cal.utcOffsetMinutes}`);
  }
}

/** Local day number (days since 1970-01-01) of an instant at the calendar's offset. */
function localDayNumber(cal: CalendarData, instantMs: number): number {
  assertOffset(cal);
  return Math.floor((instantMs + cal.utcOffsetMinutes * MS_PER_MINUTE) / MS_PER_DAY);
}

// ---------------------------------------------------------------------------
// Calendar queries
// ---------------------------------------------------------------------------

/** 'YYYY-MM-DD' of `instantMs` in the calendar's fixed UTC offset. */
export function localDateOf(cal: CalendarData, instantMs: number): string {
  assertInstant(instantMs, 'instant');
  return formatDays(localDayNumber(cal, instantMs));
}

function isWorkingDayNumber(cal: CalendarData, days: number): boolean {
  const iso = formatDays(days);
  // A date listed as both holiday and make-up workday is contradictory data;
  // the holiday wins (the later deadline is the safe one for the unit).
  if (cal.holidays.includes(iso)) return false;
  if (cal.workdays.includes(iso)) return true;
  return !cal.weekend.includes(dayOfWeek(days));
}

/**
 * Whether `localDate` ('YYYY-MM-DD') is a working day: holidays are off even
 * on weekdays; make-up workdays are working even on weekends; otherwise every
 * day not in `weekend` is working.
 */
export function isWorkingDay(cal: CalendarData, localDate: string): boolean {
  return isWorkingDayNumber(cal, parseLocalDate(localDate));
}

// ---------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------

function assertResult(ms: number): number {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_INSTANT_MS) {
    throw new Error(`Resulting instant ${String(ms)} is out of range`);
  }
  return ms;
}

/**
 * Adds `days` working days to `instantMs`, keeping its local time of day.
 *
 * n > 0: step forward one local day at a time and count only working days
 * until n are counted. The start day itself is never counted, even when it is
 * a non-working day (Saturday + 1 = Monday, Friday + 1 = Monday, same time).
 * n < 0: the mirror, stepping backwards (Monday - 1 = Friday).
 * n = 0: returns `instantMs` unchanged.
 */
export function addWorkingDays(cal: CalendarData, instantMs: number, days: number): number {
  assertInstant(instantMs, 'instant');
  if (!Number.isSafeInteger(days)) {
    throw new Error(`Invalid working-day count: ${String(days)} is not an integer`);
  }
  if (days === 0) return instantMs;
  const step = days > 0 ? 1 : -1;
  let remaining = Math.abs(days);
  let day = localDayNumber(cal, instantMs);
  let offsetDays = 0;
  let consecutiveOff = 0;
  while (remaining > 0) {
    day += step;
    offsetDays += step;
    if (isWorkingDayNumber(cal, day)) {
      remaining--;
      consecutiveOff = 0;
    } else if (++consecutiveOff > MAX_CONSECUTIVE_DAYS_OFF) {
      throw new Error(
        `Calendar "${cal.name}" has no working day within ${MAX_CONSECUTIVE_DAYS_OFF} consecutive days`,
      );
    }
  }
  // Fixed offset => every local day is exactly 24h, so time of day is kept.
  return assertResult(instantMs + offsetDays * MS_PER_DAY);
}

/**
 * Adds an ISO 8601 duration to `instantMs`.
 * - 'calendar': plain elapsed time (days = 24h).
 * - 'working': addWorkingDays for the day part, then the time part (H/M/S)
 *   as elapsed time.
 */
export function addDuration(
  cal: CalendarData,
  instantMs: number,
  duration: string,
  mode: DurationMode,
): number {
  assertInstant(instantMs, 'instant');
  const d = parseIsoDuration(duration);
  switch (mode) {
    case 'calendar':
      return assertResult(instantMs + d.days * MS_PER_DAY + timePartMs(d));
    case 'working':
      return assertResult(addWorkingDays(cal, instantMs, d.days) + timePartMs(d));
    default:
      throw new Error(`Invalid duration mode: ${String(mode)}`);
  }
}

/**
 * Mirror of addDuration.
 * - 'calendar': plain elapsed time subtracted.
 * - 'working': working days stepped backwards first, then the time part
 *   subtracted as elapsed time.
 */
export function subtractDuration(
  cal: CalendarData,
  instantMs: number,
  duration: string,
  mode: DurationMode,
): number {
  assertInstant(instantMs, 'instant');
  const d = parseIsoDuration(duration);
  switch (mode) {
    case 'calendar':
      return assertResult(instantMs - d.days * MS_PER_DAY - timePartMs(d));
    case 'working':
      return assertResult(addWorkingDays(cal, instantMs, -d.days) - timePartMs(d));
    default:
      throw new Error(`Invalid duration mode: ${String(mode)}`);
  }
}

/**
 * Whole working days elapsed from `fromMs` to `toMs` ("days overdue"):
 * the largest n >= 0 with addWorkingDays(cal, fromMs, n) <= toMs.
 * Returns 0 if toMs <= fromMs. E.g. due Fri 10:00: Mon 09:59 -> 0,
 * Mon 10:00 -> 1.
 */
export function workingDaysBetween(cal: CalendarData, fromMs: number, toMs: number): number {
  assertInstant(fromMs, 'from instant');
  assertInstant(toMs, 'to instant');
  if (toMs <= fromMs) return 0;
  const startDay = localDayNumber(cal, fromMs);
  // Number of whole local days k such that fromMs + k*24h <= toMs.
  const wholeDays = Math.floor((toMs - fromMs) / MS_PER_DAY);
  let count = 0;
  for (let k = 1; k <= wholeDays; k++) {
    if (isWorkingDayNumber(cal, startDay + k)) count++;
  }
  return count;
}
