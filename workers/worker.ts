/** The worker: runs clue and campaign workflows and all activities on one task queue. */
import path from 'node:path';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows', 'index.ts');

export interface WorkerParams {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  maxCachedWorkflows?: number;
  maxConcurrentActivities?: number;
  extra?: Partial<WorkerOptions>;
}

export async function createWorker(p: WorkerParams): Promise<Worker> {
  return Worker.create({
    connection: p.connection,
    namespace: p.namespace,
    taskQueue: p.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities(p.deps),
    maxCachedWorkflows: p.maxCachedWorkflows,
    maxConcurrentActivityTaskExecutions: p.maxConcurrentActivities,
    ...p.extra,
  });
}
