/**
 * One clue end to end, as deployed: the API (createApp) and the worker (createWorker) on the Temporal dev
 * server, real PostgreSQL and a real SMTP server, with a seconds-scale deadline policy so the clocks run
 * in real time. Registration → verification left to run through its whole ladder → classification →
 * plan with a criminal referral → plan review → hand-off to public security → acceptance → milestone →
 * monitoring follow-ups → closure. Checks what reached the SMTP server (each key once), the 409 for an
 * illegal transition, and `OverdueLevel > 0` on the server's visibility store.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { clueWorkflowId } from '../../src/services/clues';
import { SA_OVERDUE_LEVEL, SA_STAGE } from '../../src/temporal/search-attributes';
import { intakeBody, startTestApp, type TestApp } from '../helpers/app';
import {
  devServerEnv,
  eventually,
  freshDatabase,
  startSmtp,
  type TestDb,
  type TestSmtp,
} from '../helpers/services';

/** Seconds policy: verification due 4 s after registration, reminder 2 s before, ladder at +0/+2/+4 s. */
const POLICY = JSON.stringify({
  preset: 'seconds',
  tiers: { verification: 'PT4S' },
  reminders: ['PT2S'],
  escalation: ['PT0S', 'PT2S', 'PT4S'],
  followUps: ['PT3S', 'PT6S', 'PT9S'],
});

let env: TestWorkflowEnvironment;
let db: TestDb;
let smtp: TestSmtp;
let app: TestApp;

beforeAll(async () => {
  [env, db, smtp] = await Promise.all([devServerEnv(), freshDatabase(), startSmtp()]);
  app = await startTestApp({ env, db, smtp, taskQueue: 'clue-e2e', configEnv: { DEADLINE_POLICY: POLICY } });
});

afterAll(async () => {
  await app?.close();
  await Promise.all([env?.teardown(), db?.close(), smtp?.close()]);
});

const overdueIds = async () => {
  const ids: string[] = [];
  for await (const w of env.client.workflow.list({ query: 'OverdueLevel > 0' })) ids.push(w.workflowId);
  return ids;
};
const mailTo = (addr: string, subject: RegExp) =>
  smtp.mails.filter((m) => m.to.includes(addr) && subject.test(m.subject));

