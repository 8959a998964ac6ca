/**
 * Clocks of a clue on the time-skipping server: every stage's reminder and ladder, extension, pause and
 * resume, re-grade, and cross-regional co-handling (information-exchange clocks, stage notices to all).
 */
import { FailureType } from '../../src/domain/failures';
import type { TaskKind } from '../../src/policy';
import * as m from '../../workflows/clue.messages';
import type { ClueStage } from '../../workflows/clue.messages';
import { FIVE_DAY_CALENDAR_POLICY as P, actor, policy } from '../helpers/fixtures';
import { eventually } from '../helpers/services';
import {
  DAY,
  MINUTE,
  clockRows,
  driveTo,
  escalations,
  expectNoDuplicateMail,
  iso,
  mailsOf,
  notifications,
  rejected,
  sleepUntil,
  startClue,
  startHarness,
  timeline,
  upd,
  type ClueHandle,
  type Harness,
} from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('clue-clocks');
});
afterEach(async () => {
  await h?.terminateAll();
});
afterAll(async () => {
  await h?.close();
});

/** Message-IDs are the business key with every character but [A-Za-z0-9.-] turned into '-'. */
const slug = (s: string) => s.replace(/[^A-Za-z0-9.-]/g, '-');

const reminderKeys = async (clueId: string, clockId: string) =>
  (await notifications(h, clueId, 'reminder'))
    .filter((n) => n.key.includes(`:${clockId}:`))
    .map((n) => `${n.key.slice(n.key.indexOf(`:${clockId}:`) + clockId.length + 2)}|${n.user_id}`)
    .sort();

interface StageCase {
  stage: string;
  task: TaskKind;
  users: string[];
  reach: (hd: ClueHandle) => Promise<unknown>;
  co?: string[];
  subject: RegExp;
  /** The unit's contact mailbox when it is not already a user's address (it gets the reminder too). */
  mailbox?: string;
}

const to = (stage: ClueStage) => (hd: ClueHandle) => driveTo(h, hd, stage);
const STAGES: StageCase[] = [
  {
    stage: 'verifying',
    task: 'verification',
    users: ['u-tushan', 'u-tushan-head'],
    reach: async () => {},
    subject: /^【到期提醒】/,
  },
  {
    stage: 'classifying',
    task: 'classification',
    users: ['u-tushan', 'u-tushan-head'],
    reach: to('classifying'),
    subject: /^【到期提醒】/,
  },
  {
    stage: 'planning',
    task: 'plan',
    users: ['u-tushan', 'u-tushan-head'],
    reach: to('planning'),
    subject: /^【到期提醒】/,
  },
  {
    stage: 'plan_review',
    task: 'plan_review',
    users: ['u-coordinator'],
    reach: to('plan_review'),
    subject: /^【到期提醒】/,
    mailbox: 'office@district.local',
  },
  {
    stage: 'disposing',
    task: 'milestone',
    users: ['u-tushan', 'u-tushan-head'],
    reach: to('disposing'),
    subject: /^【到期提醒】/,
  },
  {
    stage: 'referred',
    task: 'referral_ack',
    users: ['u-police'],
    reach: to('referred'),
    subject: /^【到期提醒】/,
  },
  {
    stage: 'disposing (referral returned)',
    task: 'supplementary_evidence',
    users: ['u-tushan', 'u-tushan-head'],
    reach: async (hd) => {
      await driveTo(h, hd, 'referred');
      await upd.returnReferral(hd);
    },
    subject: /^【到期提醒】/,
  },
  {
    stage: 'monitoring',
    task: 'follow_up',
    users: ['u-tushan', 'u-tushan-head'],
    reach: to('monitoring'),
    subject: /^【回访提醒】/,
  },
  {
    stage: 'closure_review',
    task: 'closure_review',
    users: ['u-coordinator'],
    reach: to('closure_review'),
    subject: /^【到期提醒】/,
    mailbox: 'office@district.local',
  },
  // A co-handling unit whose officer reads English.
  {
    stage: 'verifying (co-handled)',
    task: 'exchange',
    users: ['u-changhuai'],
    reach: async () => {},
    co: ['changhuai-town'],
    subject: /^\[Reminder\]/,
  },
];

