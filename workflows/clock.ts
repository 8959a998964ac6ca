/**
 * The one deadline-clock mechanism (DESIGN "Deadline clocks"), as pure functions over plain data so
 * every workflow (clue, campaign unit) keeps its clocks in state and replays deterministically.
 *
 * A clock has a due time from a policy and a calendar, reminders before it, and an escalation
 * ladder after it (notice VI.1). Extension, pause and resume start a new "generation": reminder and
 * escalation keys include it, so a re-armed clock reminds again, and a replayed one never does twice.
 */
import { addDuration, subtractDuration, workingDaysBetween } from '../src/calendar';
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
  p: { id: string; task: TaskKind; unitId: string; label?: string; dueAt: number; by: string; reason?: string },
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

/** Events due at `now`. Only the latest escalation level per clock is reported as "reached"; lower ones are marked too. */
export function dueEventsAt(clocks: Clock[], policy: ResolvedPolicy, now: number): ClockEvent[] {
  return clocks.flatMap((c) => pendingEvents(c, policy).filter((e) => e.at <= now));
}

export function markHandled(c: Clock, e: ClockEvent): void {
  if (!c.handled.includes(e.key)) c.handled.push(e.key);
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

export function requestExtension(c: Clock, now: number, by: string, newDueAt: number, reason: string): PendingExtension {
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

/** Resume keeps the time that was left when the clock was paused. */
export function resumeClock(c: Clock, now: number, by: string, reason: string): void {
  if (c.status !== 'paused' || c.pausedAt === undefined) return;
  const remaining = c.dueAt - c.pausedAt;
  c.status = 'open';
  c.pausedAt = undefined;
  rearm(c, now, now + remaining);
  c.changes.push({ at: now, by, action: 'resumed', reason, dueAt: c.dueAt });
}

/** Re-tier after a re-grade: the clock keeps its start, its due time follows the new tier. */
export function retierClock(c: Clock, policy: ResolvedPolicy, grade: Grade, now: number, by: string, reason: string): void {
  if (c.status !== 'open' || c.task === 'milestone' || c.task === 'follow_up') return;
  const dueAt = dueFromPolicy(policy, c.task, grade, c.startedAt);
  if (dueAt === c.dueAt) return;
  rearm(c, now, dueAt);
  c.generationStartedAt = c.startedAt;
  // Do not resend reminders already in the past for the new due time.
  for (const e of scheduleOf(c, policy)) if (e.at <= now && e.kind === 'reminder') c.handled.push(e.key);
  c.changes.push({ at: now, by, action: 'retiered', reason, dueAt });
}

export function daysOverdue(c: Clock, policy: ResolvedPolicy, now: number): number {
  return workingDaysBetween(policy.calendarData, c.dueAt, now);
}
