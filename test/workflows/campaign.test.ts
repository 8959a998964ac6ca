/**
 * A whole campaign on the time-skipping server, through the real API, PostgreSQL and SMTP: the notice's
 * default dates for 2027 (the server starts at real "now", November 2026, so the campaign is next year's),
 * the default policy (cn-2026 calendar, working days, reminders 3 and 1 working days before, ladder at
 * due, +2 and +5 working days). Three units: Tushan files everything on time, Changhuai files the plan
 * late and only 2 pieces of information, Market Regulation files nothing.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { campaignStateQuery, campaignWorkflowId, unitWorkflowId } from '../../workflows/campaign.messages';
import { startTestApp, type TestApp } from '../helpers/app';
import { insertClue } from '../helpers/fixtures';
import {
  eventually,
  freshDatabase,
  startSmtp,
  timeSkippingEnv,
  type TestDb,
  type TestSmtp,
} from '../helpers/services';

let env: TestWorkflowEnvironment;
let db: TestDb;
let smtp: TestSmtp;
let app: TestApp;

beforeAll(async () => {
  [env, db, smtp] = await Promise.all([timeSkippingEnv(), freshDatabase(), startSmtp()]);
  app = await startTestApp({ env, db, smtp, taskQueue: 'campaign-ts' });
});

afterAll(async () => {
  await app?.close();
  await Promise.all([env?.teardown(), db?.close(), smtp?.close()]);
});

const A = 'tushan-scenic-area';
const B = 'changhuai-town';
const C = 'market-regulation';

/** 23:59:59 China time (UTC+8) of a 2027 date, the end of a phase day. */
const eod = (md: string) => `2027-${md}T15:59:59.000Z`;
/** 10:00 China time of a 2027 date. */
const at10 = (md: string) => Date.parse(`2027-${md}T10:00:00+08:00`);

async function sleepUntil(target: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (target > now) await env.sleep(target - now);
}

const plan = {
  riskPoints: ['"pension apartment" schemes around the scenic area', 'tea-house investment clubs'],
  measures: ['grid staff visit every elderly-care business', 'advertising monitoring with the market bureau'],
  responsibilities: [{ duty: 'grid inspection', responsible: 'Wang Fang' }],
};
const info = (n: number, type = 'highlights') => ({
  type,
  title: `Work information ${n}`,
  content: `Progress report number ${n}.`,
});
const report = (cases: { clue: string; title: string; summary: string }[]) => ({
  overallSituation: '12 clues found, 3 key clues.',
  regionalDistribution: 'Mostly around the scenic area.',
  causes: 'High-yield promises to the elderly.',
  difficultiesAndOutlook: 'Cross-regional subjects are hard to trace; risk stable.',
  nextSteps: 'Keep the grid inspection monthly.',
  typicalCases: cases,
});

interface TimelineRow {
  kind: string;
  data: {
    unitId?: string;
    task?: string;
    index?: number;
    level?: number;
    scheduledAt?: string;
    to?: string;
    reason?: string;
  };
  at: Date;
}
const timelineOf = (campaignId: string) =>
  db.q<TimelineRow[]>(
    `select kind, data, at from timeline_events where owner_type = 'campaign' and owner_id = ? order by at, id`,
    [campaignId],
  );

/** What the clock mechanism fired for a unit: "<task> r<i>|L<level> @ <scheduled instant>". */
async function clockEventsOf(campaignId: string, unitId: string): Promise<string[]> {
  const rows = (await timelineOf(campaignId)).filter(
    (r) => (r.kind === 'clock.reminder' || r.kind === 'clock.escalated') && r.data.unitId === unitId,
  );
  for (const r of rows) {
    // The event was handled when it was scheduled (the server jumped straight to it).
    expect(new Date(r.at).getTime() - Date.parse(r.data.scheduledAt!)).toBeLessThan(60_000);
    expect(new Date(r.at).getTime()).toBeGreaterThanOrEqual(Date.parse(r.data.scheduledAt!));
  }
  return rows
    .map(
      (r) =>
        `${r.data.task} ${r.kind === 'clock.reminder' ? `r${r.data.index}` : `L${r.data.level}`} @ ${r.data.scheduledAt}`,
    )
    .sort();
}