describe('a clue through the API in real time', () => {
  test('given a seconds policy, when a clue is registered, left overdue, then disposed with a criminal referral, followed up and closed, then every reminder, escalation and the hand-off notice reached the right people once, illegal transitions got 409, and OverdueLevel was searchable', async () => {
    // Registration (coordinator), co-handled by Changhuai whose officer reads English.
    const reg = await app.call(
      'u-coordinator',
      'POST',
      '/api/v1/clues',
      intakeBody({ coHandlingUnitIds: ['changhuai-town'] }),
    );
    expect(reg.status).toBe(201);
    const id = reg.body.id as string;
    const ref = reg.body.ref as string;
    const wfId = clueWorkflowId(id);
    expect(reg.body.workflowId).toBe(wfId);
    const post = (user: string, path: string, body: unknown) =>
      app.call(user, 'POST', `/api/v1/clues/${id}/${path}`, body);
    await eventually(async () =>
      expect((await app.call('u-tushan', 'GET', `/api/v1/clues/${id}`)).body.state?.stage).toBe('verifying'),
    );

    // Changhuai files its information exchange at once (its own clock), the lead unit is told.
    expect(
      (
        await post('u-changhuai', 'information-exchange', {
          summary: 'the company rents a shop in Changhuai',
        })
      ).status,
    ).toBe(200);

    // Nobody verifies: reminder at 2 s, level 1 at 4 s, level 2 at 6 s, level 3 (accountability) at 8 s.
    await eventually(async () => expect(await overdueIds()).toContain(wfId), 15_000, 250);
    await eventually(
      () => expect(mailTo('tushan-head@district.local', /^【三级督办】【问责提示】/)).toHaveLength(1),
      20_000,
      250,
    );
    expect(mailTo('tushan@district.local', /^【到期提醒】/).map((m) => m.subject)).toEqual([
      expect.stringContaining(`线索${ref}“线索核查”将于`) as unknown,
    ]);
    // Each rung has its own subject; the unit gets its order at every rung, the head and the District
    // Office a supervision notice, leadership a 督办 request from level 2 on.
    for (const [addr, l1, l2, l3] of [
      ['tushan@district.local', 1, 1, 1],
      ['tushan-head@district.local', 1, 1, 1],
      ['coordinator@district.local', 1, 1, 1],
      ['leader@district.local', 0, 1, 1],
    ] as const) {
      expect([addr, mailTo(addr, /^【一级督办】/).length]).toEqual([addr, l1]);
      expect([addr, mailTo(addr, /^【二级督办】/).length]).toEqual([addr, l2]);
      expect([addr, mailTo(addr, /^【三级督办】【问责提示】/).length]).toEqual([addr, l3]);
    }
    expect(mailTo('tushan@district.local', /^【一级督办】/)[0]!.subject).toBe(
      `【一级督办】线索${ref}“线索核查”已到期`,
    );
    expect(mailTo('leader@district.local', /^【二级督办】/)[0]!.subject).toMatch(
      new RegExp(`^【二级督办】请您督办：涂山风景区线索${ref}“线索核查”已(到期|逾期\\d+个工作日)$`),
    );
    const [acc] = await db.q<{ unit_id: string; level: number }[]>(
      'select unit_id, level from accountability_records where owner_id = ?',
      [id],
    );
    expect(acc).toEqual({ unit_id: 'tushan-scenic-area', level: 3 });
    expect(
      (await env.client.workflow.getHandle(wfId).describe()).typedSearchAttributes.get(SA_OVERDUE_LEVEL),
    ).toBe(3);

    // An illegal transition is a 409 naming what the stage allows; invalid content a 422.
    const early = await post('u-tushan', 'plan', {
      strategies: ['warning_interview'],
      measures: 'm',
      responsiblePerson: 'Wang Fang',
      milestones: [{ title: 'x', dueAt: new Date(Date.now() + 60_000).toISOString() }],
    });
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(early.body).toMatchObject({
      stage: 'verifying',
      allowedTransitions: expect.arrayContaining(['verification']) as unknown,
    });
    const bad = await post('u-tushan', 'deadline-extensions', {
      clockId: 'verification-1',
      newDueAt: '2000-01-01T00:00:00Z',
      reason: 'x',
    });
    expect(bad.status).toBe(422);

    // Verification ends the overdue state; it leaves the OverdueLevel > 0 list.
    let r = await post('u-tushan', 'verification', {
      findings: 'shop visited, contracts seen',
      factsConfirmed: true,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ stage: 'classifying', overdueLevel: 0 });
    await eventually(async () => expect(await overdueIds()).not.toContain(wfId), 15_000, 250);

    r = await post('u-tushan', 'classification', {
      nature: 'suspected_crime',
      repaymentAbility: 'partial',
      repaymentWillingness: 'low',
      reasoning: 'fixed returns promised to the public',
    });
    expect(r.body.stage).toBe('planning');
    r = await post('u-tushan', 'plan', {
      strategies: ['warning_interview', 'criminal_referral'],
      measures: 'interview the principals; hand over to public security',
      responsiblePerson: 'Wang Fang',
      milestones: [{ id: 'm1', title: 'interview held', dueAt: new Date(Date.now() + 60_000).toISOString() }],
    });
    expect(r.body.stage).toBe('plan_review');
    // Only a coordinator reviews.
    expect((await post('u-tushan', 'plan-review', { decision: 'approve' })).status).toBe(403);
    r = await post('u-coordinator', 'plan-review', { decision: 'approve', comment: 'go ahead' });
    expect(r.status).toBe(200);
    expect(r.body.stage).toBe('referred');

    // The hand-off: the liaison gets the notice, sees the package, and accepts with a case number.
    await eventually(() => expect(mailTo('police@district.local', /^【线索移交】/)).toHaveLength(1));
    const seen = await app.call('u-police', 'GET', `/api/v1/clues/${id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.referrals).toHaveLength(1);
    expect(
      (await post('u-tushan', 'referral-acknowledgement', { decision: 'accepted', policeCaseNumber: 'X' }))
        .status,
    ).toBe(403);
    r = await post('u-police', 'referral-acknowledgement', {
      decision: 'accepted',
      policeCaseNumber: 'GA-2026-0815',
    });
    expect(r.status).toBe(200);
    expect(r.body.stage).toBe('disposing');
    const [referral] = await db.q<{ status: string; police_case_number: string }[]>(
      'select status, police_case_number from referrals where clue_id = ?',
      [id],
    );
    expect(referral).toEqual({ status: 'accepted', police_case_number: 'GA-2026-0815' });

    // Disposal: an action, the milestone, then monitoring with follow-ups 3, 6 and 9 s later.
    expect(
      (await post('u-tushan', 'actions', { description: 'warning interview with the legal representative' }))
        .status,
    ).toBe(200);
    r = await post('u-tushan', 'milestones/m1/completion', { note: 'held on site' });
    expect(r.body.stage).toBe('monitoring');
    await eventually(
      () => expect(mailTo('tushan@district.local', /^【回访提醒】/).length).toBeGreaterThan(0),
      10_000,
      250,
    );
    for (let i = 0; i < 3; i++) {
      r = await post('u-tushan', 'follow-ups', {
        resurgence: false,
        findings: `visit ${i + 1}: the shop stays closed`,
      });
      expect(r.status).toBe(200);
    }
    expect(r.body.followUps).toHaveLength(3);

    // Closure: a summary, then the coordinator's approval.
    r = await post('u-tushan', 'closure', {
      summary: 'scheme stopped, case with public security (GA-2026-0815)',
    });
    expect(r.body.stage).toBe('closure_review');
    r = await post('u-coordinator', 'closure/decision', { decision: 'approve', comment: 'closed' });
    expect(r.body.stage).toBe('closed');
    const after = await post('u-tushan', 'actions', { description: 'too late' });
    expect(after.status).toBe(409);
    expect(after.body).toMatchObject({ stage: 'closed', allowedTransitions: ['reopening'] });
    await eventually(async () => {
      const d = await env.client.workflow.getHandle(wfId).describe();
      expect(d.typedSearchAttributes.get(SA_STAGE)).toBe('closed');
      expect(d.typedSearchAttributes.get(SA_OVERDUE_LEVEL)).toBe(0);
    });

    // What reached the SMTP server: stage changes in each reader's language, and every message once.
    await eventually(() =>
      expect(mailTo('changhuai@district.local', /has moved to stage "Closed"$/)).toHaveLength(1),
    );
    expect(mailTo('tushan@district.local', /^\[Information exchange\]|^【信息互通】/)).toHaveLength(1);
    const ids = smtp.mails.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    const rows = await db.q<{ n: number; sent: number }[]>(
      `select count(*)::int as n, count(*) filter (where status = 'sent')::int as sent from mail_outbox where key like ?`,
      [`%${id}%`],
    );
    expect(rows[0]!.sent).toBe(rows[0]!.n);
    expect(smtp.mails.filter((m) => m.messageId.includes(id))).toHaveLength(rows[0]!.n);
  });
});
