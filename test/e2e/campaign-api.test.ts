/**
 * Campaigns end to end, as deployed: API (createApp) + worker (createWorker) on the Temporal dev server,
 * real PostgreSQL and a real SMTP server. One campaign runs in real time with phase dates seconds apart
 * and a per-campaign seconds policy; another (the notice's dates next year) is the target of the
 * validation and authorization checks.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CampaignProgressSchema, CampaignSchema, UnitProgressSchema } from '../../api/routes/campaigns';
import { campaignWorkflowId, unitWorkflowId } from '../../workflows/campaign.messages';
import { startTestApp, type TestApp } from '../helpers/app';
import { insertClue } from '../helpers/fixtures';
import {
  devServerEnv,
  eventually,
  freshDatabase,
  startSmtp,
  type TestDb,
  type TestSmtp,
} from '../helpers/services';

let env: TestWorkflowEnvironment;
let db: TestDb;
let smtp: TestSmtp;
let app: TestApp;

beforeAll(async () => {
  [env, db, smtp] = await Promise.all([devServerEnv(), freshDatabase(), startSmtp()]);
  app = await startTestApp({ env, db, smtp, taskQueue: 'campaign-e2e' });
});

afterAll(async () => {
  await app?.close();
  await Promise.all([env?.teardown(), db?.close(), smtp?.close()]);
});

const A = 'tushan-scenic-area';
const B = 'changhuai-town';

const plan = {
  riskPoints: ['rebate schemes in the scenic area shops'],
  measures: ['shop-by-shop inspection'],
  responsibilities: [{ duty: 'inspection', responsible: 'Wang Fang' }],
};
const info = (n: number) => ({ type: 'highlights', title: `Information ${n}`, content: `Progress ${n}.` });
const report = (cases: { clue: string; title: string; summary: string }[] = []) => ({
  overallSituation: 'Two clues.',
  regionalDistribution: 'Scenic area.',
  causes: 'Rebate promises.',
  difficultiesAndOutlook: 'Stable.',
  nextSteps: 'Monthly checks.',
  typicalCases: cases,
});
const iso = (ms: number) => new Date(ms).toISOString();

function expectProblem(
  r: { status: number; headers: Headers; body: { type?: string } },
  status: number,
  kind: string,
) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.body.type).toMatch(new RegExp(`${kind}$`));
}

describe('a campaign in real time through the API', () => {
  test('given phases seconds apart, when one unit files at once and the other only after its ladder ran out, then every phase is announced, the silent unit is reminded and escalated to accountability by email and in-app, its late filings are recorded late, and the campaign closes by itself', async () => {
    const clue = await insertClue(db.em(), { leadUnitId: A });
    const t0 = Date.now();
    const s = (sec: number) => iso(t0 + sec * 1000);
    const created = await app.call('u-coordinator', 'POST', '/api/v1/campaigns', {
      name: 'Seconds campaign',
      phases: {
        mobilization: { start: s(3), end: s(12) },
        implementation: { start: s(12), end: s(20) },
        summaryReportDue: s(24),
      },
      unitIds: [A, B],
      policy: {
        mode: 'calendar',
        calendar: 'weekdays',
        reminders: ['PT3S'],
        escalation: ['PT0S', 'PT2S', 'PT4S'],
      },
    });
    expect(created.status).toBe(201);
    CampaignSchema.parse(created.body);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/api/v1/campaigns/${id}`);
    expect((await env.client.workflow.getHandle(campaignWorkflowId(id)).describe()).type).toBe(
      'campaignWorkflow',
    );

    // Tushan files everything straight away.
    const p = await app.call(
      'u-tushan',
      'POST',
      `/api/v1/campaigns/${id}/units/${A}/implementation-plan`,
      plan,
    );
    expect(p.status).toBe(200);
    UnitProgressSchema.parse(p.body);
    for (const n of [1, 2, 3])
      expect(
        (await app.call('u-tushan-head', 'POST', `/api/v1/campaigns/${id}/units/${A}/information`, info(n)))
          .status,
      ).toBe(200);
    const r = await app.call(
      'u-tushan',
      'POST',
      `/api/v1/campaigns/${id}/units/${A}/summary-report`,
      report([{ clue: clue.ref, title: 'Rebate shop', summary: 'Closed down.' }]),
    );
    expect(r.status).toBe(200);
    expect(r.body.deliverables).toMatchObject({
      implementationPlan: { status: 'filed' },
      workInformation: { status: 'filed', filedCount: 3 },
      summaryReport: { status: 'filed', typicalCases: 1 },
    });

    // Changhuai stays silent until every ladder has reached its top (summary report L3 at t0 + 28 s).
    const ladder = ['implementation_plan', 'work_information', 'summary_report'];
    await eventually(
      async () => {
        const acc = await db.q<{ task: string }[]>(
          `select task from accountability_records where owner_id = ? and unit_id = ? order by task`,
          [id, B],
        );
        expect(acc.map((a) => a.task)).toEqual([...ladder].sort());
      },
      60_000,
      250,
    );
    const esc = await db.q<{ task: string; level: number }[]>(
      `select task, level from escalations where owner_id = ? order by task, level`,
      [id],
    );
    expect(esc.map((e) => `${e.task} L${e.level}`)).toEqual(
      [...ladder].sort().flatMap((t) => [1, 2, 3].map((l) => `${t} L${l}`)),
    );
    const reminders = await db.q<{ key: string; user_id: string; subject: string }[]>(
      `select key, user_id, subject from notifications where owner_id = ? and kind = 'reminder' order by key`,
      [id],
    );
    expect(reminders.map((x) => x.user_id)).toEqual(['u-changhuai', 'u-changhuai', 'u-changhuai']);
    expect(reminders.map((x) => x.key.replace(`reminder:campaign:${id}:`, '')).sort()).toEqual(
      ladder.map((t) => `${B}:${t}:p1:g0:r0`).sort(),
    );
    expect(reminders[0]!.subject).toMatch(/^\[Reminder\] Seconds campaign: ".+" of Changhuai Town is due /);

    // Each phase was announced to both units, in their languages, in-app and by email.
    const phases = await db.q<{ key: string; user_id: string }[]>(
      `select key, user_id from notifications where owner_id = ? and kind = 'campaign_phase' order by id`,
      [id],
    );
    for (const ph of ['mobilization', 'implementation', 'summary', 'concluded']) {
      expect(
        phases
          .filter((x) => x.key === `campaign:${id}:phase:${ph}`)
          .map((x) => x.user_id)
          .sort(),
      ).toEqual(['u-changhuai', 'u-tushan', 'u-tushan-head']);
    }
    await eventually(() => {
      const toB = smtp.mails.filter(
        (m) => m.to.includes('changhuai@district.local') && m.subject.includes('Seconds campaign'),
      );
      expect(toB.map((m) => m.subject)).toEqual(
        expect.arrayContaining([
          '[Campaign] Seconds campaign has entered the Mobilization and deployment phase',
          '[Campaign] Seconds campaign has entered the Implementation phase',
          '[Campaign] Seconds campaign has entered the Summary report phase',
          '[Campaign] Seconds campaign has ended',
          expect.stringMatching(/^\[Reminder\] Seconds campaign/),
        ]),
      );
      expect(
        smtp.mails.filter(
          (m) => m.to.includes('tushan@district.local') && m.subject.includes('进入动员部署阶段'),
        ),
      ).toHaveLength(1);
    });

    // The leadership view while Changhuai is at the top of the ladder.
    const during = await app.call('u-leader', 'GET', `/api/v1/campaigns/${id}/progress`);
    expect(during.status).toBe(200);
    CampaignProgressSchema.parse(during.body);
    expect(during.body).toMatchObject({
      phase: 'concluded',
      totals: { units: 2, overdueUnits: 1, byLevel: { level3: 1 }, accountabilityRecords: 3 },
    });
    await eventually(async () => {
      const list: string[] = [];
      for await (const w of env.client.workflow.list({
        query: `WorkflowType = 'unitDeliverablesWorkflow' AND OverdueLevel = 3 AND LeadUnit = '${B}'`,
      })) {
        list.push(w.workflowId);
      }
      expect(list).toEqual([unitWorkflowId(id, B)]);
    });

    // Changhuai files everything late: accepted, recorded late, escalations kept; then the campaign closes itself.
    expect(
      (await app.call('u-changhuai', 'POST', `/api/v1/campaigns/${id}/units/${B}/implementation-plan`, plan))
        .status,
    ).toBe(200);
    for (const n of [1, 2, 3])
      expect(
        (await app.call('u-changhuai', 'POST', `/api/v1/campaigns/${id}/units/${B}/information`, info(n)))
          .status,
      ).toBe(200);
    const late = await app.call(
      'u-changhuai',
      'POST',
      `/api/v1/campaigns/${id}/units/${B}/summary-report`,
      report(),
    );
    expect(late.status).toBe(200);
    for (const k of ['implementationPlan', 'workInformation', 'summaryReport']) {
      expect(late.body.deliverables[k]).toMatchObject({ status: 'filed_late', late: true, overdueLevel: 3 });
      expect(late.body.deliverables[k].escalations.map((e: { level: number }) => e.level)).toEqual([1, 2, 3]);
    }
    await eventually(async () =>
      expect((await env.client.workflow.getHandle(campaignWorkflowId(id)).describe()).status.name).toBe(
        'COMPLETED',
      ),
    );
    const after = await app.call('u-coordinator', 'GET', `/api/v1/campaigns/${id}/progress`);
    expect(after.body).toMatchObject({
      phase: 'closed',
      status: 'closed',
      totals: { overdueUnits: 0, accountabilityRecords: 3 },
    });
    const rows = await db.q<{ unit_id: string; kind: string; late: boolean }[]>(
      `select unit_id, kind, bool_or(late) as late from campaign_deliverables where campaign_id = ? group by unit_id, kind order by unit_id, kind`,
      [id],
    );
    expect(rows.map((x) => `${x.unit_id} ${x.kind} ${x.late}`)).toEqual([
      `${B} implementation_plan true`,
      `${B} summary_report true`,
      `${B} work_information true`,
      `${A} implementation_plan false`,
      `${A} summary_report false`,
      `${A} work_information false`,
    ]);
    for (const u of [A, B]) {
      await eventually(async () =>
        expect((await env.client.workflow.getHandle(unitWorkflowId(id, u)).describe()).status.name).toBe(
          'COMPLETED',
        ),
      );
    }
    const ids = smtp.mails.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('validation and authorization', () => {
  let id: string;
  beforeAll(async () => {
    const r = await app.call('u-coordinator', 'POST', '/api/v1/campaigns', { year: 2027, unitIds: [A, B] });
    expect(r.status).toBe(201);
    id = r.body.id;
  });
  const file = (user: string, unit: string, what: string, body: unknown) =>
    app.call(user, 'POST', `/api/v1/campaigns/${id}/units/${unit}/${what}`, body);
  const paths = (r: { body: { errors?: { path: (string | number)[] }[] } }) =>
    (r.body.errors ?? []).map((e) => e.path.join('.'));

  test('an implementation plan without risk points, measures or responsibilities is 422 naming each field', async () => {
    const r = await file('u-tushan', A, 'implementation-plan', { riskPoints: [] });
    expectProblem(r, 422, 'validation-error');
    expect(paths(r)).toEqual(expect.arrayContaining(['riskPoints', 'measures', 'responsibilities']));
    const blank = await file('u-tushan', A, 'implementation-plan', {
      ...plan,
      responsibilities: [{ duty: 'x', responsible: '  ' }],
    });
    expectProblem(blank, 422, 'validation-error');
    expect(paths(blank)).toEqual(['responsibilities.0.responsible']);
  });

  test('a fourth typical case is 422 naming the limit of three', async () => {
    const clue = await insertClue(db.em(), { leadUnitId: A });
    const cases = [1, 2, 3, 4].map((n) => ({ clue: clue.ref, title: `case ${n}`, summary: 's' }));
    const r = await file('u-tushan', A, 'summary-report', report(cases));
    expectProblem(r, 422, 'validation-error');
    expect(r.body.errors).toEqual([
      expect.objectContaining({
        path: ['typicalCases'],
        message: 'at most 3 typical cases are allowed (notice VI.4)',
      }),
    ]);
  });

  test('a typical case citing a clue the unit neither leads nor co-handles is 422', async () => {
    const other = await insertClue(db.em(), { leadUnitId: 'yanshan-town' });
    const r = await file(
      'u-tushan',
      A,
      'summary-report',
      report([{ clue: other.id, title: 'not ours', summary: 's' }]),
    );
    expectProblem(r, 422, 'validation-error');
    expect(paths(r)).toEqual(['typicalCases.0.clue']);
  });

  test('work information of an unknown type is 422 on the type field', async () => {
    const r = await file('u-tushan', A, 'information', { type: 'gossip', title: 't', content: 'c' });
    expectProblem(r, 422, 'validation-error');
    expect(paths(r)).toEqual(['type']);
  });

  test('a report for a unit not in the campaign is 404', async () => {
    const r = await file('u-coordinator', 'yanshan-town', 'summary-report', report());
    expectProblem(r, 404, 'not-found');
    expect(r.body.detail).toBe('unit "yanshan-town" does not take part in this campaign');
  });

  test('a unit officer files only for its own unit (403) and sees only campaigns its unit takes part in (404)', async () => {
    expectProblem(await file('u-changhuai', A, 'information', info(1)), 403, 'forbidden');
    expectProblem(await app.call('u-market', 'GET', `/api/v1/campaigns/${id}`), 404, 'not-found');
    expectProblem(await app.call('u-market', 'GET', `/api/v1/campaigns/${id}/progress`), 404, 'not-found');
    const own = await app.call('u-changhuai', 'GET', `/api/v1/campaigns/${id}/progress`);
    expect(own.status).toBe(200);
    expect(own.body.units.map((u: { unitId: string }) => u.unitId)).toEqual([B]);
    expectProblem(
      await app.call('u-changhuai', 'POST', `/api/v1/campaigns/${id}/cancellation`, { reason: 'no' }),
      403,
      'forbidden',
    );
    const leader = await app.call('u-leader', 'GET', `/api/v1/campaigns/${id}/progress`);
    expect(leader.status).toBe(200);
    CampaignProgressSchema.parse(leader.body);
    expect(leader.body.units).toHaveLength(2);
  });

  test('a plan filed twice is 409; the first stays', async () => {
    expect((await file('u-tushan', A, 'implementation-plan', plan)).status).toBe(200);
    expectProblem(await file('u-tushan', A, 'implementation-plan', plan), 409, 'invalid-transition');
    const d = await app.call('u-tushan', 'GET', `/api/v1/campaigns/${id}/units/${A}/deliverables`);
    expect(d.body.items.filter((x: { kind: string }) => x.kind === 'implementation_plan')).toHaveLength(1);
  });

  test('starting a campaign with bad dates or units is 422 naming the field; the same Idempotency-Key starts it once', async () => {
    const t = Date.now() + 86_400_000;
    const bad = await app.call('u-coordinator', 'POST', '/api/v1/campaigns', {
      phases: {
        mobilization: { start: iso(t), end: iso(t + 10_000) },
        implementation: { start: iso(t + 5_000), end: iso(t + 20_000) },
        summaryReportDue: iso(t + 20_000),
      },
    });
    expectProblem(bad, 422, 'validation-error');
    expect(paths(bad)).toEqual(['phases.implementation.start']);
    const past = await app.call('u-coordinator', 'POST', '/api/v1/campaigns', { year: 2020 });
    expectProblem(past, 422, 'validation-error');
    expect(paths(past)).toEqual(['year']);
    const office = await app.call('u-coordinator', 'POST', '/api/v1/campaigns', {
      year: 2027,
      unitIds: [A, 'district-office'],
    });
    expectProblem(office, 422, 'validation-error');
    expect(paths(office)).toEqual(['unitIds.1']);
    const unknown = await app.call('u-coordinator', 'POST', '/api/v1/campaigns', {
      year: 2027,
      unitIds: ['atlantis'],
    });
    expectProblem(unknown, 422, 'validation-error');

    const first = await app.call(
      'u-coordinator',
      'POST',
      '/api/v1/campaigns',
      { year: 2027 },
      { 'Idempotency-Key': 'camp-1' },
    );
    const again = await app.call(
      'u-coordinator',
      'POST',
      '/api/v1/campaigns',
      { year: 2027 },
      { 'Idempotency-Key': 'camp-1' },
    );
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    // Default participants: every town, community and department except public security and the District Office.
    expect(first.body.units.map((u: { unitId: string }) => u.unitId).sort()).toEqual(
      [
        'changhuai-town',
        'donghai-community',
        'finance-bureau',
        'market-regulation',
        'tushan-scenic-area',
        'yanshan-town',
      ].sort(),
    );
    await app.call('u-coordinator', 'POST', `/api/v1/campaigns/${first.body.id}/cancellation`, {
      reason: 'test over',
    });
  });
});
