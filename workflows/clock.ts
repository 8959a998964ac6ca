/**
 * The one deadline-clock mechanism (DESIGN "Deadline clocks"), as pure functions over plain data so
 * every workflow (clue, campaign unit) keeps its clocks in state and replays deterministically.
 *
 * A clock has a due time from a policy and a calendar, reminders before it, and an escalation
 * ladder after it (notice VI.1). Extension, pause and resume start a new "generation": reminder and
 * escalation keys include it, so a re-armed clock reminds again, and a replayed one never does twice.
 */
import {
  addDuration,
  isWorkingDay,
  localDateOf,
  subtractDuration,
  workingDaysBetween,
  type CalendarData,
} from '../src/calendar';
import type { Grade } from '../src/domain/enums';
import { tierDuration, type ResolvedPolicy, type TaskKind } from '../src/policy';

export type ClockStatus = 'open' | 'paused' | 'done' | 'cancelled';

export interface ClockChange {
  at: number;
  by: string;
  action:
    | 'opened'
    | 'extension_requested'
    | 'extended'
    | 'extension_rejected'
    | 'paused'
    | 'resumed'
    | 'completed'
    | 'cancelled'
    | 'retiered';
  reason?: string;
  dueAt?: number;
}

export interface PendingExtension {
  id: string;
  requestedBy: string;
  requestedAt: number;
  newDueAt: number;
  reason: string;
}

export interface Clock {
  id: string;
  task: TaskKind;
  /** The unit that must act (and is reminded, and is accountable). */
  unitId: string;
  label?: string;
  startedAt: number;
  dueAt: number;
  status: ClockStatus;
  generation: number;
  /** Start of the current generation: events scheduled before it are not sent. */
  generationStartedAt: number;
  pausedAt?: number;
  /** Keys of handled events, e.g. 'g0:r1', 'g0:L2'. */
  handled: string[];
  level: number;
  completedAt?: number;
  late: boolean;
  extensionSeq: number;
  pendingExtension?: PendingExtension;
  changes: ClockChange[];
}

export type ClockEvent =
  | { kind: 'reminder'; clockId: string; index: number; at: number; key: string }
  | { kind: 'escalation'; clockId: string; level: number; at: number; key: string };

export function isOpen(c: Clock): boolean {
  return c.status === 'open' || c.status === 'paused';
}

export function dueFromPolicy(policy: ResolvedPolicy, task: TaskKind, grade: Grade, from: number): number {
  return addDuration(policy.calendarData, from, tierDuration(policy, task, grade), policy.mode);
}

export function openClock(
  p: {
    id: string;
    task: TaskKind;
    unitId: string;
    label?: string;
    dueAt: number;
    by: string;
    reason?: string;
  },
  now: number,
): Clock {
  return {
    id: p.id,
    task: p.task,
    unitId: p.unitId,
    label: p.label,
    startedAt: now,
    dueAt: p.dueAt,
    status: 'open',
    generation: 0,
    generationStartedAt: now,
    handled: [],
    level: 0,
    late: false,
    extensionSeq: 0,
    changes: [{ at: now, by: p.by, action: 'opened', dueAt: p.dueAt, reason: p.reason }],
  };
}

/** Every reminder and escalation of the clock's current generation, in time order. */
export function scheduleOf(c: Clock, policy: ResolvedPolicy): ClockEvent[] {
  if (c.status !== 'open') return [];
  const cal = policy.calendarData;
  const g = `g${c.generation}`;
  const events: ClockEvent[] = [];
  policy.reminders.forEach((offset, index) => {
    const at = subtractDuration(cal, c.dueAt, offset, policy.mode);
    // A reminder that would fall before the clock (re)started is meaningless: skip it.
    if (at > c.generationStartedAt && at < c.dueAt) {
      events.push({ kind: 'reminder', clockId: c.id, index, at, key: `${g}:r${index}` });
    }
  });
  policy.escalation.forEach((offset, i) => {
    const at = addDuration(cal, c.dueAt, offset, policy.mode);
    events.push({ kind: 'escalation', clockId: c.id, level: i + 1, at, key: `${g}:L${i + 1}` });
  });
  return events.sort((a, b) => a.at - b.at);
}

