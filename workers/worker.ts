/** The worker: runs clue and campaign workflows and all activities on one task queue. */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { Config } from '../src/config';
import type { Orm } from '../src/db/orm';
import type { Mailer } from '../src/mail/mailer';
import { createOutboxSender, startOutboxRelay, type OutboxRelay } from '../src/mail/outbox';
import { loadOrCreateLocalKey } from '../src/auth/reporter';

export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows', 'index.ts');

export interface WorkerParams {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Worker tuning (`config.worker`, from the WORKER_* variables); unset fields keep the SDK defaults. */
  tuning?: Partial<Config['worker']>;
  /**
   * A workflow bundle built beforehand from these sources (`buildWorkflowBundle`), instead of bundling
   * WORKFLOWS_PATH again at start (about 2 s of CPU): the test run builds one for all its workers.
   */
  workflowBundlePath?: string;
  extra?: Partial<WorkerOptions>;
}

/** Bundles the workflows once into `outFile`, for `workflowBundlePath`. */
export async function buildWorkflowBundle(outFile: string): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
  fs.writeFileSync(outFile, code);
}

/**
 * Tuning (BENCHMARKS.md, deadline fan-out): the cache holds the workflows whose timers fire together,
 * or each of them costs a sticky-queue timeout; the sticky timeout bounds that cost when it does not.
 */
export async function createWorker(p: WorkerParams): Promise<Worker> {
  const t = p.tuning ?? {};
  const tuning: Partial<WorkerOptions> = {
    maxCachedWorkflows: t.maxCachedWorkflows,
    maxConcurrentActivityTaskExecutions: t.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: t.maxConcurrentWorkflowTasks,
    stickyQueueScheduleToStartTimeout:
      t.stickyQueueTimeoutMs === undefined ? undefined : `${t.stickyQueueTimeoutMs}ms`,
    // The SDK refuses more polls than workflow-task slots.
    maxConcurrentWorkflowTaskPolls:
      t.maxWorkflowTaskPolls === undefined
        ? undefined
        : Math.min(t.maxWorkflowTaskPolls, t.maxConcurrentWorkflowTasks ?? 40),
    nonStickyToStickyPollRatio: t.nonStickyToStickyPollRatio,
  };
  return Worker.create({
    connection: p.connection,
    namespace: p.namespace,
    taskQueue: p.taskQueue,
    ...(p.workflowBundlePath
      ? { workflowBundle: { codePath: p.workflowBundlePath } }
      : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(p.deps),
    // An explicit undefined would override the SDK's default instead of keeping it.
    ...Object.fromEntries(Object.entries(tuning).filter(([, v]) => v !== undefined)),
    ...p.extra,
  });
}

/**
 * The worker as the entry points run it (`npm start`, `npm run start:worker`): configured from `config`,
 * with the outbox relay that sends the emails (and group-robot messages) not taken at once.
 */
export async function createServiceWorker(o: {
  connection: NativeConnection;
  config: Config;
  orm: Orm;
  mailer: Mailer;
  log: NonNullable<ActivityDeps['log']>;
}): Promise<{ worker: Worker; relay: OutboxRelay }> {
  // The units' DingTalk secrets are encrypted with the reporter key (as src/runtime.ts resolves it).
  const secretKey = o.config.reporterKey ?? loadOrCreateLocalKey(o.config.database.dataDir);
  const outbox = createOutboxSender({ orm: o.orm, mailer: o.mailer, secretKey });
  const worker = await createWorker({
    connection: o.connection,
    namespace: o.config.temporal.namespace,
    taskQueue: o.config.temporal.taskQueue,
    deps: {
      orm: o.orm,
      mailer: o.mailer,
      policeWebhook: o.config.policeWebhook,
      log: o.log,
      outbox,
      publicUrl: o.config.http.publicUrl,
      calendar: o.config.policy.calendar,
    },
    tuning: o.config.worker,
  });
  const relay = startOutboxRelay(outbox, { intervalMs: o.config.mail.relayIntervalMs, log: o.log });
  return { worker, relay };
}
