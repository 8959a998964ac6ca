/**
 * Hand-off to public security on the time-skipping server: the referral package persisted and sent, the
 * signed webhook (retried, idempotent by referral id), acceptance with a case number, return for
 * supplementary evidence under a new clock and re-referral, an unacknowledged referral escalating, and
 * on-demand referrals from planning and monitoring.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FailureType } from '../../src/domain/failures';
import * as m from '../../workflows/clue.messages';
import { FIVE_DAY_CALENDAR_POLICY as P, actor } from '../helpers/fixtures';
import { eventually } from '../helpers/services';
import {
  DAY,
  MINUTE,
  driveTo,
  escalations,
  expectNoDuplicateMail,
  notifications,
  rejected,
  sleepUntil,
  startClue,
  startHarness,
  upd,
  type Harness,
} from './harness';

const SECRET = 'test-webhook-secret-0123456789';

interface Hook {
  body: string;
  signature: string | undefined;
  idempotencyKey: string | undefined;
  status: number;
}
const hooks: Hook[] = [];
/** The case system answers 503 to the first delivery of each referral, then 200. */
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const key = req.headers['idempotency-key'] as string | undefined;
    const status = hooks.some((x) => x.idempotencyKey === key) ? 200 : 503;
    hooks.push({
      body: Buffer.concat(chunks).toString('utf8'),
      signature: req.headers['x-signature-sha256'] as string | undefined,
      idempotencyKey: key,
      status,
    });
    res.writeHead(status).end();
  });
});