describe('every stage has its reminder and its ladder', () => {
  test.each(STAGES)(
    'given a clue in $stage, when its $task clock runs out, then the responsible unit is reminded twice and the clock escalates to levels 1, 2 and 3',
    async ({ task, users, reach, co, subject, mailbox }) => {
      const clue = await startClue(h, P, { coHandlingUnitIds: co ?? [] });
      await reach(clue.handle);
      const s = await clue.handle.query(m.stateQuery);
      const clock = s.clocks.find((c) => c.task === task && c.status === 'open')!;
      expect(clock).toBeDefined();
      // Reminders 3 and 1 days before the due time, to the unit that must act.
      await sleepUntil(h, clock.dueAt - DAY + MINUTE);
      const expected = ['g0:r0', 'g0:r1'].flatMap((k) => users.map((u) => `${k}|${u}`)).sort();
      await eventually(async () => expect(await reminderKeys(clue.id, clock.id)).toEqual(expected));
      await eventually(() =>
        expect(
          mailsOf(h, clue.id).filter((x) => x.messageId.includes(slug(clock.id)) && subject.test(x.subject)),
        ).toHaveLength(expected.length + (mailbox ? 2 : 0)),
      );
      if (mailbox)
        expect(
          mailsOf(h, clue.id).filter((x) => x.messageId.includes(slug(clock.id)) && x.to.includes(mailbox)),
        ).toHaveLength(2);
      // The ladder: at the due time, 2 and 5 days later (calendar-time policy).
      await sleepUntil(h, clock.dueAt + 5 * DAY + MINUTE);
      await eventually(async () => {
        const esc = (await escalations(h, clue.id)).filter((e) => e.clock_id === clock.id);
        expect(esc.map((e) => [e.level, e.unit_id, e.task])).toEqual(
          [1, 2, 3].map((l) => [l, clock.unitId, task]),
        );
      });
      const [acc] = await h.db.q<{ unit_id: string }[]>(
        'select unit_id from accountability_records where owner_id = ? and clock_id = ?',
        [clue.id, clock.id],
      );
      expect(acc?.unit_id).toBe(clock.unitId);
      const after = await clue.handle.query(m.stateQuery);
      expect(after.clocks.find((c) => c.id === clock.id)?.level).toBe(3);
      expect(after.overdueLevel).toBe(3);
    },
  );
});

