/**
 * Leadership notices on a real Temporal dev server, PostgreSQL and SMTP: the weekly digest schedule
 * (created idempotently, Mondays 09:00 Asia/Shanghai), the digest itself (once per week and leader,
 * in each leader's language), and the duplicate-clue notice to the open clue's lead unit.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureDigestSchedule, DIGEST_SCHEDULE_ID } from '../../src/reports/digest';
import { isoWeekKey } from '../../src/reports/week';
import { startDuplicateNotice } from '../../src/ledger/duplicates';
import { weeklyDigestWorkflow } from '../../workflows/digest.workflow';
import { insertClue } from '../helpers/fixtures';
import {
  devServerEnv,
  eventually,
  freshDatabase,
  startSmtp,
  type TestDb,
  type TestSmtp,
} from '../helpers/services';
import { intakeBody, startTestApp, type TestApp } from '../helpers/app';

const TQ = 'digest-it';
let env: TestWorkflowEnvironment;
let db: TestDb;
let smtp: TestSmtp;
let app: TestApp;

beforeAll(async () => {
  [env, db, smtp] = await Promise.all([devServerEnv(), freshDatabase('digest_test'), startSmtp()]);
  app = await startTestApp({ env, db, smtp, taskQueue: TQ });
  await db.q(
    `insert into users (id, name, email, role, unit_id, is_unit_head, locale, active) values ('u-leader-en', 'Deputy Head', 'deputy@district.local', 'leader', null, false, 'en', true)`,
  );
});

afterAll(async () => {
  await app?.close();
  await Promise.all([env?.teardown(), db?.close(), smtp?.close()]);
});

describe('duplicate clues', () => {
  test('given an open clue, when a clue about the same subject is registered, then it is linked and the open clue’s lead unit is told once', async () => {
    const first = await app.call('u-coordinator', 'POST', '/api/v1/clues', intakeBody());
    const second = await app.call(
      'u-coordinator',
      'POST',
      '/api/v1/clues',
      intakeBody({
        description: 'A second report about the same company: new branch collecting deposits.',
        leadUnitId: 'changhuai-town',
      }),
    );
    expect(second.status).toBe(201);
    expect(second.body.duplicateOfId).toBe(first.body.id);
    const rows = await eventually(async () => {
      const n = await db.q<{ user_id: string; subject: string; owner_id: string }[]>(
        `select user_id, subject, owner_id from notifications where kind = 'duplicate' order by user_id`,
      );
      expect(n.map((x) => x.user_id)).toEqual(['u-tushan', 'u-tushan-head']);
      return n;
    });
    expect(rows[0]!.subject).toBe(
      `【疑似重复线索】新登记线索${second.body.ref}与线索${first.body.ref}涉及同一主体`,
    );
    expect(rows[0]!.owner_id).toBe(first.body.id);
    await eventually(() =>
      expect(smtp.mails.filter((m) => m.subject.startsWith('【疑似重复线索】'))).toHaveLength(2),
    );
    // Started again (a retried intake): the same notice, not a second one.
    expect(await startDuplicateNotice(app.ctx, second.body.id)).toBe(true);
    await env.client.workflow.getHandle(`duplicate-notice-${second.body.id}`).result();
    expect(await db.q(`select 1 from notifications where kind = 'duplicate'`)).toHaveLength(2);
    expect(smtp.mails.filter((m) => m.subject.startsWith('【疑似重复线索】'))).toHaveLength(2);
    // The first clue was not a duplicate of anything: nobody was told about it.
    expect(await startDuplicateNotice(app.ctx, first.body.id)).toBe(false);
  });
});

describe('weekly digest', () => {
  test('the schedule is created once, Mondays 09:00 Asia/Shanghai, and repaired if it drifts', async () => {
    expect(await ensureDigestSchedule(env.client, TQ)).toEqual({
      scheduleId: DIGEST_SCHEDULE_ID,
      created: true,
      updated: false,
    });
    expect(await ensureDigestSchedule(env.client, TQ)).toEqual({
      scheduleId: DIGEST_SCHEDULE_ID,
      created: false,
      updated: false,
    });
    expect(await ensureDigestSchedule(env.client, TQ, { hour: 10 })).toMatchObject({ updated: true });
    expect(await ensureDigestSchedule(env.client, TQ)).toMatchObject({ created: false, updated: true });
    const d = await env.client.schedule.getHandle(DIGEST_SCHEDULE_ID).describe();
    expect(d.spec.timezone).toBe('Asia/Shanghai');
    expect(d.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'weeklyDigestWorkflow',
      taskQueue: TQ,
    });
    const next = d.info.nextActionTimes[0]!;
    const cst = new Date(next.getTime() + 8 * 3_600_000);
    expect([cst.getUTCDay(), cst.getUTCHours(), cst.getUTCMinutes()]).toEqual([1, 9, 0]);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
  });

  test('given key clues, overdue items, late units and unacknowledged referrals, when the schedule fires, then every leader gets the digest once in their language', async () => {
    const key = await insertClue(db.em(), { leadUnitId: 'yanshan-town', grade: 'I' });
    await db.q(`update clues set key_clue = true where id = ?`, [key.id]);
    const ref = await insertClue(db.em(), { leadUnitId: 'changhuai-town' });
    await db.q(
      `insert into referrals (id, clue_id, seq, police_unit_id, package, sent_at, status) values ('r-1', ?, 1, 'public-security', '{}', now(), 'awaiting')`,
      [ref.id],
    );
    const esc = (n: number, level: number, status = 'open') =>
      db.q(
        `insert into escalations (key, owner_type, owner_id, owner_ref, clock_id, task, unit_id, level, due_at, escalated_at, status)
         values (?, 'clue', ?, ?, 'plan-1', 'plan', 'yanshan-town', ?, now() - interval '3 days', now(), ?)`,
        [`e${n}`, key.id, key.ref, level, status],
      );
    await esc(1, 1);
    await esc(2, 1);
    await esc(3, 2);
    await esc(4, 3, 'acknowledged');
    const clock = (n: number, unit: string, late: boolean) =>
      db.q(
        `insert into clocks (key, owner_type, owner_id, clock_id, task, unit_id, started_at, due_at, status, level, completed_at, late)
         values (?, 'clue', ?, ?, 'verification', ?, now() - interval '9 days', now() - interval '2 days', 'done', 0, now(), ?)`,
        [`k${n}`, key.id, `c${n}`, unit, late],
      );
    await clock(1, 'yanshan-town', true);
    await clock(2, 'yanshan-town', false);
    await clock(3, 'donghai-community', true);
    await clock(4, 'changhuai-town', false);

    await env.client.schedule.getHandle(DIGEST_SCHEDULE_ID).trigger();
    const rows = await eventually(async () => {
      const n = await db.q<{ user_id: string; key: string; subject: string; body: string; locale: string }[]>(
        `select user_id, key, subject, body, locale from notifications where kind = 'digest' order by user_id`,
      );
      expect(n.map((x) => x.user_id)).toEqual(['u-leader', 'u-leader-en']);
      return n;
    });
    const week = isoWeekKey(Date.now());
    expect(rows.map((r) => r.key)).toEqual([`digest:${week}`, `digest:${week}`]);
    const [zh, en] = rows;
    // The two clues registered through the API in this suite are grade III: one new key clue.
    expect(zh!.subject).toBe(`【每周督办简报】${week}：新增重点线索1条，逾期事项3项`);
    expect(zh!.body).toContain(`一、新增重点风险线索1条（${key.ref}）。`);
    expect(zh!.body).toContain(
      '二、逾期督办事项3项，其中单位负责人及区处非办督办2项，区领导督办1项，区领导小组督办0项。',
    );
    expect(zh!.body).toContain(
      '三、按时完成率较低的单位：东海社区0.0%（按时0项／应办结1项）；燕山乡50.0%（按时1项／应办结2项）。',
    );
    expect(zh!.body).toContain(`四、待公安机关签收的移交线索1条（${ref.ref}）。`);
    expect(en!.subject).toBe(`[Weekly digest] ${week}: 1 new key clue, 3 overdue items`);
    // Leaders are addressed by name and linked to the overdue-escalation list, where they act.
    expect(zh!.body).toMatch(/^Li Na同志：\n/);
    expect(zh!.body).toContain('一键阅示并作出批示：http://127.0.0.1:3000/escalations\n');
    expect(en!.body).toContain(
      'Units with the lowest on-time rate: Donghai Community 0.0% (0 of 1 on time); Yanshan Town 50.0% (1 of 2 on time).',
    );
    expect(en!.body).toContain(`Referrals awaiting acknowledgement by public security: 1 (${ref.ref}).`);
    await eventually(() =>
      expect(
        smtp.mails
          .filter((m) => m.subject.includes(week))
          .map((m) => m.to[0])
          .sort(),
      ).toEqual(['deputy@district.local', 'leader@district.local']),
    );

    // Another run in the same week (a retry, a manual trigger) sends nothing new.
    const again = await env.client.workflow.execute(weeklyDigestWorkflow, {
      taskQueue: TQ,
      workflowId: 'digest-again',
    });
    expect(again).toEqual({ week, recipients: 2 });
    expect(await db.q(`select 1 from notifications where kind = 'digest'`)).toHaveLength(2);
    expect(smtp.mails.filter((m) => m.subject.includes(week))).toHaveLength(2);
  });
});
