/**
 * Registry of the bundled working-day calendars.
 *
 * The JSON files are imported statically (no fs access), so this module is
 * safe to import from Temporal workflow code as well as from normal code.
 */
import type { CalendarData } from '../calendar';
import cn2026Json from './cn-2026.json';
import weekdaysJson from './weekdays.json';

function freezeCalendar(data: CalendarData): CalendarData {
  return Object.freeze({
    ...data,
    weekend: Object.freeze([...data.weekend]) as number[],
    holidays: Object.freeze([...data.holidays]) as string[],
    workdays: Object.freeze([...data.workdays]) as string[],
  });
}

const list: CalendarData[] = [cn2026Json, weekdaysJson].map(freezeCalendar);

export const calendars: Record<string, CalendarData> = Object.freeze(
  Object.fromEntries(list.map((c) => [c.name, c])),
);

/** Returns the calendar named `name`; throws listing the known names otherwise. */
export function getCalendar(name: string): CalendarData {
  const cal = Object.prototype.hasOwnProperty.call(calendars, name) ? calendars[name] : undefined;
  if (!cal) {
    throw new Error(
      `Unknown calendar "${name}"; known calendars: ${Object.keys(calendars).sort().join(', ')}`,
    );
  }
  return cal;
}
