/**
 * The District Office's queues on GET /clues: `pending=extension` (a deadline extension waiting for a
 * decision) and `pending=returned_referral` (public security sent the referral back), and the exact
 * `creditCode` filter the intake form's duplicate warning reads. Real API, worker, Temporal dev
 * server and PostgreSQL; every reply is checked against the OpenAPI document.
 */
import { eventually } from '../helpers/services';
import { expectStatus, referClue, registerClue, startApiSuite, type ApiSuite } from './support';

let s: ApiSuite;

beforeAll(async () => {
  s = await startApiSuite({ taskQueue: 'api-review-queues' });
});

afterAll(async () => {
  await s?.close();
});

const ids = async (query: string, user = 'u-coordinator') => {
  const r = expectStatus(await s.call(user, 'GET', `/api/v1/clues?${query}`), 200, query);
  return (r.body.items as { id: string }[]).map((x) => x.id);
};

describe('review queues on the clue list', () => {
  test('given an officer asked to extend its verification clock, when the coordinator lists pending=extension, then the clue is there until the request is decided', async () => {
    const asked = await registerClue(s, { subject: { name: 'Queue Extension Co.', kind: 'enterprise' } });
    const quiet = await registerClue(s, { subject: { name: 'Queue Quiet Co.', kind: 'enterprise' } });
    const state = expectStatus(await s.call('u-tushan', 'GET', `/api/v1/clues/${asked.id}`), 200).body.state;
    const clock = state.clocks.find((c: { task: string }) => c.task === 'verification');
    const due = new Date(Date.parse(clock.dueAt) + 10 * 86_400_000).toISOString();
    const after = expectStatus(
      await s.call('u-tushan', 'POST', `/api/v1/clues/${asked.id}/deadline-extensions`, {
        clockId: clock.clockId,
        newDueAt: due,
        reason: 'The subject is abroad until next month.',
      }),
      200,
    ).body;
    const extensionId = after.clocks.find((c: { clockId: string }) => c.clockId === clock.clockId)
      .pendingExtensionId as string;
    await eventually(async () => {
      const pending = await ids('pending=extension');
      expect(pending).toContain(asked.id);
      expect(pending).not.toContain(quiet.id);
    });
    expectStatus(
      await s.call(
        'u-coordinator',
        'POST',
        `/api/v1/clues/${asked.id}/deadline-extensions/${extensionId}/decision`,
        { decision: 'approve', comment: 'Granted.' },
      ),
      200,
    );
    await eventually(async () => expect(await ids('pending=extension')).not.toContain(asked.id));
  });

  test('given a referral public security returned, when the coordinator lists pending=returned_referral, then the clue is there and one still awaiting the police is not', async () => {
    const returned = await registerClue(s, { subject: { name: 'Queue Returned Co.', kind: 'enterprise' } });
    const awaiting = await registerClue(s, { subject: { name: 'Queue Awaiting Co.', kind: 'enterprise' } });
    await referClue(s, returned.id, 'u-tushan');
    await referClue(s, awaiting.id, 'u-tushan');
    expectStatus(
      await s.call('u-police', 'POST', `/api/v1/clues/${returned.id}/referral-acknowledgement`, {
        decision: 'returned',
        reason: 'Bank statements are missing.',
      }),
      200,
    );
    await eventually(async () => {
      const list = await ids('pending=returned_referral');
      expect(list).toContain(returned.id);
      expect(list).not.toContain(awaiting.id);
    });
    // The police liaison's own list (its inbox) holds what awaits it, by stage.
    const inbox = await ids('stage=referred', 'u-police');
    expect(inbox).toContain(awaiting.id);
    expect(inbox).not.toContain(returned.id);
  });

  test('given a clue with a credit code, when the list is asked for that code in any case, then it finds that clue only; a bad code or queue name is a 422', async () => {
    const withCode = await registerClue(s, {
      subject: { name: 'Queue Credit Code Co.', kind: 'enterprise', creditCode: '91350100M000100Y43' },
    });
    expect(await ids('creditCode=91350100m000100y43')).toEqual([withCode.id]);
    expect(await ids('creditCode=91350100M000100Y40')).toEqual([]);
    expectStatus(await s.call('u-coordinator', 'GET', '/api/v1/clues?creditCode=9135-0100'), 422);
    expectStatus(await s.call('u-coordinator', 'GET', '/api/v1/clues?pending=plans'), 422);
  });
});
