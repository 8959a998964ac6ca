/**
 * Raw-engine baselines for the benchmarks (bundled by their own worker, never by the product worker):
 * a workflow that does nothing, and one that sleeps until an instant and then runs one no-op activity.
 */
import { proxyActivities, sleep } from '@temporalio/workflow';

export async function noopWorkflow(): Promise<void> {}

const { stamp } = proxyActivities<{ stamp(key: string, dueAt: number): Promise<void> }>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** For each instant (epoch ms): sleeps until it, then records that it woke up through one activity. */
export async function timerWorkflow(key: string, instants: number[]): Promise<void> {
  for (const at of instants) {
    const wait = at - Date.now();
    if (wait > 0) await sleep(wait);
    await stamp(key, at);
  }
}
