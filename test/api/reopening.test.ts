/**
 * Reopening through the API once the clue's workflow has ended (issue 13, "workflows that end"): with a
 * retention window of a few seconds, a closed clue's run completes; the clue still reads as closed (from
 * the state its run left in the ledger), any other step is a 409, and POST /reopening starts a new run
 * under the same workflow id at verifying. Real API, worker, Temporal dev server and PostgreSQL; every
 * reply is checked against the OpenAPI document.
 */
import { eventually } from '../helpers/services';
import { expectStatus, registerClue, startApiSuite, type ApiSuite } from './support';

let s: ApiSuite;

beforeAll(async () => {
  // The dev server runs in real time: a window of seconds, awaited by polling the ledger.
  s = await startApiSuite({
    taskQueue: 'api-reopening',
    configEnv: { DEADLINE_POLICY: JSON.stringify({ retention: 'PT2S' }) },
  });
}, 120_000);

afterAll(async () => {
  await s?.close();
});

const post = async (user: string, path: string, body: unknown, status = 200) =>
  expectStatus(await s.call(user, 'POST', `/api/v1${path}`, body), status, `${user} POST ${path}`).body;

describe('reopening a clue whose workflow ended', () => {
  test('given a closed clue whose workflow ended after the retention window, when the coordinator reopens it, then a new run under the same id verifies it again', async () => {
    const { id } = await registerClue(s, { subject: { name: 'Ended Workflow Co.', kind: 'enterprise' } });
    await post('u-tushan', `/clues/${id}/verification`, {
      findings: 'No scheme found.',
      factsConfirmed: false,
    });
    await post('u-tushan', `/clues/${id}/classification`, {
      nature: 'not_illegal',
      repaymentAbility: 'unknown',
      repaymentWillingness: 'unknown',
      reasoning: 'An ordinary shop; no deposits taken.',
    });
    const closed = await post('u-coordinator', `/clues/${id}/closure/decision`, {
      decision: 'approve',
      comment: '',
    });
    expect(closed.stage).toBe('closed');
    const handle = s.env.client.workflow.getHandle(`clue-${id}`);
    const firstRun = (await handle.describe()).runId;

    await eventually(async () => {
      expect((await handle.describe()).status.name).toBe('COMPLETED');
      const [row] = await s.db.q<{ workflow_ended_at: Date | null }[]>(
        'select workflow_ended_at from clues where id = ?',
        [id],
      );
      expect(row?.workflow_ended_at).not.toBeNull();
    });

    // Still readable as closed, from the state the ended run left.
    const view = expectStatus(await s.call('u-coordinator', 'GET', `/api/v1/clues/${id}`), 200).body;
    expect(view.state).toMatchObject({ stage: 'closed', allowedTransitions: ['reopening'], reopenCount: 0 });
    // Any other step is refused as the workflow would refuse it.
    const refused = expectStatus(
      await s.call('u-tushan', 'POST', `/api/v1/clues/${id}/actions`, { description: 'late visit' }),
      409,
    ).body;
    expect(refused).toMatchObject({ stage: 'closed', allowedTransitions: ['reopening'] });

    const reopened = await post('u-coordinator', `/clues/${id}/reopening`, {
      reason: 'New victims came forward.',
    });
    expect(reopened).toMatchObject({ stage: 'verifying', reopenCount: 1 });
    const run = await handle.describe();
    expect(run.status.name).toBe('RUNNING');
    expect(run.runId).not.toBe(firstRun);
    await eventually(async () => {
      const r = expectStatus(await s.call('u-coordinator', 'GET', `/api/v1/clues/${id}`), 200).body;
      expect(r.stage).toBe('verifying');
      expect(r.state).toMatchObject({ stage: 'verifying', reopenCount: 1 });
    });
    // Reopened again while open: 409, and the run stays.
    const again = expectStatus(
      await s.call('u-coordinator', 'POST', `/api/v1/clues/${id}/reopening`, { reason: 'Twice.' }),
      409,
    ).body;
    expect(again).toMatchObject({ stage: 'verifying' });
    expect((await handle.describe()).runId).toBe(run.runId);
    const items = expectStatus(await s.call('u-coordinator', 'GET', `/api/v1/clues/${id}/timeline`), 200).body
      .items as { kind: string; actorId: string | null; actorName: string | null }[];
    const kinds = items.map((e) => e.kind);
    // Who reopened it reads as the coordinator's name; the workflow's own events have no actor.
    const me = expectStatus(await s.call('u-coordinator', 'GET', '/api/v1/me'), 200).body as { name: string };
    expect(items.find((e) => e.kind === 'clue.reopened')).toMatchObject({
      actorId: 'u-coordinator',
      actorName: me.name,
    });
    expect(items.find((e) => e.kind === 'clue.workflow_ended')).toMatchObject({ actorName: null });
    expect(kinds.filter((k) => k === 'clue.registered')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'clue.workflow_ended')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'clue.reopened')).toHaveLength(1);
  });
});
