/**
 * The clue workflow registers before it listens: an update that reaches the server before the worker
 * has run the workflow's first task (worker busy or restarting at intake) is delivered with that first
 * task, and is validated against `verifying`, not refused as still registering. Real dev server (no
 * time skipping: nothing here waits on a timer), PostgreSQL, SMTP and the real activities.
 */
import type { Worker } from '@temporalio/worker';
import { createSmtpMailer } from '../../src/mail/mailer';
import { createWorker } from '../../workers/worker';
import * as m from '../../workflows/clue.messages';
import { clueWorkflow } from '../../workflows/clue.workflow';
import { FIVE_DAY_CALENDAR_POLICY, actor, clueInput, insertClue } from '../helpers/fixtures';
import {
  devServerEnv,
  freshDatabase,
  startSmtp,
  testWorkflowBundle,
  type TestDb,
  type TestSmtp,
} from '../helpers/services';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

const TASK_QUEUE = 'clue-registration';
let env: TestWorkflowEnvironment;
let db: TestDb;
let smtp: TestSmtp;
let worker: Worker | undefined;
let running: Promise<void> | undefined;

beforeAll(async () => {
  [env, db, smtp] = await Promise.all([devServerEnv(), freshDatabase(), startSmtp()]);
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await Promise.all([env?.teardown(), db?.close(), smtp?.close()]);
});

describe('registration before the first workflow task', () => {
  test('given a clue workflow started while no worker polls and its verification posted at once, when the worker comes up, then the update, delivered with the first task, is accepted', async () => {
    const clue = await insertClue(db.em());
    const handle = await env.client.workflow.start(clueWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId: `clue-${clue.id}`,
      args: [clueInput(clue, FIVE_DAY_CALENDAR_POLICY)],
    });
    const verified = handle.executeUpdate(m.verifyUpdate, {
      args: [{ findings: 'Checked on the day of intake.', factsConfirmed: true, actor: actor.tushan }],
    });
    // The update is admitted and waits with the not yet started first task.
    for (;;) {
      const d = await env.client.workflowService.describeWorkflowExecution({
        namespace: 'default',
        execution: { workflowId: handle.workflowId },
      });
      if ((d.pendingWorkflowTask?.attempt ?? 0) >= 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      workflowBundlePath: testWorkflowBundle(),
      taskQueue: TASK_QUEUE,
      deps: { orm: db.orm, mailer: createSmtpMailer(smtp.url, 'District Office <noreply@district.local>') },
    });
    running = worker.run();
    const state = await verified;
    expect(state.stage).toBe('classifying');

    // It really was the first task: the only workflow task completed before the update was accepted.
    const events = (await handle.fetchHistory()).events ?? [];
    const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    const completedBefore = events
      .slice(0, accepted)
      .filter((e) => e.workflowTaskCompletedEventAttributes).length;
    expect([accepted > 0, completedBefore]).toEqual([true, 1]);
    await handle.terminate('test finished');
  });
});
