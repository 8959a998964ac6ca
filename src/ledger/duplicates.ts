/**
 * Duplicates (DESIGN "Duplicates"): a new clue whose subject matches an open clue is linked to it at
 * intake (`duplicate_of_id`), and the open clue's lead unit is told — durably and once, by a small
 * workflow `duplicate-notice-<clueId>` whose notification key is `duplicate:<clueId>`.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import type { AppContext } from '../context';
import type { DuplicateNoticeInput } from '../../workflows/digest.workflow';

export const duplicateNoticeWorkflowId = (clueId: string) => `duplicate-notice-${clueId}`;

/** Starts the notice for a linked clue (no-op when the clue is not linked). Idempotent. */
export async function startDuplicateNotice(ctx: AppContext, clueId: string): Promise<boolean> {
  const em = ctx.orm.em.fork() as EntityManager;
  const [row] = await em.getConnection().execute<
    {
      id: string;
      ref: string;
      subject_name: string;
      original_id: string | null;
      original_ref: string | null;
      original_lead: string | null;
    }[]
  >(
    `select c.id, c.ref, c.subject_name, d.id as original_id, d.ref as original_ref, d.lead_unit_id as original_lead
       from clues c left join clues d on d.id = c.duplicate_of_id where c.id = ?`,
    [clueId],
  );
  if (!row?.original_id || !row.original_ref || !row.original_lead) return false;
  const input: DuplicateNoticeInput = {
    clueId: row.id,
    clueRef: row.ref,
    subject: row.subject_name,
    originalId: row.original_id,
    originalRef: row.original_ref,
    originalLeadUnitId: row.original_lead,
  };
  await ctx.temporal.workflow.start('duplicateNoticeWorkflow', {
    workflowId: duplicateNoticeWorkflowId(row.id),
    taskQueue: ctx.config.temporal.taskQueue,
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
  return true;
}
