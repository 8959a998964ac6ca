/**
 * The leadership's escalation reads: days overdue are WORKING days on the policy calendar (as the
 * emails say), the list carries the clue's facts, and one escalation shows its clue, the rungs its
 * clock reached and every instruction given on the clue. Whole deployment, real PostgreSQL.
 */
import { workingDaysBetween } from '../../src/calendar';
import { getCalendar } from '../../src/calendars';
import { expectStatus, registerClue, startApiSuite, type ApiSuite } from './support';

let s: ApiSuite;
let clue: { id: string; ref: string };
const DAY = 86_400_000;
/** Ten calendar days ago: at least two weekend days lie between, so working days are fewer. */
const due = new Date(Date.now() - 10 * DAY);

beforeAll(async () => {
  s = await startApiSuite({ taskQueue: 'api-escalations' });
  clue = await registerClue(s, { subject: { name: 'Escalation Test Pension Co.', kind: 'enterprise' } });
}, 120_000);
afterAll(async () => {
  await s?.close();
});

async function escalation(level: number, status: 'open' | 'resolved', clockId = 'verification-1') {
  const [row] = await s.db.q<{ id: number }[]>(
    `insert into escalations (key, owner_type, owner_id, owner_ref, clock_id, task, unit_id, level, due_at, escalated_at, status, resolved_at)
     values (?, 'clue', ?, ?, ?, 'verification', 'tushan-scenic-area', ?, ?, ?, ?, ?) returning id`,
    [
      `test:${clue.id}:${clockId}:${level}`,
      clue.id,
      clue.ref,
      clockId,
      level,
      due,
      new Date(due.getTime() + level * DAY),
      status,
      status === 'resolved' ? new Date(due.getTime() + (level + 1) * DAY) : null,
    ],
  );
  return row!.id;
}

let level1: number;
let level2: number;

describe('escalations', () => {
  test('given a clock due ten calendar days ago, then GET /escalations counts its days overdue in working days on the policy calendar, with the clue’s facts', async () => {
    level1 = await escalation(1, 'resolved');
    level2 = await escalation(2, 'open');
    const r = expectStatus(await s.call('u-leader', 'GET', '/api/v1/escalations'), 200, 'list');
    const item = r.body.items.find((i: { id: number }) => i.id === level2);
    const cal = getCalendar(s.app.config.policy.calendar);
    const working = workingDaysBetween(cal, due.getTime(), Date.now());
    expect(working).toBeLessThan(10);
    expect(item).toMatchObject({
      ownerRef: clue.ref,
      level: 2,
      daysOverdue: working,
      subjectName: 'Escalation Test Pension Co.',
      grade: expect.any(String),
      amountCny: 3_000_000,
      participants: 200,
      stage: 'verifying',
      unitNameZh: '涂山风景区',
    });
    // The superseded rung is not open.
    expect(r.body.items.some((i: { id: number }) => i.id === level1)).toBe(false);
  });

  test('the list is sorted by level, highest first, then the most working days overdue first', async () => {
    const [row] = await s.db.q<{ id: number }[]>(
      `insert into escalations (key, owner_type, owner_id, owner_ref, clock_id, task, unit_id, level, due_at, escalated_at, status)
       values ('test:later', 'clue', ?, ?, 'plan-1', 'plan', 'tushan-scenic-area', 2, now() - interval '1 day', now(), 'open') returning id`,
      [clue.id, clue.ref],
    );
    const r = expectStatus(await s.call('u-coordinator', 'GET', '/api/v1/escalations'), 200, 'list');
    const ids = r.body.items.map((i: { id: number }) => i.id);
    expect(ids.indexOf(level2)).toBeLessThan(ids.indexOf(row!.id));
    const keys = r.body.items.map((i: { level: number; daysOverdue: number }) => [-i.level, -i.daysOverdue]);
    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
  });

  test('when the leader acknowledges with an instruction, then GET /escalations/{eid} shows the clue, both rungs of the clock and the instruction with who gave it', async () => {
    expectStatus(
      await s.call('u-leader', 'POST', `/api/v1/escalations/${level2}/acknowledgement`, {
        instruction: 'Finish the verification within three days and report in writing.',
      }),
      200,
      'ack',
    );
    const r = expectStatus(await s.call('u-leader', 'GET', `/api/v1/escalations/${level2}`), 200, 'detail');
    expect(r.body.escalation).toMatchObject({ id: level2, status: 'acknowledged', level: 2 });
    expect(r.body.clue).toMatchObject({
      id: clue.id,
      ref: clue.ref,
      subjectName: 'Escalation Test Pension Co.',
      leadUnitId: 'tushan-scenic-area',
    });
    expect(r.text).not.toMatch(/reporter/i);
    expect(r.body.history.map((h: { level: number; status: string }) => [h.level, h.status])).toEqual([
      [1, 'resolved'],
      [2, 'acknowledged'],
    ]);
    expect(r.body.instructions).toEqual([
      expect.objectContaining({
        escalationId: level2,
        level: 2,
        instruction: 'Finish the verification within three days and report in writing.',
        acknowledgedBy: 'u-leader',
        acknowledgedByName: 'Li Na',
      }),
    ]);
    // The coordinator reads it too; an escalation that does not exist, or a malformed id, is 404.
    expectStatus(await s.call('u-coordinator', 'GET', `/api/v1/escalations/${level2}`), 200, 'coordinator');
    expectStatus(await s.call('u-leader', 'GET', '/api/v1/escalations/999999'), 404, 'missing');
    expectStatus(await s.call('u-leader', 'GET', '/api/v1/escalations/1e3'), 404, 'malformed');
    expectStatus(await s.call('u-tushan', 'GET', `/api/v1/escalations/${level2}`), 403, 'officer');
  });

  test('accountability records count working days from the due time to completion (or now)', async () => {
    await s.db.q(
      `insert into accountability_records (key, unit_id, owner_type, owner_id, owner_ref, clock_id, task, due_at, level, recorded_at)
       values ('test:acc', 'tushan-scenic-area', 'clue', ?, ?, 'verification-1', 'verification', ?, 3, now())`,
      [clue.id, clue.ref, due],
    );
    const r = expectStatus(await s.call('u-leader', 'GET', '/api/v1/accountability'), 200, 'accountability');
    const cal = getCalendar(s.app.config.policy.calendar);
    expect(r.body.items[0]).toMatchObject({
      ownerRef: clue.ref,
      daysOverdue: workingDaysBetween(cal, due.getTime(), Date.now()),
    });
  });
});
