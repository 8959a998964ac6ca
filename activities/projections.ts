/**
 * Projections of workflow state into PostgreSQL: the clue row, clocks, escalations resolved with their
 * clock, the timeline, and the campaign rows. Upserts by business key, so a retried activity never
 * doubles a row.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../src/db/sql';
import type { ClockRowInput, TimelineEventInput } from '../workflows/clue.workflow';
import type { CarriedClue } from '../workflows/clue.messages';
import type { Owner } from './notify';

export interface ProjectInput {
  owner: Owner;
  clue?: {
    stage: string;
    nature: string | null;
    grade: string;
    keyClue: boolean;
    overdueLevel: number;
    nextDueAt: number | null;
    closedAt: number | null;
    referredToUnitId: string | null;
  };
  clocks: ClockRowInput[];
  events: TimelineEventInput[];
}

/** Input of `recordClueEnded`: the run ended after its retention window, carrying this state. */
export interface ClueEndedInput {
  owner: Owner;
  carried: CarriedClue;
  /** Its timeline entry, keyed outside the run's event sequence (which the next run continues). */
  event: TimelineEventInput;
}

/** Input of `projectCampaign` (issue 4); times are epoch milliseconds. */
export interface ProjectCampaignInput {
  campaign?: {
    id: string;
    name: string;
    year: number;
    dates: {
      mobilizationStart: number;
      mobilizationEnd: number;
      implementationStart: number;
      implementationEnd: number;
      summaryReportDue: number;
    };
    phase: string;
    workflowId: string;
    createdBy: string;
    minInformation: number;
    maxTypicalCases: number;
    policy: Record<string, unknown>;
    cancelledBy: string | null;
    cancelReason: string | null;
    endedAt: number | null;
  };
  /** Participation rows, written by the campaign workflow. */
  units?: {
    campaignId: string;
    unitId: string;
    status: string;
    participation: number;
    joinedAt: number;
    leftAt: number | null;
    leftReason: string | null;
    workflowId: string;
  }[];
  /** One unit's due times and overdue summary, written by its child workflow. */
  unit?: {
    campaignId: string;
    unitId: string;
    /** The child's own status; it only moves a participation between active and completed. */
    status: string;
    participation: number;
    joinedAt: number;
    workflowId: string;
    dues: Record<'implementation_plan' | 'work_information' | 'summary_report', number>;
    overdueLevel: number;
    nextDueAt: number | null;
  };
  deliverables?: {
    campaignId: string;
    unitId: string;
    kind: string;
    seq: number;
    participation: number;
    content: unknown;
    filedAt: number;
    filedBy: string;
    dueAt: number;
    late: boolean;
  }[];
}