describe('a campaign from May 18 to July 13, 2027 with three units', () => {
  test('given the notice dates and the default policy, when one unit files on time, one late and short, one never, then each gets exactly its reminders and escalation levels at the phase dates, late filings are recorded as late, and cancellation closes what is open', async () => {
    const started = Date.now();
    const tushanClue = await insertClue(db.em(), { leadUnitId: A });
    const coHandledClue = await insertClue(db.em(), { leadUnitId: 'yanshan-town', coHandlingUnitIds: [B] });

    const created = await app.call('u-coordinator', 'POST', '/api/v1/campaigns', {
      year: 2027,
      unitIds: [A, B, C],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({
      name: '2027年非法集资风险专项排查活动',
      phase: 'scheduled',
      status: 'active',
      phases: {
        mobilization: { start: '2027-05-17T16:00:00.000Z', end: eod('05-28') },
        implementation: { start: '2027-05-28T16:00:00.000Z', end: eod('07-13') },
        summaryReportDue: eod('07-13'),
      },
      workflowId: campaignWorkflowId(id),
    });
    await eventually(async () => {
      const d = await app.call('u-coordinator', 'GET', `/api/v1/campaigns/${id}`);
      expect(d.body.units.map((u: { unitId: string; dues: unknown }) => [u.unitId, u.dues])).toEqual(
        expect.arrayContaining(
          [A, B, C].map((u) => [
            u,
            { implementationPlan: eod('05-28'), workInformation: eod('07-13'), summaryReport: eod('07-13') },
          ]),
        ),
      );
    });

    // Mobilization (May 18): every unit is told.
    await sleepUntil(at10('05-20'));
    const phaseNote = await eventually(async () => {
      const rows = await db.q<{ user_id: string; subject: string }[]>(
        `select user_id, subject from notifications where key = ? order by user_id`,
        [`campaign:${id}:phase:mobilization`],
      );
      expect(rows.map((r) => r.user_id)).toEqual(['u-changhuai', 'u-market', 'u-tushan', 'u-tushan-head']);
      return rows;
    });
    expect(phaseNote.find((r) => r.user_id === 'u-changhuai')!.subject).toBe(
      '[Campaign] 2027年非法集资风险专项排查活动 has entered the Mobilization and deployment phase',
    );
    expect(phaseNote.find((r) => r.user_id === 'u-tushan')!.subject).toBe(
      '【专项行动】2027年非法集资风险专项排查活动进入动员部署阶段',
    );
    await eventually(() =>
      expect(smtp.mails.filter((m) => m.subject.includes('Mobilization and deployment'))).toHaveLength(1),
    );

    // Tushan files its plan on time (May 20).
    const aPlan = await app.call(
      'u-tushan',
      'POST',
      `/api/v1/campaigns/${id}/units/${A}/implementation-plan`,
      plan,
    );
    expect(aPlan.status).toBe(200);
    expect(aPlan.body.deliverables.implementationPlan).toMatchObject({
      status: 'filed',
      late: false,
      overdueLevel: 0,
      dueAt: eod('05-28'),
    });

    // Changhuai files its plan on Monday May 31: after level 1 (Friday May 28), before level 2 (Tuesday June 1).
    await sleepUntil(at10('05-31'));
    const bPlan = await app.call(
      'u-changhuai',
      'POST',
      `/api/v1/campaigns/${id}/units/${B}/implementation-plan`,
      plan,
    );
    expect(bPlan.status).toBe(200);
    expect(bPlan.body.deliverables.implementationPlan).toMatchObject({
      status: 'filed_late',
      late: true,
      overdueLevel: 1,
    });
    expect(bPlan.body.deliverables.implementationPlan.escalations).toEqual([
      { level: 1, escalatedAt: expect.any(String), status: 'resolved' },
    ]);

    // Work information: Tushan three pieces, Changhuai two.
    await sleepUntil(at10('06-02'));
    expect(
      (await app.call('u-tushan', 'POST', `/api/v1/campaigns/${id}/units/${A}/information`, info(1))).status,
    ).toBe(200);
    expect(
      (
        await app.call(
          'u-changhuai',
          'POST',
          `/api/v1/campaigns/${id}/units/${B}/information`,
          info(1, 'risks_found'),
        )
      ).status,
    ).toBe(200);
    await sleepUntil(at10('06-15'));
    expect(
      (
        await app.call(
          'u-tushan',
          'POST',
          `/api/v1/campaigns/${id}/units/${A}/information`,
          info(2, 'typical_case'),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await app.call(
          'u-changhuai',
          'POST',
          `/api/v1/campaigns/${id}/units/${B}/information`,
          info(2, 'problems'),
        )
      ).status,
    ).toBe(200);
    await sleepUntil(at10('07-01'));
    const a3 = await app.call(
      'u-tushan',
      'POST',
      `/api/v1/campaigns/${id}/units/${A}/information`,
      info(3, 'suggestions'),
    );
    expect(a3.body.deliverables.workInformation).toMatchObject({
      status: 'filed',
      filedCount: 3,
      required: 3,
      late: false,
    });

    // Summary reports on Friday July 9 (after the 3-day reminder of Thursday July 8), each citing a clue of the unit.
    await sleepUntil(at10('07-09'));
    const aReport = await app.call(
      'u-tushan',
      'POST',
      `/api/v1/campaigns/${id}/units/${A}/summary-report`,
      report([
        { clue: tushanClue.ref, title: 'Pension apartment scheme', summary: 'Rectified; deposits returned.' },
      ]),
    );
    expect(aReport.status).toBe(200);
    expect(aReport.body).toMatchObject({ status: 'completed', overdue: false });
    const bReport = await app.call(
      'u-changhuai',
      'POST',
      `/api/v1/campaigns/${id}/units/${B}/summary-report`,
      report([
        { clue: coHandledClue.id, title: 'Cross-regional tea club', summary: 'Co-handled with Yanshan.' },
      ]),
    );
    expect(bReport.status).toBe(200);
    expect(bReport.body.status).toBe('active');

    // Past the end of every ladder (level 3 of the July 13 deadlines is Tuesday July 20).
    await sleepUntil(at10('07-26'));

    const expectA = [`summary_report r0 @ ${eod('07-08')}`];
    const expectB = [
      `implementation_plan r0 @ ${eod('05-25')}`,
      `implementation_plan r1 @ ${eod('05-27')}`,
      `implementation_plan L1 @ ${eod('05-28')}`,
      `work_information r0 @ ${eod('07-08')}`,
      `work_information r1 @ ${eod('07-12')}`,
      `work_information L1 @ ${eod('07-13')}`,
      `work_information L2 @ ${eod('07-15')}`,
      `work_information L3 @ ${eod('07-20')}`,
      `summary_report r0 @ ${eod('07-08')}`,
    ].sort();
    const ladder = (task: string, r: string[], l: string[]) => [
      `${task} r0 @ ${eod(r[0]!)}`,
      `${task} r1 @ ${eod(r[1]!)}`,
      `${task} L1 @ ${eod(l[0]!)}`,
      `${task} L2 @ ${eod(l[1]!)}`,
      `${task} L3 @ ${eod(l[2]!)}`,
    ];
    const expectC = [
      ...ladder('implementation_plan', ['05-25', '05-27'], ['05-28', '06-01', '06-04']),
      ...ladder('work_information', ['07-08', '07-12'], ['07-13', '07-15', '07-20']),
      ...ladder('summary_report', ['07-08', '07-12'], ['07-13', '07-15', '07-20']),
    ].sort();
    await eventually(async () => {
      expect(await clockEventsOf(id, A)).toEqual(expectA);
      expect(await clockEventsOf(id, B)).toEqual(expectB);
      expect(await clockEventsOf(id, C)).toEqual(expectC);
    });

    // Who was told: reminders go to the unit's staff; escalations climb the ladder (level 2+ reaches the leader).
    const reminders = await db.q<{ key: string; user_id: string }[]>(
      `select key, user_id from notifications where owner_id = ? and kind = 'reminder' order by key, user_id`,
      [id],
    );
    expect(
      reminders.filter((r) => r.user_id === 'u-tushan' || r.user_id === 'u-tushan-head').map((r) => r.key),
    ).toEqual([
      `reminder:campaign:${id}:${A}:summary_report:p1:g0:r0`,
      `reminder:campaign:${id}:${A}:summary_report:p1:g0:r0`,
    ]);
    expect(reminders.filter((r) => r.user_id === 'u-changhuai')).toHaveLength(5);
    expect(reminders.filter((r) => r.user_id === 'u-market')).toHaveLength(6);
    const escalationRows = await db.q<{ unit_id: string; task: string; level: number; status: string }[]>(
      `select unit_id, task, level, status from escalations where owner_type = 'campaign' and owner_id = ? order by unit_id, task, level`,
      [id],
    );
    expect(escalationRows.filter((e) => e.unit_id === A)).toEqual([]);
    expect(escalationRows.filter((e) => e.unit_id === B)).toEqual([
      { unit_id: B, task: 'implementation_plan', level: 1, status: 'resolved' },
      { unit_id: B, task: 'work_information', level: 1, status: 'resolved' },
      { unit_id: B, task: 'work_information', level: 2, status: 'resolved' },
      { unit_id: B, task: 'work_information', level: 3, status: 'open' },
    ]);
    expect(
      escalationRows.filter((e) => e.unit_id === C).map((e) => `${e.task} L${e.level} ${e.status}`),
    ).toEqual([
      'implementation_plan L1 resolved',
      'implementation_plan L2 resolved',
      'implementation_plan L3 open',
      'summary_report L1 resolved',
      'summary_report L2 resolved',
      'summary_report L3 open',
      'work_information L1 resolved',
      'work_information L2 resolved',
      'work_information L3 open',
    ]);
    const leaderNotes = await db.q<{ key: string; subject: string; body: string }[]>(
      `select key, subject, body from notifications where owner_id = ? and kind = 'escalation' and user_id = 'u-leader' order by key`,
      [id],
    );
    expect(leaderNotes.every((n) => /:L[23]$/.test(n.key))).toBe(true);
    // Lateness in working days on the campaign's calendar, at the rung's workflow time; a 督办 request
    // linking the escalation the leader acknowledges.
    const l2 = leaderNotes.find((n) => n.key.endsWith(`${C}:implementation_plan:p1:g0:L2`))!;
    expect(l2.subject).toBe(
      '【二级督办】请您督办：区市场监督管理局2027年非法集资风险专项排查活动中的“实施方案”已逾期2个工作日',
    );
    expect(l2.body).toMatch(/一键阅示并作出批示：http:\/\/127\.0\.0\.1:3000\/escalations\/\d+\n/);
    expect(leaderNotes).toHaveLength(1 * 2 + 3 * 2); // Changhuai: information L2, L3; Market: three tasks × L2, L3
    const accountability = await db.q<{ unit_id: string; task: string; level: number }[]>(
      `select unit_id, task, level from accountability_records where owner_type = 'campaign' and owner_id = ? order by unit_id, task`,
      [id],
    );
    expect(accountability).toEqual([
      { unit_id: B, task: 'work_information', level: 3 },
      { unit_id: C, task: 'implementation_plan', level: 3 },
      { unit_id: C, task: 'summary_report', level: 3 },
      { unit_id: C, task: 'work_information', level: 3 },
    ]);

    // The phases, at their dates; the summary phase is skipped because the report is due when implementation ends.
    const phases = (await timelineOf(id))
      .filter((r) => r.kind === 'phase.changed')
      .map((r) => `${r.data.to} @ ${new Date(r.at).toISOString()}`);
    expect(phases.map((p) => p.split(' @ ')[0])).toEqual(['mobilization', 'implementation', 'concluded']);
    expect(phases[0]!.split(' @ ')[1]!.slice(0, 16)).toBe('2027-05-17T16:00');
    expect(phases[1]!.split(' @ ')[1]!.slice(0, 16)).toBe('2027-05-28T16:00');
    expect(phases[2]!.split(' @ ')[1]!.slice(0, 16)).toBe('2027-07-13T15:59');

    // Progress: the leadership view.
    const progress = await app.call('u-leader', 'GET', `/api/v1/campaigns/${id}/progress`);
    expect(progress.status).toBe(200);
    expect(progress.body).toMatchObject({
      phase: 'concluded',
      status: 'active',
      totals: {
        units: 3,
        implementationPlansFiled: 2,
        informationComplete: 1,
        summaryReportsFiled: 2,
        overdueUnits: 2,
        byLevel: { level1: 0, level2: 0, level3: 2 },
        accountabilityRecords: 4,
      },
    });
    const unitOf = (u: string) => progress.body.units.find((x: { unitId: string }) => x.unitId === u);
    expect(unitOf(A)).toMatchObject({
      status: 'completed',
      overdue: false,
      overdueLevel: 0,
      accountability: [],
    });
    expect(unitOf(B).deliverables).toMatchObject({
      implementationPlan: { status: 'filed_late', late: true, overdueLevel: 1 },
      workInformation: { status: 'overdue', filedCount: 2, required: 3, overdue: true, overdueLevel: 3 },
      summaryReport: { status: 'filed', late: false, typicalCases: 1 },
    });
    expect(unitOf(C)).toMatchObject({ status: 'active', overdue: true, overdueLevel: 3 });
    expect(unitOf(C).accountability).toHaveLength(3);

    // The summary reports are stored for the district summary, typical cases resolved to clue id and reference.
    const stored = await db.q<
      { unit_id: string; kind: string; seq: number; late: boolean; content: { typicalCases?: unknown[] } }[]
    >(
      `select unit_id, kind, seq, late, content from campaign_deliverables where campaign_id = ? order by unit_id, kind, seq`,
      [id],
    );
    expect(stored.map((d) => `${d.unit_id} ${d.kind} ${d.seq}${d.late ? ' late' : ''}`)).toEqual([
      `${B} implementation_plan 1 late`,
      `${B} summary_report 1`,
      `${B} work_information 1`,
      `${B} work_information 2`,
      `${A} implementation_plan 1`,
      `${A} summary_report 1`,
      `${A} work_information 1`,
      `${A} work_information 2`,
      `${A} work_information 3`,
    ]);
    expect(stored.find((d) => d.unit_id === B && d.kind === 'summary_report')!.content.typicalCases).toEqual([
      {
        clueId: coHandledClue.id,
        clueRef: coHandledClue.ref,
        title: 'Cross-regional tea club',
        summary: 'Co-handled with Yanshan.',
      },
    ]);

    // A late filing after the deadline is still accepted, recorded late; its escalations stay on record.
    const cPlan = await app.call(
      'u-market',
      'POST',
      `/api/v1/campaigns/${id}/units/${C}/implementation-plan`,
      plan,
    );
    expect(cPlan.status).toBe(200);
    expect(cPlan.body.deliverables.implementationPlan).toMatchObject({
      status: 'filed_late',
      late: true,
      overdueLevel: 3,
    });
    expect(
      cPlan.body.deliverables.implementationPlan.escalations.map((e: { level: number }) => e.level),
    ).toEqual([1, 2, 3]);
    expect(cPlan.body.accountability).toHaveLength(3);

    // Cancellation closes every open clock with the reason; the accountability record stays.
    const cancelled = await app.call('u-coordinator', 'POST', `/api/v1/campaigns/${id}/cancellation`, {
      reason: 'superseded by the provincial campaign',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      phase: 'cancelled',
      cancelReason: 'superseded by the provincial campaign',
    });
    const open = await db.q(
      `select 1 from clocks where owner_type = 'campaign' and owner_id = ? and status = 'open'`,
      [id],
    );
    expect(open).toEqual([]);
    const cancelledClocks = (await timelineOf(id)).filter((r) => r.kind === 'clock.cancelled');
    expect(cancelledClocks.map((r) => `${r.data.unitId} ${r.data.task}`).sort()).toEqual([
      `${B} work_information`,
      `${C} summary_report`,
      `${C} work_information`,
    ]);
    expect(cancelledClocks.every((r) => r.data.reason === 'superseded by the provincial campaign')).toBe(
      true,
    );
    expect(await db.q(`select 1 from accountability_records where owner_id = ?`, [id])).toHaveLength(4);
    expect(await db.q(`select 1 from escalations where owner_id = ? and status = 'open'`, [id])).toEqual([]);
    await eventually(async () => {
      const n = await db.q<{ user_id: string }[]>(
        `select user_id from notifications where key = ? order by user_id`,
        [`campaign:${id}:cancelled`],
      );
      expect(n.map((x) => x.user_id)).toEqual(['u-changhuai', 'u-market', 'u-tushan', 'u-tushan-head']);
    });
    const wf = env.client.workflow.getHandle(campaignWorkflowId(id));
    await eventually(async () => expect((await wf.describe()).status.name).toBe('COMPLETED'));
    for (const u of [A, B, C]) {
      await eventually(async () =>
        expect((await env.client.workflow.getHandle(unitWorkflowId(id, u)).describe()).status.name).toBe(
          'COMPLETED',
        ),
      );
    }
    // No email went out twice.
    const ids = smtp.mails.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    console.log(
      `whole campaign (Nov 2026 → July 26, 2027 simulated) ran in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
});

describe('units joining and leaving a running campaign', () => {
  test('given a running campaign, when a unit joins during implementation, one leaves and rejoins, then clocks follow: new ones from the join, cancelled ones on leaving, fresh ones on rejoining', async () => {
    const created = await app.call('u-coordinator', 'POST', '/api/v1/campaigns', {
      year: 2028,
      unitIds: [A, B],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await sleepUntil(Date.parse('2028-06-07T10:00:00+08:00')); // Wednesday, implementation phase

    // Market Regulation joins: the plan's deadline has passed, so it gets the policy's 5 working days from now.
    const joined = await app.call('u-coordinator', 'POST', `/api/v1/campaigns/${id}/units`, {
      unitIds: [C],
    });
    expect(joined.status).toBe(200);
    const market = joined.body.units.find((u: { unitId: string }) => u.unitId === C);
    expect(market).toMatchObject({
      status: 'active',
      participation: 1,
      dues: {
        implementationPlan: expect.stringMatching(/^2028-06-14T02:0/),
        workInformation: '2028-07-13T15:59:59.000Z',
        summaryReport: '2028-07-13T15:59:59.000Z',
      },
    });
    expect(
      await db.q(`select 1 from notifications where key = ?`, [`campaign:${id}:joined:${C}:p1`]),
    ).not.toHaveLength(0);

    // Changhuai leaves: its open clocks are cancelled with the reason, it can no longer file.
    const left = await app.call(
      'u-coordinator',
      'DELETE',
      `/api/v1/campaigns/${id}/units/${B}?reason=${encodeURIComponent('merged into Tushan')}`,
    );
    expect(left.status).toBe(200);
    expect(left.body.units.find((u: { unitId: string }) => u.unitId === B)).toMatchObject({
      status: 'withdrawn',
      leftReason: 'merged into Tushan',
    });
    const bClocks = await db.q<{ clock_id: string; status: string }[]>(
      `select clock_id, status from clocks where owner_id = ? and unit_id = ? order by clock_id`,
      [id, B],
    );
    expect(bClocks.map((c) => c.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const refused = await app.call(
      'u-changhuai',
      'POST',
      `/api/v1/campaigns/${id}/units/${B}/information`,
      info(1),
    );
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const again = await app.call(
      'u-coordinator',
      'DELETE',
      `/api/v1/campaigns/${id}/units/${B}?reason=twice`,
    );
    expect(again.status).toBe(404);

    // Changhuai rejoins: a second participation with fresh clocks.
    const rejoined = await app.call('u-coordinator', 'POST', `/api/v1/campaigns/${id}/units`, {
      unitIds: [B],
    });
    expect(rejoined.status).toBe(200);
    expect(rejoined.body.units.find((u: { unitId: string }) => u.unitId === B)).toMatchObject({
      status: 'active',
      participation: 2,
    });
    const open = await db.q<{ clock_id: string }[]>(
      `select clock_id from clocks where owner_id = ? and unit_id = ? and status = 'open' order by clock_id`,
      [id, B],
    );
    expect(open.map((c) => c.clock_id)).toEqual([
      `${B}:implementation_plan:p2`,
      `${B}:summary_report:p2`,
      `${B}:work_information:p2`,
    ]);
    const filed = await app.call(
      'u-changhuai',
      'POST',
      `/api/v1/campaigns/${id}/units/${B}/information`,
      info(1),
    );
    expect(filed.status).toBe(200);
    expect(filed.body).toMatchObject({
      participation: 2,
      deliverables: { workInformation: { filedCount: 1 } },
    });

    // An active unit cannot be added twice.
    const dup = await app.call('u-coordinator', 'POST', `/api/v1/campaigns/${id}/units`, { unitIds: [A] });
    expect(dup.status).toBe(422);
    const state = await env.client.workflow.getHandle(campaignWorkflowId(id)).query(campaignStateQuery);
    expect(state.units.map((u) => `${u.unitId}:${u.status}:${u.participation}`).sort()).toEqual(
      [`${B}:active:2`, `${A}:active:1`, `${C}:active:1`].sort(),
    );
    await app.call('u-coordinator', 'POST', `/api/v1/campaigns/${id}/cancellation`, { reason: 'test over' });
  });
});
