/**
 * Reporter confidentiality over a whole clue lifecycle, through the API on the real stack (Temporal
 * dev server + worker, PostgreSQL, SMTP), with a seconds-scale policy so reminders, escalations and
 * an accountability record happen too. Every role does its part; then every response, notification,
 * email, export, timeline, workflow history, log line and database row is searched for the reporter's
 * name and phone: they appear in exactly one place — the coordinator's audited unmask response.
 */
import { inflateRawSync } from 'node:zlib';
import { eventually } from '../helpers/services';
import {
  captureLogger,
  expectStatus,
  fillPath,
  intakeBody,
  startApiSuite,
  type ApiSuite,
  type Reply,
} from './support';

const REPORTER = { name: '举报人哨兵王小明', contact: '13812345678' };
const NEEDLES = [REPORTER.name, REPORTER.contact, '王小明'];
const capture = captureLogger();
let s: ApiSuite;

beforeAll(async () => {
  s = await startApiSuite({
    taskQueue: 'api-lifecycle',
    log: capture.log,
    configEnv: {
      LOG_LEVEL: 'debug',
      DEADLINE_POLICY: JSON.stringify({
        preset: 'seconds',
        tiers: { verification: 'PT3S' },
        reminders: ['PT2S'],
        escalation: ['PT0S', 'PT1S', 'PT2S'],
      }),
    },
  });
}, 120_000);

afterAll(async () => {
  await s?.close();
});

const post = async (user: string, path: string, body: unknown, status = 200): Promise<Reply> =>
  expectStatus(await s.call(user, 'POST', `/api/v1${path}`, body), status, `${user} POST ${path}`);

/** Text of a response for searching: JSON/CSV/HTML as is; ZIP containers (xlsx, docx) unpacked. */
function searchable(r: Reply): string {
  if (r.bytes.subarray(0, 2).toString('latin1') === 'PK') return unzipText(r.bytes);
  return r.text;
}

