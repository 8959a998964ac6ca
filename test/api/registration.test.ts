/**
 * A step posted right after `POST /clues` is accepted, never refused as "still being registered":
 * the workflow registers before it listens for updates, and the API hands the update to it even while
 * the ledger row still says `registered`. Real API, worker, Temporal dev server and PostgreSQL; the
 * histories this produces (updates in the workflow's first task) replay on the current code.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from '@temporalio/worker';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WORKFLOWS_PATH } from '../../workers/worker';
import { insertClue } from '../helpers/fixtures';
import { expectStatus, intakeBody, startApiSuite, type ApiSuite } from './support';

let s: ApiSuite;

beforeAll(async () => {
  s = await startApiSuite({ taskQueue: 'api-registration' });
});

afterAll(async () => {
  await s?.close();
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const verification = { findings: 'Site visit the same day: the scheme is active.', factsConfirmed: true };

describe('registration', () => {
  test('given a clue just registered, when its lead unit posts the verification at once, then it is accepted every time (20 in a row)', async () => {
    const runs = 20;
    const intakeMs: number[] = [];
    const stepMs: number[] = [];
    let stillRegistered = 0;
    const ids: string[] = [];
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      const r = expectStatus(
        await s.call(
          'u-coordinator',
          'POST',
          '/api/v1/clues',
          intakeBody({ subject: { name: `Quick Step Co. ${i}`, kind: 'enterprise' } }),
        ),
        201,
        'register',
      );
      intakeMs.push(performance.now() - t);
      const id = (r.body as { id: string }).id;
      ids.push(id);
      const [row] = await s.db.q<{ stage: string }[]>('select stage from clues where id = ?', [id]);
      if (row?.stage === 'registered') stillRegistered += 1;
      t = performance.now();
      const step = await s.call('u-tushan', 'POST', `/api/v1/clues/${id}/verification`, verification);
      stepMs.push(performance.now() - t);
      expect([i, step.status, step.body.stage]).toEqual([i, 200, 'classifying']);
    }
    // The race was real: the ledger still said `registered` when the step was posted.
    expect(stillRegistered).toBeGreaterThan(0);

    // For comparison: the same step on a clue whose registration has long been projected.
    const settledMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = expectStatus(
        await s.call(
          'u-coordinator',
          'POST',
          '/api/v1/clues',
          intakeBody({ subject: { name: `Settled Co. ${i}`, kind: 'enterprise' } }),
        ),
        201,
      );
      const id = (r.body as { id: string }).id;
      for (;;) {
        const [row] = await s.db.q<{ stage: string }[]>('select stage from clues where id = ?', [id]);
        if (row?.stage === 'verifying') break;
        await new Promise((res) => setTimeout(res, 50));
      }
      const t = performance.now();
      expectStatus(await s.call('u-tushan', 'POST', `/api/v1/clues/${id}/verification`, verification), 200);
      settledMs.push(performance.now() - t);
    }
    console.info(
      `registration race: ${runs}/${runs} immediate steps accepted (${stillRegistered} while the ledger still said registered); ` +
        `median ms: POST /clues ${median(intakeMs).toFixed(0)}, immediate step ${median(stepMs).toFixed(0)}, step on a settled clue ${median(settledMs).toFixed(0)}`,
    );

    // Those histories (updates in the first workflow task) replay on the current code.
    const histories = await Promise.all(
      ids.slice(0, 5).map(async (id) => ({
        workflowId: `clue-${id}`,
        history: await s.env.client.workflow.getHandle(`clue-${id}`).fetchHistory(),
      })),
    );
    const failures: string[] = [];
    for await (const r of Worker.runReplayHistories(
      { workflowsPath: WORKFLOWS_PATH, replayName: 'registration-replay' },
      histories,
    ))
      if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
    expect(failures).toEqual([]);
  });

  test('given a clue whose ledger row was written but whose workflow never started (intake stopped in between), when a step is posted, then the workflow is started and the step accepted', async () => {
    const clue = await insertClue(s.db.orm.em.fork() as EntityManager);
    await expect(s.env.client.workflow.getHandle(`clue-${clue.id}`).describe()).rejects.toThrow();
    const step = await s.call('u-tushan', 'POST', `/api/v1/clues/${clue.id}/verification`, verification);
    expect([step.status, step.body.stage]).toEqual([200, 'classifying']);
  });
});
