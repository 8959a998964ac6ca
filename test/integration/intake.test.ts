/**
 * The first vertical slice through every real part: POST a clue through the API, see its workflow
 * running in Temporal (dev server), the reminder email at the SMTP server and the notification row
 * in PostgreSQL. Seconds-scale policy so it runs in real time.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  devServerEnv,
  eventually,
  freshDatabase,
  startSmtp,
  type TestDb,
  type TestSmtp,
} from '../helpers/services';
import { intakeBody, startTestApp, type TestApp } from '../helpers/app';
import { insertClue } from '../helpers/fixtures';
import { resumeStalledIntakes } from '../../src/services/clues';

let env: TestWorkflowEnvironment;
let db: TestDb;
let smtp: TestSmtp;
let app: TestApp;

beforeAll(async () => {
  [env, db, smtp] = await Promise.all([devServerEnv(), freshDatabase(), startSmtp()]);
  app = await startTestApp({
    env,
    db,
    smtp,
    taskQueue: 'intake-it',
    configEnv: {
      DEADLINE_POLICY: JSON.stringify({
        preset: 'seconds',
        tiers: { verification: 'PT6S' },
        reminders: ['PT3S'],
        escalation: ['PT0S', 'PT30S', 'PT60S'],
      }),
    },
  });
});

afterAll(async () => {
  await app?.close();
  await Promise.all([env?.teardown(), db?.close(), smtp?.close()]);
});

describe('clue intake through the API', () => {
  test('a registered clue runs as workflow clue-<id>, and its verification reminder and level-1 escalation arrive by email and in-app', async () => {
    const r = await app.call('u-coordinator', 'POST', '/api/v1/clues', intakeBody());
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      ref: expect.stringMatching(/^XS-\d{4}-\d{6}$/),
      workflowId: `clue-${r.body.id}`,
    });
    expect(r.headers.get('location')).toBe(`/api/v1/clues/${r.body.id}`);

    const desc = await env.client.workflow.getHandle(r.body.workflowId).describe();
    expect(desc.status.name).toBe('RUNNING');
    expect(desc.type).toBe('clueWorkflow');

    const rows = await eventually(async () => {
      const n = await db.q<{ user_id: string; subject: string; locale: string }[]>(
        `select user_id, subject, locale from notifications where kind = 'reminder' and owner_id = ? order by user_id`,
        [r.body.id],
      );
      expect(n.map((x) => x.user_id)).toEqual(['u-tushan', 'u-tushan-head']);
      return n;
    });
    expect(rows[0]!.subject).toContain('到期提醒');
    await eventually(() =>
      expect(
        smtp.mails.filter((m) => m.to.includes('tushan@district.local') && m.subject.includes('到期提醒')),
      ).toHaveLength(1),
    );

    await eventually(async () => {
      const esc = await db.q<{ level: number }[]>(`select level from escalations where owner_id = ?`, [
        r.body.id,
      ]);
      expect(esc).toEqual([{ level: 1 }]);
    });
    await eventually(() =>
      expect(
        smtp.mails.some((m) => m.to.includes('coordinator@district.local') && m.subject.includes(r.body.ref)),
      ).toBe(true),
    );

    const withSa = await eventually(async () => {
      const list: string[] = [];
      for await (const w of env.client.workflow.list({
        query: `WorkflowId = '${r.body.workflowId}' AND OverdueLevel > 0`,
      }))
        list.push(w.workflowId);
      expect(list).toEqual([r.body.workflowId]);
      return list;
    });
    expect(withSa).toHaveLength(1);
  });

  test('the same Idempotency-Key and body registers once; a different body with that key is refused', async () => {
    const body = intakeBody({ subject: { name: 'Idempotent Trading Co.', kind: 'enterprise' } });
    const a = await app.call('u-coordinator', 'POST', '/api/v1/clues', body, { 'Idempotency-Key': 'k-1' });
    const b = await app.call('u-coordinator', 'POST', '/api/v1/clues', body, { 'Idempotency-Key': 'k-1' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
    const c = await app.call(
      'u-coordinator',
      'POST',
      '/api/v1/clues',
      { ...body, participants: 9 },
      { 'Idempotency-Key': 'k-1' },
    );
    expect(c.status).toBe(422);
    expect(c.body.type).toMatch(/idempotency-key-reused$/);
    const [{ n } = { n: 0 }] = await db.q<{ n: number }[]>(
      `select count(*)::int as n from clues where subject_name = 'Idempotent Trading Co.'`,
    );
    expect(n).toBe(1);
  });

  test('a clue left half-registered (row written, workflow never started) is started by the start-up sweep', async () => {
    const clue = await insertClue(db.em());
    await db.q(`update clues set created_at = now() - interval '5 minutes' where id = ?`, [clue.id]);
    expect(await resumeStalledIntakes(app.ctx)).toBeGreaterThanOrEqual(1);
    const desc = await env.client.workflow.getHandle(`clue-${clue.id}`).describe();
    expect(desc.status.name).toBe('RUNNING');
    await eventually(async () =>
      expect(
        (await db.q<{ stage: string }[]>('select stage from clues where id = ?', [clue.id]))[0]!.stage,
      ).toBe('verifying'),
    );
  });

  describe('bad input gets a 4xx problem+json, never a 500, and stores nothing', () => {
    const before = () => db.q<{ n: number }[]>('select count(*)::int as n from clues').then((r) => r[0]!.n);
    test.each([
      ['malformed JSON', '{"sourceChannel": ', 400, /malformed-json$/],
      ['a wrong type', JSON.stringify(intakeBody({ participants: 'many' })), 422, /validation-error$/],
      ['an unknown field', JSON.stringify(intakeBody({ stage: 'closed' })), 422, /validation-error$/],
      ['a server-owned field', JSON.stringify(intakeBody({ grade: 'I' })), 422, /validation-error$/],
      [
        'an invalid credit code',
        JSON.stringify(
          intakeBody({ subject: { name: 'X', kind: 'enterprise', creditCode: '914403001922038217' } }),
        ),
        422,
        /validation-error$/,
      ],
      ['an unknown unit', JSON.stringify(intakeBody({ leadUnitId: 'atlantis' })), 422, /validation-error$/],
      [
        'an oversize body',
        JSON.stringify(intakeBody({ description: 'x'.repeat(400_000) })),
        413,
        /payload-too-large$/,
      ],
      ['an array body', '[]', 422, /validation-error$/],
    ])('%s', async (_what, raw, status, type) => {
      const n0 = await before();
      const r = await app.call('u-coordinator', 'POST', '/api/v1/clues', raw);
      expect(r.status).toBe(status);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(r.body.type).toMatch(type);
      expect(await before()).toBe(n0);
    });

    test('validation errors name the field paths', async () => {
      const r = await app.call(
        'u-coordinator',
        'POST',
        '/api/v1/clues',
        intakeBody({ participants: -1, subject: { name: '', kind: 'robot' } }),
      );
      expect(r.status).toBe(422);
      const paths = (r.body.errors as { path: (string | number)[] }[]).map((e) => e.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['participants', 'subject.name', 'subject.kind']));
    });

    test('a non-JSON content type is 415', async () => {
      const r = await app.call('u-coordinator', 'POST', '/api/v1/clues', 'a=b', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(r.status).toBe(415);
    });
  });
});
