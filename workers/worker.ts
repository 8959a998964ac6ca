/** The worker: runs clue and campaign workflows and all activities on one task queue. */
import path from 'node:path';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { loadConfig, type Config } from '../src/config';
import type { Orm } from '../src/db/orm';
import type { Mailer } from '../src/mail/mailer';
import { createOutboxSender, startOutboxRelay, type OutboxRelay } from '../src/mail/outbox';

export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows', 'index.ts');

export interface WorkerParams {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  maxCachedWorkflows?: number;
  maxConcurrentActivities?: number;
  /** Sticky queue schedule-to-start timeout; unset: WORKER_STICKY_QUEUE_TIMEOUT_MS. */
  stickyQueueTimeoutMs?: number;
  /** Concurrent workflow tasks; unset: WORKER_MAX_CONCURRENT_WORKFLOW_TASKS. */
  maxConcurrentWorkflowTasks?: number;
  extra?: Partial<WorkerOptions>;
}

/** Tuning from the environment (the entry points parse the same variables); defaults when unset or invalid. */
function envTuning(): Partial<Config['worker']> {
  try {
    return loadConfig(process.env).worker;
  } catch {
    return {};
  }
}

/**
 * Tuning (BENCHMARKS.md, deadline fan-out): the cache holds the workflows whose timers fire together,
 * or each of them costs a sticky-queue timeout; the sticky timeout bounds that cost when it does not.
 */
export async function createWorker(p: WorkerParams): Promise<Worker> {
  const env = envTuning();
  const sticky = p.stickyQueueTimeoutMs ?? env.stickyQueueTimeoutMs;
  return Worker.create({
    connection: p.connection,
    namespace: p.namespace,
    taskQueue: p.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities(p.deps),
    maxCachedWorkflows: p.maxCachedWorkflows,
    maxConcurrentActivityTaskExecutions: p.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: p.maxConcurrentWorkflowTasks ?? env.maxConcurrentWorkflowTasks,
    stickyQueueScheduleToStartTimeout: sticky === undefined ? undefined : `${sticky}ms`,
    maxConcurrentWorkflowTaskPolls:
      env.maxWorkflowTaskPolls === undefined
        ? undefined
        : Math.min(
            env.maxWorkflowTaskPolls,
            p.maxConcurrentWorkflowTasks ?? env.maxConcurrentWorkflowTasks ?? 40,
          ),
    nonStickyToStickyPollRatio: env.nonStickyToStickyPollRatio,
    ...p.extra,
  });
}

/**
 * The worker as the entry points run it (`npm start`, `npm run start:worker`): configured from `config`,
 * with the outbox relay that sends the emails the SMTP server did not take at once.
 */
export async function createServiceWorker(o: {
  connection: NativeConnection;
  config: Config;
  orm: Orm;
  mailer: Mailer;
  log: NonNullable<ActivityDeps['log']>;
}): Promise<{ worker: Worker; relay: OutboxRelay }> {
  const outbox = createOutboxSender({ orm: o.orm, mailer: o.mailer });
  const worker = await createWorker({
    connection: o.connection,
    namespace: o.config.temporal.namespace,
    taskQueue: o.config.temporal.taskQueue,
    deps: { orm: o.orm, mailer: o.mailer, policeWebhook: o.config.policeWebhook, log: o.log, outbox },
    maxCachedWorkflows: o.config.worker.maxCachedWorkflows,
    maxConcurrentActivities: o.config.worker.maxConcurrentActivities,
  });
  const relay = startOutboxRelay(outbox, { intervalMs: o.config.mail.relayIntervalMs, log: o.log });
  return { worker, relay };
}
