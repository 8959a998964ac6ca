/**
 * Reminder and the three escalation levels at the right working-day instants: the production calendar
 * (cn-2026) in working mode, a verification clock that crosses a weekend.
 */
import { stateQuery } from '../../workflows/clue.messages';
import { policy } from '../helpers/fixtures';
import { eventually } from '../helpers/services';
import {
  DAY,
  MINUTE,
  escalations,
  expectNoDuplicateMail,
  iso,
  localAt,
  mailsOf,
  ms,
  nextThursday,
  notifications,
  sleepUntil,
  startClue,
  startHarness,
  timeline,
  type Harness,
} from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('clue-ladder');
});
afterAll(async () => {
  await h?.close();
});

/** Working days on the official calendar: verification is due 2 working days after registration. */
const WORKING = policy({
  calendar: 'cn-2026',
  mode: 'working',
  tiers: { verification: 'P2D' },
  reminders: ['P1D'],
  escalation: ['PT0S', 'P2D', 'P5D'],
});

describe('escalation ladder on working days', () => {
  test('given a clue registered on a Thursday at 10:00 with 2 working days to verify, when nobody acts, then the reminder comes on Friday, level 1 on Monday, level 2 on Wednesday and level 3 with an accountability record the Monday after, each at 10:00', async () => {
    const t0 = nextThursday(await h.env.currentTimeMs());
    await sleepUntil(h, t0);
    const clue = await startClue(h, WORKING);
    const startedAt = (await clue.handle.query(stateQuery)).clocks[0]!.startedAt;
    // Registered at Thursday 10:00 (give or take the time the test took to start it).
    expect(Math.abs(startedAt - t0)).toBeLessThan(MINUTE);

    const at = (days: number) => startedAt + days * DAY; // same time of day, `days` calendar days later
    const due = at(4); // Monday: Friday and Monday are the two working days, the weekend does not count
    expect((await clue.handle.query(stateQuery)).clocks[0]!.dueAt).toBe(due);

    // Friday 10:00 (one working day before the due time): the reminder, nothing else.
    await sleepUntil(h, at(1) + MINUTE);
    await eventually(async () => expect(await notifications(h, clue.id, 'reminder')).toHaveLength(2));
    expect(await escalations(h, clue.id)).toEqual([]);

    // Sunday evening: in calendar days the clock would be long overdue; in working days it is not.
    await sleepUntil(h, localAt(startedAt, 3, 22));
    expect(await escalations(h, clue.id)).toEqual([]);
    expect((await clue.handle.query(stateQuery)).overdueLevel).toBe(0);

    // Monday 10:00: level 1.
    await sleepUntil(h, due + MINUTE);
    await eventually(async () => expect((await escalations(h, clue.id)).map((e) => e.level)).toEqual([1]));
    expect((await clue.handle.query(stateQuery)).overdueLevel).toBe(1);

    // Wednesday 10:00 (2 working days later): level 2.
    await sleepUntil(h, at(6) + MINUTE);
    await eventually(async () => expect((await escalations(h, clue.id)).map((e) => e.level)).toEqual([1, 2]));

    // Monday 10:00 the week after (5 working days after the due time): level 3 and an accountability record.
    await sleepUntil(h, at(11) - MINUTE);
    expect((await escalations(h, clue.id)).map((e) => e.level)).toEqual([1, 2]);
    await sleepUntil(h, at(11) + MINUTE);
    await eventually(async () =>
      expect((await escalations(h, clue.id)).map((e) => e.level)).toEqual([1, 2, 3]),
    );
    expect((await clue.handle.query(stateQuery)).overdueLevel).toBe(3);

    // The rows carry the instants at which each level was reached (workflow time), and only the top one is open.
    const rows = await escalations(h, clue.id);
    const expected = [due, at(6), at(11)];
    rows.forEach((r, i) => {
      expect(Math.abs(ms(r.escalated_at) - expected[i]!)).toBeLessThan(1000);
      expect(ms(r.due_at)).toBe(due);
      expect(r.task).toBe('verification');
      expect(r.unit_id).toBe('tushan-scenic-area');
    });
    expect(rows.map((r) => r.status)).toEqual(['resolved', 'resolved', 'open']);
    const [acc] = await h.db.q<{ unit_id: string; level: number; clock_id: string }[]>(
      'select unit_id, level, clock_id from accountability_records where owner_id = ?',
      [clue.id],
    );
    expect(acc).toEqual({ unit_id: 'tushan-scenic-area', level: 3, clock_id: 'verification-1' });

    // The timeline has the scheduled instants exactly.
    const events = [
      ...(await timeline(h, clue.id, 'clock.reminder')),
      ...(await timeline(h, clue.id, 'clock.escalated')),
    ];
    expect(events.map((e) => [e.data.level ?? 'reminder', e.data.scheduledAt])).toEqual([
      ['reminder', iso(at(1))],
      [1, iso(due)],
      [2, iso(at(6))],
      [3, iso(at(11))],
    ]);
    expect(events.map((e) => e.data.daysOverdue ?? null)).toEqual([null, 0, 2, 5]);

    // Who was told: at every rung the unit (its order) and its head plus the District Office
    // (supervision); from level 2 on district leadership too (a 督办 request to acknowledge).
    const esc = await eventually(async () => {
      const r = await notifications(h, clue.id, 'escalation');
      expect(r).toHaveLength(3 + 4 + 4);
      return r;
    });
    const usersAt = (lvl: number) =>
      esc
        .filter((n) => n.key.endsWith(`:L${lvl}`))
        .map((n) => n.user_id)
        .sort();
    expect(usersAt(1)).toEqual(['u-coordinator', 'u-tushan', 'u-tushan-head']);
    expect(usersAt(2)).toEqual(['u-coordinator', 'u-leader', 'u-tushan', 'u-tushan-head']);
    expect(usersAt(3)).toEqual(['u-coordinator', 'u-leader', 'u-tushan', 'u-tushan-head']);
    // Each rung has its own subject; the top one carries the accountability notice. The unit's mailbox
    // is u-tushan's address, so it gets the order once.
    await eventually(() =>
      expect(
        mailsOf(h, clue.id).filter((x) => x.subject.startsWith('【三级督办】【问责提示】')),
      ).toHaveLength(4),
    );
    expect(mailsOf(h, clue.id).filter((x) => x.subject.startsWith('【二级督办】'))).toHaveLength(4);
    expect(mailsOf(h, clue.id).filter((x) => x.subject.startsWith('【一级督办】'))).toHaveLength(3);
    expect(
      mailsOf(h, clue.id)
        .filter((x) => x.subject.startsWith('【一级督办】'))
        .map((x) => x.subject)
        .sort(),
    ).toEqual(
      [
        `【一级督办】涂山风景区：线索${clue.ref}“线索核查”已到期`,
        `【一级督办】请督促涂山风景区办理：线索${clue.ref}“线索核查”已到期`,
        `【一级督办】线索${clue.ref}“线索核查”已到期`,
      ].sort(),
    );
    expect(
      mailsOf(h, clue.id).find(
        (x) => x.to.includes('leader@district.local') && x.subject.startsWith('【二级督办】'),
      )!.subject,
    ).toBe(`【二级督办】请您督办：涂山风景区线索${clue.ref}“线索核查”已逾期2个工作日`);
    expect(mailsOf(h, clue.id).filter((x) => x.subject.startsWith('【到期提醒】'))).toHaveLength(2);
    expectNoDuplicateMail(h);
  });
});