let h: Harness;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/referrals`;
  h = await startHarness('clue-referral', { policeWebhook: { url, secret: SECRET } });
});
afterEach(async () => {
  await h?.terminateAll();
});
afterAll(async () => {
  await h?.close();
  await new Promise((r) => server.close(r));
});

interface ReferralRow {
  id: string;
  seq: number;
  status: string;
  police_unit_id: string;
  police_case_number: string | null;
  reason: string | null;
  webhook_status: string | null;
  package: Record<string, unknown>;
}
const referrals = (clueId: string) =>
  h.db.q<ReferralRow[]>(
    'select id, seq, status, police_unit_id, police_case_number, reason, webhook_status, package from referrals where clue_id = ? order by seq',
    [clueId],
  );

describe('referral accepted', () => {
  test('given an approved plan that includes a criminal referral, then the package is persisted and pushed to the case system (signed, retried once, idempotent), the police liaison is notified, and acceptance records the case number', async () => {
    const clue = await startClue(h, P);
    let s = await driveTo(h, clue.handle, 'referred');
    const ref = s.referrals[0]!;
    expect(ref).toMatchObject({ id: `${clue.id}-r1`, seq: 1, status: 'awaiting', from: 'disposing' });
    const ack = s.clocks.find((c) => c.task === 'referral_ack')!;
    expect(ack).toMatchObject({ unitId: 'public-security', status: 'open', label: ref.id });

    // Persisted: the package has what the district knows, without the reporter.
    const [row] = await eventually(async () => {
      const r = await referrals(clue.id);
      expect(r[0]?.webhook_status).toBe('delivered');
      return r;
    });
    expect(row).toMatchObject({ id: ref.id, status: 'awaiting', police_unit_id: 'public-security' });
    expect(row!.package).toMatchObject({
      referralId: ref.id,
      reason: 'plan includes criminal referral',
      classification: { nature: 'suspected_illegal_fundraising' },
      plan: { strategies: ['warning_interview', 'criminal_referral'] },
      clue: { id: clue.id, ref: clue.ref },
    });
    expect(JSON.stringify(row!.package)).not.toMatch(/reporter/i);

    // The webhook: first attempt refused (503), retried, same body both times, HMAC-SHA256 over the body.
    const mine = hooks.filter((x) => x.idempotencyKey === ref.id);
    expect(mine.map((x) => x.status)).toEqual([503, 200]);
    expect(mine[0]!.body).toBe(mine[1]!.body);
    for (const x of mine) expect(x.signature).toBe(createHmac('sha256', SECRET).update(x.body).digest('hex'));
    expect(JSON.parse(mine[1]!.body)).toMatchObject({
      type: 'referral',
      referralId: ref.id,
      package: { referralId: ref.id },
    });

    // The liaison is told once, in Chinese (the bureau's mailbox is the liaison's address: no second copy).
    await eventually(async () => {
      const n = await notifications(h, clue.id, 'referral');
      expect(n.map((x) => [x.user_id, x.subject])).toEqual([
        ['u-police', `【线索移交】线索${clue.ref}已移交区公安分局，请签收`],
      ]);
    });

    // Only the liaison's acknowledgement is allowed now; accepted needs a case number.
    await rejected(
      clue.handle.executeUpdate(m.acknowledgeReferralUpdate, {
        args: [{ actor: actor.police, decision: 'accepted' }],
      }),
      FailureType.InvalidInput,
    );
    await rejected(upd.requestClosure(clue.handle), FailureType.InvalidTransition);
    s = await upd.accept(clue.handle, 'GA-2026-0417');
    expect(s.stage).toBe('disposing');
    expect(s.referrals[0]).toMatchObject({ status: 'accepted', policeCaseNumber: 'GA-2026-0417' });
    expect(s.clocks.find((c) => c.id === ack.id)).toMatchObject({ status: 'done', late: false });
    await eventually(async () =>
      expect((await referrals(clue.id))[0]).toMatchObject({
        status: 'accepted',
        police_case_number: 'GA-2026-0417',
      }),
    );

    // Disposal goes on: with both milestones done the clue is monitored.
    await upd.milestone(clue.handle, 'm1');
    s = await upd.milestone(clue.handle, 'm2');
    expect(s.stage).toBe('monitoring');
    expect(hooks.filter((x) => x.idempotencyKey === ref.id)).toHaveLength(2);
    expectNoDuplicateMail(h);
  });
});

describe('referral returned', () => {
  test('given a referral, when public security returns it, then the lead unit must supply evidence under a new clock, and once referred again and accepted disposal resumes', async () => {
    const clue = await startClue(h, P);
    await driveTo(h, clue.handle, 'referred');
    let s = await upd.returnReferral(clue.handle, 'bank statements for 2025 missing');
    expect(s.stage).toBe('disposing');
    expect(s.referrals[0]).toMatchObject({ status: 'returned', reason: 'bank statements for 2025 missing' });
    const sup = s.clocks.find((c) => c.task === 'supplementary_evidence')!;
    expect(sup).toMatchObject({ unitId: 'tushan-scenic-area', status: 'open', label: `${clue.id}-r1` });
    expect(sup.dueAt - sup.startedAt).toBe(5 * DAY);

    // The lead unit and the District Office hear why.
    await eventually(async () => {
      const n = await notifications(h, clue.id, 'referral_returned');
      expect(n.map((x) => x.user_id).sort()).toEqual(['u-coordinator', 'u-tushan', 'u-tushan-head']);
      expect(n[0]!.subject).toBe(`【线索退回】线索${clue.ref}已被区公安分局退回补充证据`);
      expect(n[0]!.body).toContain('退回理由：bank statements for 2025 missing');
      expect(n[0]!.body).toContain('牵头单位');
    });
    await eventually(async () =>
      expect((await referrals(clue.id))[0]).toMatchObject({
        status: 'returned',
        reason: 'bank statements for 2025 missing',
      }),
    );

    // Finishing the milestones does not end disposal while evidence is owed.
    await upd.milestone(clue.handle, 'm1');
    s = await upd.milestone(clue.handle, 'm2');
    expect(s.stage).toBe('disposing');

    // Referred again: a second package (and webhook) with the earlier referral in it.
    s = await upd.refer(clue.handle, 'statements obtained from the bank');
    expect(s.stage).toBe('referred');
    expect(s.clocks.find((c) => c.id === sup.id)?.status).toBe('done');
    expect(s.referrals.map((r) => [r.seq, r.status])).toEqual([
      [1, 'returned'],
      [2, 'awaiting'],
    ]);
    const rows = await eventually(async () => {
      const r = await referrals(clue.id);
      expect(r.map((x) => [x.seq, x.webhook_status])).toEqual([
        [1, 'delivered'],
        [2, 'delivered'],
      ]);
      return r;
    });
    expect(rows[1]!.package).toMatchObject({
      reason: 'statements obtained from the bank',
      earlierReferrals: [{ status: 'returned' }],
    });

    s = await upd.accept(clue.handle, 'GA-2026-0500');
    expect(s.stage).toBe('monitoring');
    expect(s.referrals[1]).toMatchObject({ status: 'accepted', policeCaseNumber: 'GA-2026-0500' });
  });
});

describe('referral not acknowledged', () => {
  test('given a referral nobody acknowledges, when its clock runs out, then it escalates to public security and the District Office like every clock, and a late acceptance resolves it', async () => {
    const clue = await startClue(h, P);
    const s = await driveTo(h, clue.handle, 'referred');
    const ack = s.clocks.find((c) => c.task === 'referral_ack')!;
    await sleepUntil(h, ack.dueAt + MINUTE);
    await eventually(async () =>
      expect(
        (await escalations(h, clue.id))
          .filter((e) => e.task === 'referral_ack')
          .map((e) => [e.unit_id, e.level, e.status]),
      ).toEqual([['public-security', 1, 'open']]),
    );
    await eventually(async () => {
      const n = (await notifications(h, clue.id, 'escalation')).filter((x) => x.key.includes(ack.id));
      expect(n.map((x) => x.user_id).sort()).toEqual(['u-coordinator', 'u-police']);
    });
    expect((await clue.handle.query(m.stateQuery)).overdueLevel).toBe(1);

    const after = await upd.accept(clue.handle);
    expect(after.clocks.find((c) => c.id === ack.id)).toMatchObject({ status: 'done', late: true });
    await eventually(async () =>
      expect(
        (await escalations(h, clue.id)).filter((e) => e.task === 'referral_ack').map((e) => e.status),
      ).toEqual(['resolved']),
    );
  });
});

describe('referral on demand', () => {
  test('given a clue in monitoring, when the lead unit refers it and public security accepts, then it returns to monitoring with its follow-ups untouched', async () => {
    const clue = await startClue(h, P);
    const before = await driveTo(h, clue.handle, 'monitoring');
    const followUps = before.clocks.filter((c) => c.task === 'follow_up').map((c) => [c.id, c.dueAt]);
    let s = await upd.refer(clue.handle, 'new evidence of fraud');
    expect(s.stage).toBe('referred');
    expect(s.referrals[0]!.from).toBe('monitoring');
    s = await upd.accept(clue.handle);
    expect(s.stage).toBe('monitoring');
    expect(s.clocks.filter((c) => c.task === 'follow_up').map((c) => [c.id, c.dueAt])).toEqual(followUps);
    expect(s.clocks.filter((c) => c.task === 'follow_up' && c.status === 'open')).toHaveLength(3);
  });

  test('given a clue classified as a suspected crime, when it is referred before any plan, then no plan is owed any more and acceptance moves it to monitoring', async () => {
    const clue = await startClue(h, P);
    await upd.verify(clue.handle);
    await upd.classify(clue.handle, 'suspected_crime');
    let s = await upd.refer(clue.handle, 'suspected fraud: hand over at once');
    expect(s.stage).toBe('referred');
    expect(s.clocks.find((c) => c.task === 'plan')?.status).toBe('cancelled');
    s = await upd.accept(clue.handle);
    expect(s.stage).toBe('monitoring');
  });
});
