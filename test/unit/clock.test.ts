/** The deadline-clock mechanism as pure functions: schedule, due events, extension, pause/resume, re-tier. */
import fc from 'fast-check';
import { getCalendar } from '../../src/calendars';
import {
  addWorkingMs,
  cancelClock,
  completeClock,
  daysOverdue,
  decideExtension,
  dueEventsAt,
  dueFromPolicy,
  markHandled,
  nextEventAt,
  openClock,
  pauseClock,
  pendingEvents,
  requestExtension,
  resumeClock,
  retierClock,
  scheduleOf,
  workingMsBetween,
  type Clock,
} from '../../workflows/clock';
import { policy } from '../helpers/fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Epoch ms of a local (+08:00) date-time, e.g. '2026-09-30 10:00'. */
const t = (local: string) => Date.parse(`${local.replace(' ', 'T')}:00+08:00`);
/** Local (+08:00) rendering for readable expectations. */
const local = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');

const cn = policy({
  calendar: 'cn-2026',
  mode: 'working',
  tiers: { verification: { I: 'P1D', III: 'P3D', IV: 'P5D' }, plan_review: 'P3D' },
  reminders: ['P3D', 'P1D'],
  escalation: ['PT0S', 'P2D', 'P5D'],
});
const plain = policy({
  calendar: 'weekdays',
  mode: 'calendar',
  tiers: { verification: 'P5D' },
  reminders: ['P3D', 'P1D'],
});

function open(
  p = cn,
  at = t('2026-09-30 10:00'),
  task: 'verification' | 'plan_review' = 'verification',
  grade: 'I' | 'III' | 'IV' = 'III',
): Clock {
  return openClock(
    {
      id: `${task}-1`,
      task,
      unitId: 'tushan-scenic-area',
      dueAt: dueFromPolicy(p, task, grade, at),
      by: 'u-coordinator',
    },
    at,
  );
}

describe('schedule on the official calendar', () => {
  test('given a 3-working-day clock opened the day before National Day, then it is due on the make-up Saturday and its ladder follows working days', () => {
    const c = open();
    // Oct 1–7 are holidays; Oct 8, 9 and the make-up working Saturday Oct 10 are the 3 working days.
    expect(local(c.dueAt)).toBe('2026-10-10 10:00');
    expect(scheduleOf(c, cn).map((e) => [e.key, local(e.at)])).toEqual([
      // r0 (3 working days before) would fall on the start itself: skipped.
      ['g0:r1', '2026-10-09 10:00'],
      ['g0:L1', '2026-10-10 10:00'],
      ['g0:L2', '2026-10-13 10:00'], // Sunday Oct 11 is off: Mon 12, Tue 13
      ['g0:L3', '2026-10-16 10:00'],
    ]);
    expect(c.changes).toEqual([
      { at: c.startedAt, by: 'u-coordinator', action: 'opened', dueAt: c.dueAt, reason: undefined },
    ]);
  });

  test('given a clock, when it is done or cancelled, then nothing more is scheduled and lateness is recorded', () => {
    const a = open();
    completeClock(a, a.dueAt + 1, 'u-tushan');
    expect(a).toMatchObject({ status: 'done', late: true });
    expect(scheduleOf(a, cn)).toEqual([]);
    const b = open();
    cancelClock(b, b.startedAt + HOUR, 'u-coordinator', 'clue closed');
    expect(b).toMatchObject({ status: 'cancelled', late: false });
    expect(nextEventAt([a, b], cn)).toBeUndefined();
  });

  test('given several clocks, then the next event is the earliest over all of them', () => {
    const a = open();
    const b = open(cn, t('2026-09-29 09:00'), 'plan_review');
    // b (plan review, 3 working days from Sep 29 09:00) is due Oct 9 09:00: its reminder Oct 8 09:00 comes first.
    expect(local(b.dueAt)).toBe('2026-10-09 09:00');
    expect(local(nextEventAt([a, b], cn)!)).toBe('2026-10-08 09:00');
  });
});