export function pendingEvents(c: Clock, policy: ResolvedPolicy): ClockEvent[] {
  return scheduleOf(c, policy).filter((e) => !c.handled.includes(e.key));
}

/** Earliest unhandled event across clocks; undefined when nothing is scheduled. */
export function nextEventAt(clocks: Clock[], policy: ResolvedPolicy): number | undefined {
  let next: number | undefined;
  for (const c of clocks) {
    const e = pendingEvents(c, policy)[0];
    if (e && (next === undefined || e.at < next)) next = e.at;
  }
  return next;
}

/**
 * The events to act on at `now`, at most one per clock, in time order (then clock id).
 *
 * When several events of a clock are due at once (a worker was down, a re-grade or a resume moved the
 * due time into the past), only the latest is acted on: a reminder is moot once the clock is overdue,
 * and the ladder reports the level reached, not every rung on the way. `markHandled` then retires the
 * superseded ones, so they are never sent later either.
 */
export function dueEventsAt(clocks: Clock[], policy: ResolvedPolicy, now: number): ClockEvent[] {
  const out: ClockEvent[] = [];
  for (const c of clocks) {
    const due = pendingEvents(c, policy).filter((e) => e.at <= now);
    const last = due[due.length - 1];
    if (last) out.push(last);
  }
  return out.sort((a, b) => a.at - b.at || (a.clockId < b.clockId ? -1 : a.clockId > b.clockId ? 1 : 0));
}

/**
 * Records that `e` was acted on. With the policy given, every event of the same generation scheduled
 * at or before it is retired too (see `dueEventsAt`).
 */
export function markHandled(c: Clock, e: ClockEvent, policy?: ResolvedPolicy): void {
  const keys = policy
    ? scheduleOf(c, policy)
        .filter((x) => x.at <= e.at)
        .map((x) => x.key)
    : [];
  for (const k of [...keys, e.key]) if (!c.handled.includes(k)) c.handled.push(k);
  if (e.kind === 'escalation' && e.level > c.level) c.level = e.level;
}

export function completeClock(c: Clock, now: number, by: string, reason?: string): void {
  if (!isOpen(c)) return;
  c.status = 'done';
  c.completedAt = now;
  c.late = now > c.dueAt;
  c.pendingExtension = undefined;
  c.changes.push({ at: now, by, action: 'completed', reason });
}

export function cancelClock(c: Clock, now: number, by: string, reason: string): void {
  if (!isOpen(c)) return;
  c.status = 'cancelled';
  c.completedAt = now;
  c.pendingExtension = undefined;
  c.changes.push({ at: now, by, action: 'cancelled', reason });
}

export function requestExtension(
  c: Clock,
  now: number,
  by: string,
  newDueAt: number,
  reason: string,
): PendingExtension {
  c.extensionSeq += 1;
  const ext = { id: `${c.id}-x${c.extensionSeq}`, requestedBy: by, requestedAt: now, newDueAt, reason };
  c.pendingExtension = ext;
  c.changes.push({ at: now, by, action: 'extension_requested', reason, dueAt: newDueAt });
  return ext;
}

function rearm(c: Clock, now: number, dueAt: number): void {
  c.dueAt = dueAt;
  c.generation += 1;
  c.generationStartedAt = now;
  c.level = 0;
}

export function decideExtension(c: Clock, now: number, by: string, approve: boolean, comment: string): void {
  const ext = c.pendingExtension;
  if (!ext) return;
  c.pendingExtension = undefined;
  if (approve) {
    rearm(c, now, ext.newDueAt);
    c.changes.push({ at: now, by, action: 'extended', reason: comment || ext.reason, dueAt: ext.newDueAt });
  } else {
    c.changes.push({ at: now, by, action: 'extension_rejected', reason: comment });
  }
}

export function pauseClock(c: Clock, now: number, by: string, reason: string): void {
  if (c.status !== 'open') return;
  c.status = 'paused';
  c.pausedAt = now;
  c.changes.push({ at: now, by, action: 'paused', reason });
}