export function createProjections(deps: { em(): EntityManager }) {
  const em = deps.em;

  async function project(p: ProjectInput): Promise<void> {
    await em().transactional(async (tx) => {
      if (p.clue && p.owner.type === 'clue') {
        const x = p.clue;
        // A run that projects is running: an end recorded by an earlier run no longer holds.
        await sql(
          tx,
          `update clues set stage = ?, nature = ?, grade = ?, key_clue = ?, overdue_level = ?, next_due_at = ?, closed_at = ?, referred_to_unit_id = coalesce(?, referred_to_unit_id),
             workflow_ended_at = null, workflow_carried = null, updated_at = now() where id = ?`,
          [
            x.stage,
            x.nature,
            x.grade,
            x.keyClue,
            x.overdueLevel,
            toDate(x.nextDueAt),
            toDate(x.closedAt),
            x.referredToUnitId,
            p.owner.id,
          ],
        );
      }
      for (const k of p.clocks) {
        await sql(
          tx,
          `insert into clocks (key, owner_type, owner_id, clock_id, task, unit_id, label, started_at, due_at, status, level, completed_at, late, updated_at)
           values (?,?,?,?,?,?,?,?,?,?,?,?,?, now())
           on conflict (key) do update set due_at = excluded.due_at, status = excluded.status, level = excluded.level,
             completed_at = excluded.completed_at, late = excluded.late, updated_at = now()`,
          [
            `${p.owner.type}:${p.owner.id}:${k.clockId}`,
            p.owner.type,
            p.owner.id,
            k.clockId,
            k.task,
            k.unitId,
            k.label,
            new Date(k.startedAt),
            new Date(k.dueAt),
            k.status,
            k.level,
            toDate(k.completedAt),
            k.late,
          ],
        );
        // An escalation is resolved once its clock is done, cancelled or re-armed (level back to 0).
        if (k.status === 'done' || k.status === 'cancelled' || k.level === 0) {
          await sql(
            tx,
            `update escalations set status = 'resolved', resolved_at = coalesce(?, now()) where owner_type = ? and owner_id = ? and clock_id = ? and status <> 'resolved'`,
            [toDate(k.completedAt), p.owner.type, p.owner.id, k.clockId],
          );
        }
      }
      for (const ev of p.events) {
        await sql(
          tx,
          `insert into timeline_events (key, owner_type, owner_id, kind, actor_id, actor_role, data, at) values (?,?,?,?,?,?,?,?) on conflict (key) do nothing`,
          [
            ev.key,
            p.owner.type,
            p.owner.id,
            ev.kind,
            ev.actorId ?? null,
            ev.actorRole ?? null,
            JSON.stringify(ev.data),
            new Date(ev.at),
          ],
        );
      }
    });
  }

  /**
   * A clue's workflow ended after its retention window: the ledger keeps the carried state (a reopening
   * after Temporal has purged the closed run starts the new run from it) and the timeline says so.
   */
  async function recordClueEnded(p: ClueEndedInput): Promise<void> {
    await em().transactional(async (tx) => {
      await sql(
        tx,
        `update clues set workflow_ended_at = ?, workflow_carried = ?::jsonb, updated_at = now() where id = ?`,
        [new Date(p.event.at), JSON.stringify(p.carried), p.owner.id],
      );
      await sql(
        tx,
        `insert into timeline_events (key, owner_type, owner_id, kind, actor_id, actor_role, data, at) values (?,?,?,?,?,?,?,?) on conflict (key) do nothing`,
        [
          p.event.key,
          p.owner.type,
          p.owner.id,
          p.event.kind,
          null,
          null,
          JSON.stringify(p.event.data),
          new Date(p.event.at),
        ],
      );
    });
  }

  /**
   * Campaign projection (issue 4): the campaign row, its participation rows and the units' filed
   * deliverables. Upserts by business key (campaign id; campaign + unit; campaign + unit + kind + seq),
   * so a retried activity never doubles a row. Clocks and timeline go through `project`.
   */
  async function projectCampaign(p: ProjectCampaignInput): Promise<void> {
    await em().transactional(async (tx) => {
      const c = p.campaign;
      if (c) {
        await sql(
          tx,
          `insert into campaigns (id, name, year, mobilization_start, mobilization_end, implementation_start, implementation_end,
             summary_report_due, phase, status, min_information, max_typical_cases, policy, workflow_id, created_by,
             cancelled_by, cancel_reason, ended_at)
           values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
           on conflict (id) do update set phase = excluded.phase, status = excluded.status, cancelled_by = excluded.cancelled_by,
             cancel_reason = excluded.cancel_reason, ended_at = excluded.ended_at, workflow_id = excluded.workflow_id, updated_at = now()`,
          [
            c.id,
            c.name,
            c.year,
            new Date(c.dates.mobilizationStart),
            new Date(c.dates.mobilizationEnd),
            new Date(c.dates.implementationStart),
            new Date(c.dates.implementationEnd),
            new Date(c.dates.summaryReportDue),
            c.phase,
            c.phase === 'cancelled' ? 'cancelled' : c.phase === 'closed' ? 'closed' : 'active',
            c.minInformation,
            c.maxTypicalCases,
            JSON.stringify(c.policy),
            c.workflowId,
            c.createdBy,
            c.cancelledBy,
            c.cancelReason,
            toDate(c.endedAt),
          ],
        );
      }
      for (const u of p.units ?? []) {
        await sql(
          tx,
          `insert into campaign_units (campaign_id, unit_id, status, participation, joined_at, left_at, leave_reason, workflow_id)
           values (?,?,?,?,?,?,?,?)
           on conflict (campaign_id, unit_id) do update set status = excluded.status, participation = excluded.participation,
             joined_at = excluded.joined_at, left_at = excluded.left_at, leave_reason = excluded.leave_reason, updated_at = now()`,
          [
            u.campaignId,
            u.unitId,
            u.status,
            u.participation,
            new Date(u.joinedAt),
            toDate(u.leftAt),
            u.leftReason,
            u.workflowId,
          ],
        );
      }
      if (p.unit) {
        const u = p.unit;
        await sql(
          tx,
          `insert into campaign_units (campaign_id, unit_id, status, participation, joined_at, workflow_id,
             implementation_plan_due_at, work_information_due_at, summary_report_due_at, overdue_level, next_due_at)
           values (?,?,?,?,?,?,?,?,?,?,?)
           on conflict (campaign_id, unit_id) do update set implementation_plan_due_at = excluded.implementation_plan_due_at,
             work_information_due_at = excluded.work_information_due_at, summary_report_due_at = excluded.summary_report_due_at,
             overdue_level = excluded.overdue_level, next_due_at = excluded.next_due_at, updated_at = now(),
             status = case when campaign_units.status in ('active', 'completed') and excluded.status in ('active', 'completed')
                           then excluded.status else campaign_units.status end`,
          [
            u.campaignId,
            u.unitId,
            u.status,
            u.participation,
            new Date(u.joinedAt),
            u.workflowId,
            new Date(u.dues.implementation_plan),
            new Date(u.dues.work_information),
            new Date(u.dues.summary_report),
            u.overdueLevel,
            toDate(u.nextDueAt),
          ],
        );
      }
      for (const d of p.deliverables ?? []) {
        await sql(
          tx,
          `insert into campaign_deliverables (campaign_id, unit_id, kind, seq, participation, content, filed_at, filed_by, due_at, late)
           values (?,?,?,?,?,?,?,?,?,?) on conflict (campaign_id, unit_id, kind, seq) do nothing`,
          [
            d.campaignId,
            d.unitId,
            d.kind,
            d.seq,
            d.participation,
            JSON.stringify(d.content),
            new Date(d.filedAt),
            d.filedBy,
            new Date(d.dueAt),
            d.late,
          ],
        );
      }
    });
  }

  return { project, projectCampaign, recordClueEnded };
}

function toDate(ms: number | null | undefined): Date | null {
  return ms === null || ms === undefined ? null : new Date(ms);
}