describe('due events', () => {
  test('given a worker that was down across several rungs, when it comes back, then only the level reached is acted on and the earlier ones are retired', () => {
    const c = open();
    const now = t('2026-10-14 12:00'); // past r1, L1 and L2
    const due = dueEventsAt([c], cn, now);
    expect(due.map((e) => e.key)).toEqual(['g0:L2']);
    markHandled(c, due[0]!, cn);
    expect(c.level).toBe(2);
    expect(c.handled.sort()).toEqual(['g0:L1', 'g0:L2', 'g0:r1']);
    expect(pendingEvents(c, cn).map((e) => e.key)).toEqual(['g0:L3']);
    expect(dueEventsAt([c], cn, now)).toEqual([]);
  });

  test('given events of two clocks due together, then they come in time order', () => {
    const a = open(cn, t('2026-11-02 10:00'));
    const b = open(cn, t('2026-11-02 09:00'), 'plan_review');
    const due = dueEventsAt([a, b], cn, t('2026-11-30 00:00'));
    expect(due.map((e) => e.clockId)).toEqual(['plan_review-1', 'verification-1']);
  });
});

describe('extension', () => {
  test('given an overdue clock, when an extension is approved, then a new generation is armed: level back to 0 and reminders and ladder anew', () => {
    const c = open(plain, t('2026-11-02 10:00'));
    markHandled(c, dueEventsAt([c], plain, c.dueAt)[0]!, plain);
    expect(c.level).toBe(1);
    const ext = requestExtension(
      c,
      c.dueAt + HOUR,
      'u-tushan',
      c.dueAt + 10 * DAY,
      'waiting for bank records',
    );
    expect(ext.id).toBe('verification-1-x1');
    expect(c.pendingExtension).toEqual(ext);
    decideExtension(c, c.dueAt + 2 * HOUR, 'u-coordinator', true, 'agreed');
    expect(c).toMatchObject({ generation: 1, level: 0, pendingExtension: undefined, dueAt: ext.newDueAt });
    expect(pendingEvents(c, plain).map((e) => e.key)).toEqual(['g1:r0', 'g1:r1', 'g1:L1', 'g1:L2', 'g1:L3']);
    expect(c.changes.map((x) => [x.action, x.by])).toEqual([
      ['opened', 'u-coordinator'],
      ['extension_requested', 'u-tushan'],
      ['extended', 'u-coordinator'],
    ]);
  });

  test('given an extension request, when it is rejected, then the due time stays and the rejection is recorded', () => {
    const c = open(plain);
    const due = c.dueAt;
    requestExtension(c, c.startedAt + HOUR, 'u-tushan', due + DAY, 'more time');
    decideExtension(c, c.startedAt + 2 * HOUR, 'u-coordinator', false, 'no');
    expect(c).toMatchObject({ dueAt: due, generation: 0, pendingExtension: undefined });
    expect(c.changes.at(-1)).toMatchObject({
      action: 'extension_rejected',
      by: 'u-coordinator',
      reason: 'no',
    });
  });
});

describe('pause and resume', () => {
  test('given a calendar-mode clock, when paused and resumed, then the elapsed time left is given back', () => {
    const c = open(plain, t('2026-11-02 10:00'));
    pauseClock(c, c.startedAt + DAY, 'u-tushan', 'waiting for the tax bureau');
    expect(scheduleOf(c, plain)).toEqual([]);
    resumeClock(c, c.startedAt + 11 * DAY, 'u-tushan', 'answer received', plain);
    expect(c.dueAt - (c.startedAt + 11 * DAY)).toBe(4 * DAY);
    expect(c).toMatchObject({ status: 'open', generation: 1 });
    expect(c.changes.map((x) => [x.action, x.reason])).toEqual([
      ['opened', undefined],
      ['paused', 'waiting for the tax bureau'],
      ['resumed', 'answer received'],
    ]);
  });

  test('given a working-mode clock paused on Friday with one working day left, when resumed on Monday, then it is due on Tuesday at the same time', () => {
    const c = open();
    expect(local(c.dueAt)).toBe('2026-10-10 10:00');
    pauseClock(c, t('2026-10-09 10:00'), 'u-tushan', 'waiting');
    resumeClock(c, t('2026-10-12 10:00'), 'u-tushan', 'resumed', cn);
    expect(local(c.dueAt)).toBe('2026-10-13 10:00');
  });

  test('given a clock paused while overdue, when resumed, then it is overdue by as much as before', () => {
    const c = open(plain);
    pauseClock(c, c.dueAt + DAY, 'u-tushan', 'waiting');
    resumeClock(c, c.dueAt + 10 * DAY, 'u-tushan', 'resumed', plain);
    expect(c.dueAt).toBe(c.generationStartedAt - DAY);
  });
});