/**
 * Resume gives back the time that was left when the clock was paused. In 'working' mode that is working
 * time (only hours on working days count, so a pause over a weekend costs the unit nothing and a clock
 * paused on Friday with one working day left is due one working day after the resumption); in 'calendar'
 * mode it is plain elapsed time. A clock paused while already overdue stays overdue by as much.
 * Without a policy, plain elapsed time is used.
 */
export function resumeClock(
  c: Clock,
  now: number,
  by: string,
  reason: string,
  policy?: ResolvedPolicy,
): void {
  if (c.status !== 'paused' || c.pausedAt === undefined) return;
  const pausedAt = c.pausedAt;
  let dueAt: number;
  if (pausedAt >= c.dueAt) dueAt = now - (pausedAt - c.dueAt);
  else if (policy && policy.mode === 'working') {
    dueAt = addWorkingMs(policy.calendarData, now, workingMsBetween(policy.calendarData, pausedAt, c.dueAt));
  } else dueAt = now + (c.dueAt - pausedAt);
  c.status = 'open';
  c.pausedAt = undefined;
  rearm(c, now, dueAt);
  c.changes.push({ at: now, by, action: 'resumed', reason, dueAt: c.dueAt });
}

/** Tasks whose due time is set by the plan or the monitoring offsets, not by the grade's tier. */
const UNTIERED: TaskKind[] = ['milestone', 'follow_up'];

/**
 * Re-tier after a re-grade: the due time becomes start + the new grade's tier. Time granted on top of
 * the old tier (an approved extension, time given back by a pause) is kept when `fromGrade` is given.
 * A paused clock gets the new due time and keeps waiting; an open one is re-armed, so the reminders
 * still ahead are sent, those already in the past are not, and if the new due time is already past
 * the level reached is escalated at once.
 */
export function retierClock(
  c: Clock,
  policy: ResolvedPolicy,
  grade: Grade,
  now: number,
  by: string,
  reason: string,
  fromGrade?: Grade,
): void {
  if (!isOpen(c) || UNTIERED.includes(c.task)) return;
  const credit =
    fromGrade === undefined
      ? 0
      : Math.max(0, c.dueAt - dueFromPolicy(policy, c.task, fromGrade, c.startedAt));
  const dueAt = dueFromPolicy(policy, c.task, grade, c.startedAt) + credit;
  if (dueAt === c.dueAt) return;
  if (c.status === 'paused') c.dueAt = dueAt;
  else rearm(c, now, dueAt);
  c.changes.push({ at: now, by, action: 'retiered', reason, dueAt });
}

const MS_PER_DAY = 86_400_000;

function dayIsWorking(cal: CalendarData, dayStartMs: number): boolean {
  return isWorkingDay(cal, localDateOf(cal, dayStartMs));
}

/** Start (epoch ms) of the local day containing `t`, in the calendar's fixed offset. */
function localDayStart(cal: CalendarData, t: number): number {
  const off = cal.utcOffsetMinutes * 60_000;
  return Math.floor((t + off) / MS_PER_DAY) * MS_PER_DAY - off;
}

/** Milliseconds between `from` and `to` that fall on working days of the calendar. */
export function workingMsBetween(cal: CalendarData, from: number, to: number): number {
  let total = 0;
  for (let day = localDayStart(cal, from); day < to; day += MS_PER_DAY) {
    if (!dayIsWorking(cal, day)) continue;
    total += Math.min(to, day + MS_PER_DAY) - Math.max(from, day);
  }
  return total;
}

/** The instant at which `ms` of working time has passed since `from` (non-working days do not count). */
export function addWorkingMs(cal: CalendarData, from: number, ms: number): number {
  if (ms <= 0) return from;
  let left = ms;
  let t = from;
  for (let day = localDayStart(cal, from), guard = 0; guard < 100_000; day += MS_PER_DAY, guard++) {
    if (!dayIsWorking(cal, day)) continue;
    const start = Math.max(t, day);
    const span = day + MS_PER_DAY - start;
    if (left <= span) return start + left;
    left -= span;
    t = day + MS_PER_DAY;
  }
  throw new Error(`calendar "${cal.name}" has no working time to add ${ms} ms to`);
}

export function daysOverdue(c: Clock, policy: ResolvedPolicy, now: number): number {
  return workingDaysBetween(policy.calendarData, c.dueAt, now);
}