describe('extension', () => {
  test('given an overdue verification clock, when the unit asks for more time and the coordinator approves, then the clock is re-armed: level 0, escalation resolved, reminders before the new due time and the ladder after it', async () => {
    const clue = await startClue(h, P);
    const hd = clue.handle;
    const first = (await hd.query(m.stateQuery)).clocks[0]!;
    await sleepUntil(h, first.dueAt + MINUTE);
    await eventually(async () =>
      expect((await escalations(h, clue.id)).map((e) => e.status)).toEqual(['open']),
    );

    const newDue = first.dueAt + 5 * DAY;
    let s = await hd.executeUpdate(m.requestExtensionUpdate, {
      args: [
        {
          actor: actor.tushan,
          clockId: first.id,
          newDueAt: iso(newDue),
          reason: 'waiting for bank statements',
        },
      ],
    });
    const ext = s.clocks[0]!.pendingExtension!;
    expect(ext).toMatchObject({ id: 'verification-1-x1', requestedBy: 'u-tushan', newDueAt: newDue });
    // The coordinators are asked to decide.
    await eventually(async () => {
      const n = await notifications(h, clue.id, 'extension_requested');
      expect(n.map((x) => x.user_id)).toEqual(['u-coordinator']);
      expect(n[0]!.subject).toMatch(/^【延期申请】/);
      expect(n[0]!.body).toContain('waiting for bank statements');
    });
    // A second request while one is pending is not allowed.
    await rejected(
      hd.executeUpdate(m.requestExtensionUpdate, {
        args: [{ actor: actor.tushan, clockId: first.id, newDueAt: iso(newDue + DAY), reason: 'more' }],
      }),
      FailureType.InvalidTransition,
    );

    s = await hd.executeUpdate(m.decideExtensionUpdate, {
      args: [{ actor: actor.coordinator, extensionId: ext.id, decision: 'approve', comment: 'granted once' }],
    });
    const c = s.clocks[0]!;
    expect(c).toMatchObject({ dueAt: newDue, level: 0, generation: 1, status: 'open' });
    expect(s.overdueLevel).toBe(0);
    expect(c.changes.map((x) => [x.action, x.by, x.reason])).toEqual([
      ['opened', 'system', undefined],
      ['extension_requested', 'u-tushan', 'waiting for bank statements'],
      ['extended', 'u-coordinator', 'granted once'],
    ]);
    await eventually(async () =>
      expect((await escalations(h, clue.id)).map((e) => e.status)).toEqual(['resolved']),
    );

    // The new generation reminds again (3 and 1 days before the new due time) and escalates at it.
    await sleepUntil(h, newDue + MINUTE);
    await eventually(async () =>
      expect((await reminderKeys(clue.id, c.id)).filter((k) => k.startsWith('g1:'))).toEqual([
        'g1:r0|u-tushan',
        'g1:r0|u-tushan-head',
        'g1:r1|u-tushan',
        'g1:r1|u-tushan-head',
      ]),
    );
    await eventually(async () =>
      expect((await escalations(h, clue.id)).map((e) => e.key.split(':').slice(-2).join(':'))).toEqual([
        'g0:L1',
        'g1:L1',
      ]),
    );
    expectNoDuplicateMail(h);
  });

  test('given an extension request, when the coordinator rejects it, then the due time stays and the rejection is on record', async () => {
    const clue = await startClue(h, P);
    const c0 = (await clue.handle.query(m.stateQuery)).clocks[0]!;
    let s = await clue.handle.executeUpdate(m.requestExtensionUpdate, {
      args: [{ actor: actor.tushan, clockId: c0.id, newDueAt: iso(c0.dueAt + DAY), reason: 'busy' }],
    });
    s = await clue.handle.executeUpdate(m.decideExtensionUpdate, {
      args: [
        {
          actor: actor.coordinator,
          extensionId: s.clocks[0]!.pendingExtension!.id,
          decision: 'reject',
          comment: 'no grounds',
        },
      ],
    });
    expect(s.clocks[0]).toMatchObject({ dueAt: c0.dueAt, generation: 0 });
    expect(s.clocks[0]!.pendingExtension).toBeUndefined();
    expect(s.clocks[0]!.changes.at(-1)).toMatchObject({
      action: 'extension_rejected',
      by: 'u-coordinator',
      reason: 'no grounds',
    });
    // An earlier due time is invalid content.
    await rejected(
      clue.handle.executeUpdate(m.requestExtensionUpdate, {
        args: [{ actor: actor.tushan, clockId: c0.id, newDueAt: iso(c0.dueAt - DAY), reason: 'x' }],
      }),
      FailureType.InvalidInput,
    );
    await rejected(
      clue.handle.executeUpdate(m.requestExtensionUpdate, {
        args: [{ actor: actor.tushan, clockId: 'nope-9', newDueAt: iso(c0.dueAt + DAY), reason: 'x' }],
      }),
      FailureType.UnknownItem,
    );
  });
});