describe('re-tier after a re-grade', () => {
  test('given a grade III clock, when re-graded to I, then it is due one working day after its start and the reminders already past are not sent', () => {
    const c = open(cn, t('2026-11-02 10:00'));
    expect(local(c.dueAt)).toBe('2026-11-05 10:00');
    retierClock(c, cn, 'I', t('2026-11-02 12:00'), 'u-coordinator', 'amount larger than reported', 'III');
    expect(local(c.dueAt)).toBe('2026-11-03 10:00');
    expect(c.generation).toBe(1);
    expect(pendingEvents(c, cn).map((e) => e.key)).toEqual(['g1:L1', 'g1:L2', 'g1:L3']);
    expect(c.changes.at(-1)).toMatchObject({ action: 'retiered', by: 'u-coordinator', dueAt: c.dueAt });
  });

  test('given an extended clock, when re-graded, then the granted time is kept on top of the new tier', () => {
    const c = open(cn, t('2026-11-02 10:00'));
    requestExtension(c, c.startedAt, 'u-tushan', c.dueAt + DAY, 'x');
    decideExtension(c, c.startedAt, 'u-coordinator', true, 'ok');
    retierClock(c, cn, 'IV', c.startedAt + HOUR, 'u-coordinator', 'smaller', 'III');
    expect(local(c.dueAt)).toBe('2026-11-10 10:00'); // 5 working days + the 1 day granted
  });

  test('given a milestone or a paused clock, then re-tier leaves the milestone alone and moves the paused due time without arming it', () => {
    const ms = openClock({ id: 'milestone-1', task: 'milestone', unitId: 'u', dueAt: 123, by: 'x' }, 0);
    retierClock(ms, cn, 'I', 1, 'x', 'y', 'III');
    expect(ms.dueAt).toBe(123);
    const c = open(cn, t('2026-11-02 10:00'));
    pauseClock(c, c.startedAt + HOUR, 'u', 'w');
    retierClock(c, cn, 'IV', c.startedAt + 2 * HOUR, 'x', 'y', 'III');
    expect(c).toMatchObject({ status: 'paused', generation: 0 });
    expect(local(c.dueAt)).toBe('2026-11-09 10:00');
  });
});

describe('working time arithmetic', () => {
  const cal = getCalendar('cn-2026');
  test('given Friday 10:00 to Monday 09:00, then 23 working hours lie between', () => {
    expect(workingMsBetween(cal, t('2026-11-06 10:00'), t('2026-11-09 09:00'))).toBe(23 * HOUR);
    expect(local(addWorkingMs(cal, t('2026-11-10 10:00'), 23 * HOUR))).toBe('2026-11-11 09:00');
  });

  test('property: adding the working time between two instants from the first lands on or before the second and spans the same working time', () => {
    const start = t('2026-01-01 00:00');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 * DAY }), fc.integer({ min: 0, max: 40 * DAY }), (a, d) => {
        const from = start + a;
        const to = from + d;
        const w = workingMsBetween(cal, from, to);
        const back = addWorkingMs(cal, from, w);
        expect(back).toBeLessThanOrEqual(to);
        expect(workingMsBetween(cal, from, back)).toBe(w);
      }),
      { numRuns: 200 },
    );
  });

  test('daysOverdue counts working days', () => {
    const c = open(cn, t('2026-11-05 10:00')); // Thu + 3 WD = Tue 10th
    expect(local(c.dueAt)).toBe('2026-11-10 10:00');
    expect(daysOverdue(c, cn, t('2026-11-16 10:00'))).toBe(4);
  });
});