/** Minimal ZIP reader (central directory + raw deflate), enough for Office files. */
function unzipText(buf: Buffer): string {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    parts.push((method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return parts.join('\n');
}

describe('reporter identity over a full lifecycle', () => {
  let id = '';
  let unmaskReply: Reply | undefined;

  test('given a clue registered with a reporter, when every role works it to closure, then the reporter shows only in the coordinator’s unmask', async () => {
    // Intake with a confidential reporter; Tushan leads, Changhuai co-handles.
    const reg = await post(
      'u-coordinator',
      '/clues',
      intakeBody({
        reporter: REPORTER,
        coHandlingUnitIds: ['changhuai-town'],
        subject: { name: 'Lifecycle Pension Co.', kind: 'enterprise' },
      }),
      201,
    );
    id = reg.body.id;
    // Let the verification clock run out: reminder, escalation ladder, accountability record.
    await eventually(async () => {
      const rows = await s.db.q<{ n: number }[]>(
        `select count(*)::int as n from accountability_records where owner_id = ?`,
        [id],
      );
      expect(rows[0]!.n).toBeGreaterThan(0);
    }, 30_000);
    const esc = await s.call('u-leader', 'GET', '/api/v1/escalations?status=all');
    const open = (esc.body.items as { id: number; ownerId: string; status: string }[]).find(
      (e) => e.ownerId === id && e.status === 'open',
    );
    expect(open).toBeDefined();
    await post('u-leader', `/escalations/${open!.id}/acknowledgement`, {
      instruction: 'Verify within the day and report back.',
    });

    await post('u-tushan', `/clues/${id}/verification`, {
      findings: 'Confirmed on site with residents.',
      factsConfirmed: true,
    });
    await post('u-tushan', `/clues/${id}/classification`, {
      nature: 'suspected_illegal_fundraising',
      repaymentAbility: 'partial',
      repaymentWillingness: 'high',
      reasoning: 'Fixed returns promised to the public; assets partly recoverable.',
    });
    await post('u-changhuai', `/clues/${id}/information-exchange`, {
      summary: 'Operating address in Changhuai confirmed; 40 residents involved.',
    });
    await post('u-tushan', `/clues/${id}/plan`, {
      strategies: ['warning_interview', 'criminal_referral'],
      measures: 'Interview the legal representative; refer the fund flows to public security.',
      responsiblePerson: 'Wang Fang',
      milestones: [
        { id: 'm1', title: 'Warning interview held', dueAt: new Date(Date.now() + 3_600_000).toISOString() },
      ],
    });
    const approved = await post('u-coordinator', `/clues/${id}/plan-review`, {
      decision: 'approve',
      comment: 'Proceed.',
    });
    expect(approved.body.stage).toBe('referred');

    // The police liaison sees the referral package, not the clue's internals.
    const pkg = expectStatus(await s.call('u-police', 'GET', `/api/v1/clues/${id}`), 200);
    expect(pkg.body.view).toBe('referral');
    expect(pkg.body.referrals).toHaveLength(1);
    expect(pkg.body).not.toHaveProperty('description');
    expect(pkg.body).not.toHaveProperty('state');
    await post('u-police', `/clues/${id}/referral-acknowledgement`, {
      decision: 'accepted',
      policeCaseNumber: 'GA-2026-0042',
    });

    await post('u-tushan', `/clues/${id}/actions`, { description: 'Interviewed the legal representative.' });
    const monitoring = await post('u-tushan', `/clues/${id}/milestones/m1/completion`, {
      note: 'Held on schedule.',
    });
    expect(monitoring.body.stage).toBe('monitoring');
    await post('u-tushan', `/clues/${id}/follow-ups`, {
      resurgence: false,
      findings: 'No new fund-raising activity.',
    });
    await post('u-tushan', `/clues/${id}/closure`, {
      summary: 'Disposed: referred, interviewed, no resurgence.',
    });
    const closed = await post('u-coordinator', `/clues/${id}/closure/decision`, {
      decision: 'approve',
      comment: 'Closed.',
    });
    expect(closed.body.stage).toBe('closed');

    // Leaders read everything except the reporter; nobody but coordinators may unmask.
    const leaderView = expectStatus(await s.call('u-leader', 'GET', `/api/v1/clues/${id}`), 200);
    expect(leaderView.body.hasReporter).toBe(true);
    expect(leaderView.body).not.toHaveProperty('reporter');
    for (const u of ['u-leader', 'u-tushan', 'u-changhuai', 'u-police', 'u-admin']) {
      expect(
        (await s.call(u, 'POST', `/api/v1/clues/${id}/reporter/unmask`, { reason: 'I would like to know' }))
          .status,
      ).toBe(403);
    }
    expect((await s.call('u-coordinator', 'POST', `/api/v1/clues/${id}/reporter/unmask`, {})).status).toBe(
      422,
    );

    // Read every GET route as every role that may, in every text format, so exports and reports are covered.
    const users = ['u-coordinator', 'u-leader', 'u-tushan', 'u-changhuai', 'u-police', 'u-admin'];
    for (const r of s.routes.filter((x) => x.method === 'get')) {
      if (r.path.includes(':') && !/^\/clues\/:id(\/timeline)?$/.test(r.path)) continue;
      const formats = formatsOf(r.query);
      for (const u of users) {
        for (const f of formats.length ? formats : [undefined]) {
          await s.call(u, 'GET', `/api/v1${fillPath(r.path, { id })}${f ? `?format=${f}` : ''}`);
        }
      }
    }

    // The one legitimate disclosure: audited, with the reason.
    unmaskReply = expectStatus(
      await s.call(
        'u-coordinator',
        'POST',
        `/api/v1/clues/${id}/reporter/unmask`,
        { reason: 'Reporter to be called as a witness' },
        { 'x-request-id': 'unmask-0001' },
      ),
      200,
    );
    expect(unmaskReply.body).toEqual({ reporter: REPORTER });
    const audit = await eventually(async () => {
      const rows = await s.db.q<{ actor_id: string; action: string; details: { reason?: string } }[]>(
        `select actor_id, action, details from audit_log where request_id = 'unmask-0001' order by id`,
      );
      expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['reporter.unmask']));
      return rows;
    });
    expect(audit.find((a) => a.action === 'reporter.unmask')).toMatchObject({
      actor_id: 'u-coordinator',
      details: { reason: 'Reporter to be called as a witness' },
    });
  });

  test('then the name and phone appear in no other response, notification, email, export, timeline, history, log line or table', async () => {
    expect(unmaskReply).toBeDefined();
    const leaks: string[] = [];
    const scan = (where: string, text: string) => {
      for (const n of NEEDLES) if (text.includes(n)) leaks.push(`${where} contains "${n}"`);
    };
    // Responses (unmasked only once, in the coordinator's unmask reply).
    expect(s.replies.length).toBeGreaterThan(100);
    for (const r of s.replies) {
      if (r.reply === unmaskReply) continue;
      scan(`${r.user} ${r.method} ${r.path} → ${r.reply.status}`, searchable(r.reply));
    }
    // Notifications and email, in-app rows and what reached the SMTP server.
    const notes = await s.db.q<{ subject: string; body: string }[]>(
      `select subject, body from notifications`,
    );
    expect(notes.length).toBeGreaterThan(5);
    notes.forEach((n, i) => scan(`notification #${i}`, `${n.subject}\n${n.body}`));
    await eventually(() => expect(s.smtp.mails.length).toBeGreaterThan(5));
    s.smtp.mails.forEach((m, i) => scan(`email #${i} to ${m.to.join(',')}`, m.raw));
    // Every table, every row, every column — except the ciphertext column itself.
    const tables = await s.db.q<{ tablename: string }[]>(
      `select tablename from pg_tables where schemaname = 'public'`,
    );
    for (const { tablename } of tables) {
      const rows = await s.db.q<{ t: string }[]>(`select row_to_json(x)::text as t from "${tablename}" x`);
      for (const row of rows) {
        const obj = JSON.parse(row.t) as Record<string, unknown>;
        delete obj.reporter_enc;
        scan(`table ${tablename}`, JSON.stringify(obj));
      }
    }
    const [enc] = await s.db.q<{ reporter_enc: string }[]>(`select reporter_enc from clues where id = ?`, [
      id,
    ]);
    expect(enc!.reporter_enc).toMatch(/^v1\./);
    // The workflow's history (inputs, updates, activity payloads).
    const history = await s.env.client.workflow.getHandle(`clue-${id}`).fetchHistory();
    scan('workflow history', JSON.stringify(history));
    // Logs of the API and the worker.
    expect(capture.lines.length).toBeGreaterThan(20);
    scan('logs', capture.lines.join('\n'));
    expect(leaks).toEqual([]);
    // And the unmask reply did carry it (the scan is not blind).
    scan('unmask reply', unmaskReply!.text);
    expect(leaks.length).toBeGreaterThan(0);
  });
});

function formatsOf(q: unknown): string[] {
  const shape = (q as { shape?: Record<string, unknown> } | undefined)?.shape;
  let f: unknown = shape?.format;
  for (
    let i = 0;
    i < 5 && f && typeof f === 'object' && typeof (f as { unwrap?: unknown }).unwrap === 'function';
    i++
  )
    f = (f as { unwrap(): unknown }).unwrap();
  const options = (f as { options?: unknown[] } | undefined)?.options;
  return Array.isArray(options) ? options.filter((o): o is string => typeof o === 'string') : [];
}
