/**
 * Leadership notices that are not part of one clue's disposal:
 * - `weeklyDigestWorkflow`: the target of the `weekly-digest` Temporal Schedule (src/reports/digest.ts);
 *   its week key comes from the run's start time, so a retried or re-triggered run in the same week
 *   sends nothing twice (`notify` is exactly-once per key and recipient).
 * - `duplicateNoticeWorkflow`: tells the lead unit of an open clue that a new clue about the same
 *   subject was registered and linked to it (started by the intake, id `duplicate-notice-<clueId>`).
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { isoWeekKey } from '../src/reports/week';

type Activities = ReturnType<typeof createActivities>;

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function weeklyDigestWorkflow(): Promise<{ week: string; recipients: number }> {
  const at = workflowInfo().runStartTime.getTime();
  const week = isoWeekKey(at);
  const { recipients } = await acts.digest({ week, at });
  return { week, recipients };
}

export interface DuplicateNoticeInput {
  clueId: string;
  clueRef: string;
  subject: string;
  originalId: string;
  originalRef: string;
  originalLeadUnitId: string;
}

export async function duplicateNoticeWorkflow(i: DuplicateNoticeInput): Promise<void> {
  await acts.notify({
    key: `duplicate:${i.clueId}`,
    kind: 'duplicate',
    template: 'duplicateLinked',
    audience: { unitIds: [i.originalLeadUnitId] },
    params: {
      clueRef: i.clueRef,
      originalRef: i.originalRef,
      subject: i.subject,
      unit: i.originalLeadUnitId,
    },
    owner: { type: 'clue', id: i.originalId, ref: i.originalRef },
  });
}