describe('pause and resume', () => {
  test('given a 5-day verification clock, when it is paused after one day for ten days and then resumed, then nothing fires while paused and it is due four days after the resumption', async () => {
    const clue = await startClue(h, P);
    const hd = clue.handle;
    const c0 = (await hd.query(m.stateQuery)).clocks[0]!;
    await sleepUntil(h, c0.startedAt + DAY);
    let s = await hd.executeUpdate(m.pauseClockUpdate, {
      args: [{ actor: actor.tushan, clockId: c0.id, reason: 'waiting for the tax bureau' }],
    });
    expect(s.clocks[0]!.status).toBe('paused');
    expect(s.nextDueAt).toBeUndefined();
    await rejected(
      hd.executeUpdate(m.pauseClockUpdate, {
        args: [{ actor: actor.tushan, clockId: c0.id, reason: 'again' }],
      }),
      FailureType.InvalidTransition,
    );

    await sleepUntil(h, c0.startedAt + 11 * DAY);
    expect(await notifications(h, clue.id, 'reminder')).toEqual([]);
    expect(await escalations(h, clue.id)).toEqual([]);

    s = await hd.executeUpdate(m.resumeClockUpdate, {
      args: [{ actor: actor.tushan, clockId: c0.id, reason: 'tax records received' }],
    });
    const c = s.clocks[0]!;
    const pausedAt = c.changes[1]!.at;
    const resumedAt = c.changes[2]!.at;
    expect(pausedAt - c0.startedAt).toBeGreaterThanOrEqual(DAY);
    // The time that was left at the pause (a little under 4 days) is given back from the resumption.
    expect(c.dueAt).toBe(resumedAt + (c0.dueAt - pausedAt));
    expect(c0.dueAt - pausedAt).toBeGreaterThan(4 * DAY - MINUTE);
    expect(c.changes.map((x) => [x.action, x.by, x.reason])).toEqual([
      ['opened', 'system', undefined],
      ['paused', 'u-tushan', 'waiting for the tax bureau'],
      ['resumed', 'u-tushan', 'tax records received'],
    ]);
    await rejected(
      hd.executeUpdate(m.resumeClockUpdate, {
        args: [{ actor: actor.tushan, clockId: c0.id, reason: 'again' }],
      }),
      FailureType.InvalidTransition,
    );

    await sleepUntil(h, c.dueAt + MINUTE);
    await eventually(async () =>
      expect((await escalations(h, clue.id)).map((e) => [e.level, e.key.split(':').at(-2)])).toEqual([
        [1, 'g1'],
      ]),
    );
    expect(await reminderKeys(clue.id, c.id)).toEqual([
      'g1:r0|u-tushan',
      'g1:r0|u-tushan-head',
      'g1:r1|u-tushan',
      'g1:r1|u-tushan-head',
    ]);
    const [row] = await clockRows(h, clue.id);
    expect(new Date(row!.due_at).getTime()).toBe(c.dueAt);
  });
});

describe('re-grade', () => {
  const GRADED = policy({
    mode: 'calendar',
    calendar: 'weekdays',
    tiers: { verification: { I: 'P3D', II: 'P5D', III: 'P10D', IV: 'P15D' } },
    reminders: ['P1D'],
    escalation: ['PT0S', 'P2D', 'P5D'],
  });

  test('given a grade III clue four days into verification, when re-graded to I, then the clock is due three days after its start and escalates at once; re-graded to IV, the escalation is resolved and the clock runs to day 15', async () => {
    const clue = await startClue(h, GRADED, { grade: 'III' });
    const hd = clue.handle;
    const c0 = (await hd.query(m.stateQuery)).clocks[0]!;
    expect(c0.dueAt - c0.startedAt).toBe(10 * DAY);
    await sleepUntil(h, c0.startedAt + 4 * DAY);

    let s = await hd.executeUpdate(m.regradeUpdate, {
      args: [
        { actor: actor.coordinator, grade: 'I', keyClue: true, reason: 'amount far larger than reported' },
      ],
    });
    expect(s).toMatchObject({ grade: 'I', keyClue: true });
    expect(s.clocks[0]!.dueAt).toBe(c0.startedAt + 3 * DAY);
    // Level 1 is reached at once (one escalation, not the reminder that is already in the past).
    await eventually(async () =>
      expect(
        (await escalations(h, clue.id)).map((e) => [e.level, e.status, e.key.split(':').at(-2)]),
      ).toEqual([[1, 'open', 'g1']]),
    );
    await eventually(async () => expect((await hd.query(m.stateQuery)).overdueLevel).toBe(1));
    expect((await notifications(h, clue.id, 'reminder')).filter((n) => n.key.includes(':g1:'))).toEqual([]);

    s = await hd.executeUpdate(m.regradeUpdate, {
      args: [{ actor: actor.coordinator, grade: 'IV', keyClue: false, reason: 'most money already repaid' }],
    });
    expect(s.clocks[0]).toMatchObject({ dueAt: c0.startedAt + 15 * DAY, level: 0 });
    expect(s.overdueLevel).toBe(0);
    await eventually(async () =>
      expect((await escalations(h, clue.id)).map((e) => e.status)).toEqual(['resolved']),
    );
    await eventually(async () => {
      const [row] = await h.db.q<{ grade: string; key_clue: boolean; overdue_level: number }[]>(
        'select grade, key_clue, overdue_level from clues where id = ?',
        [clue.id],
      );
      expect(row).toEqual({ grade: 'IV', key_clue: false, overdue_level: 0 });
    });
    expect((await timeline(h, clue.id, 'clock.retiered')).map((e) => e.data.dueAt)).toEqual([
      iso(c0.startedAt + 3 * DAY),
      iso(c0.startedAt + 15 * DAY),
    ]);
    // The new generation reminds the day before day 15.
    await sleepUntil(h, c0.startedAt + 14 * DAY + MINUTE);
    await eventually(async () =>
      expect(await reminderKeys(clue.id, c0.id)).toEqual(['g2:r0|u-tushan', 'g2:r0|u-tushan-head']),
    );
  });
});

describe('cross-regional clue', () => {
  test('given a clue co-handled by two units, then each has its own information-exchange clock, all open clocks are listed, every unit hears of every stage change, and the exchange not filed in time escalates to that unit', async () => {
    const clue = await startClue(h, P, { coHandlingUnitIds: ['changhuai-town', 'market-regulation'] });
    const hd = clue.handle;
    let s = await hd.query(m.stateQuery);
    const open = s.clocks.filter((c) => c.status === 'open');
    expect(open.map((c) => [c.task, c.unitId])).toEqual([
      ['verification', 'tushan-scenic-area'],
      ['exchange', 'changhuai-town'],
      ['exchange', 'market-regulation'],
    ]);
    await eventually(async () =>
      expect((await clockRows(h, clue.id)).filter((r) => r.status === 'open')).toHaveLength(3),
    );

    // Changhuai files its exchange: its clock is done and the lead unit is told (in its language).
    s = await hd.executeUpdate(m.exchangeInformationUpdate, {
      args: [{ actor: actor.changhuai, summary: 'the subject also operates a branch in Changhuai' }],
    });
    expect(s.clocks.find((c) => c.unitId === 'changhuai-town')?.status).toBe('done');
    await eventually(async () => {
      const n = await notifications(h, clue.id, 'information_exchanged');
      expect(n.map((x) => x.user_id).sort()).toEqual(['u-tushan', 'u-tushan-head']);
      expect(n[0]!.subject).toBe(`【信息互通】线索${clue.ref}：长淮街道已报送信息`);
      expect(n[0]!.body).toContain('the subject also operates a branch in Changhuai');
    });
    // Nothing more is owed by Changhuai; the lead unit has no exchange to file.
    await rejected(
      hd.executeUpdate(m.exchangeInformationUpdate, { args: [{ actor: actor.changhuai, summary: 'again' }] }),
      FailureType.InvalidTransition,
    );
    await rejected(
      hd.executeUpdate(m.exchangeInformationUpdate, { args: [{ actor: actor.tushan, summary: 'x' }] }),
      FailureType.InvalidTransition,
    );

    // A stage change reaches lead and co-handling units, each in its own language.
    await upd.verify(hd);
    await eventually(async () => {
      const n = (await notifications(h, clue.id, 'stage_changed')).filter(
        (x) => x.subject.includes('lassif') || x.subject.includes('定性'),
      );
      expect(n.map((x) => x.user_id).sort()).toEqual([
        'u-changhuai',
        'u-market',
        'u-tushan',
        'u-tushan-head',
      ]);
      expect(n.find((x) => x.user_id === 'u-changhuai')!.subject).toBe(
        `Clue ${clue.ref} has moved to stage "Classifying"`,
      );
      expect(n.find((x) => x.user_id === 'u-market')!.subject).toBe(`线索${clue.ref}已进入“定性中”阶段`);
    });

    // Market Regulation never files: its exchange clock escalates to that unit's head and the District Office.
    const market = s.clocks.find((c) => c.unitId === 'market-regulation')!;
    await sleepUntil(h, market.dueAt + MINUTE);
    await eventually(async () => {
      const esc = (await escalations(h, clue.id)).filter((e) => e.task === 'exchange');
      expect(esc.map((e) => [e.unit_id, e.level])).toEqual([['market-regulation', 1]]);
    });
    await eventually(async () => {
      const n = (await notifications(h, clue.id, 'escalation')).filter((x) => x.key.includes(market.id));
      expect(n.map((x) => x.user_id).sort()).toEqual(['u-coordinator', 'u-market']);
    });
    expectNoDuplicateMail(h);
  });
});
