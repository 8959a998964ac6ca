/**
 * Deadline effects: reminders before a due time, and the escalation ladder after it (notice VI.1).
 * Every rung tells the unit its order again (what follows if it is still missed), its head and the
 * District Office supervise; from level 2 on district leadership gets a 督办 request to acknowledge;
 * the top rung records accountability for the unit.
 */
import { activityInfo } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { workingDaysBetween } from '../src/calendar';
import { calendars } from '../src/calendars';
import { sql } from '../src/db/sql';
import { DEFAULT_POLICY } from '../src/policy';
import type { ClockRowInput } from '../workflows/clue.workflow';
import type { Audience, NotifyInput, Owner } from './notify';

export interface ReminderInput {
  key: string;
  owner: Owner;
  clock: ClockRowInput;
}

export interface EscalationInput extends ReminderInput {
  level: number;
  topLevel: number;
  /** Workflow time of the escalation (the activity may run later, or on a time-skipping test server). */
  at?: number;
  /** Working days overdue, computed by the workflow on the policy's calendar. */
  daysOverdue?: number;
}

export interface EscalateDeps {
  em(): EntityManager;
  notify(n: NotifyInput): Promise<{ recipients: number }>;
  /** Calendar for rungs recorded without working days overdue (histories from before they were passed). */
  calendar?: string;
}

/**
 * When the workflow asked for this activity (server time, so also right on a time-skipping test
 * server); undefined outside an activity or when not plausible for the clock (a mocked context).
 */
function scheduledAt(clock: ClockRowInput): number | undefined {
  try {
    const at = activityInfo().scheduledTimestampMs;
    return at >= clock.startedAt ? at : undefined;
  } catch {
    return undefined;
  }
}

export function createEscalate(deps: EscalateDeps) {
  async function sendReminder(p: ReminderInput): Promise<void> {
    await deps.notify({
      key: `reminder:${p.key}`,
      kind: 'reminder',
      template: p.clock.task === 'follow_up' ? 'followUp' : 'reminder',
      audience: { unitIds: [p.clock.unitId] },
      params: {
        clueRef: p.owner.ref ?? p.owner.id,
        task: p.clock.task,
        dueAt: p.clock.dueAt,
        unit: p.clock.unitId,
      },
      owner: p.owner,
    });
  }

  /** Working days overdue on the owner's calendar (a campaign's own policy, else the deployment's). */
  async function workingDaysOverdue(
    e: EntityManager,
    owner: Owner,
    dueAt: number,
    at: number,
  ): Promise<number> {
    let name = deps.calendar ?? DEFAULT_POLICY.calendar;
    if (owner.type === 'campaign') {
      const [row] = await e
        .getConnection()
        .execute<{ calendar: string | null }[]>(
          `select policy->>'calendar' as calendar from campaigns where id = ?`,
          [owner.id],
        );
      if (row?.calendar) name = row.calendar;
    }
    const cal = calendars[name] ?? calendars[DEFAULT_POLICY.calendar]!;
    return workingDaysBetween(cal, dueAt, at);
  }

  /**
   * One rung of the ladder (notice VI.1): level 1 → the unit's head and the District Office;
   * level 2 → district leadership; the top level → leading group plus an accountability record.
   * The unit itself is told at every rung.
   */
  async function recordEscalation(p: EscalationInput): Promise<void> {
    const e = deps.em();
    const now = new Date(p.at ?? scheduledAt(p.clock) ?? Date.now());
    const top = p.level >= p.topLevel;
    const escalationId = await e.transactional(async (tx) => {
      const [row] = await sql<{ id: number }[]>(
        tx,
        `insert into escalations (key, owner_type, owner_id, owner_ref, clock_id, task, unit_id, level, due_at, escalated_at, status)
         values (?,?,?,?,?,?,?,?,?,?,'open') on conflict (key) do update set key = excluded.key returning id`,
        [
          p.key,
          p.owner.type,
          p.owner.id,
          p.owner.ref ?? p.owner.id,
          p.clock.clockId,
          p.clock.task,
          p.clock.unitId,
          p.level,
          new Date(p.clock.dueAt),
          now,
        ],
      );
      // The previous rung is superseded by this one.
      await sql(
        tx,
        `update escalations set status = 'resolved', resolved_at = ? where owner_type = ? and owner_id = ? and clock_id = ? and level < ? and status = 'open'`,
        [now, p.owner.type, p.owner.id, p.clock.clockId, p.level],
      );
      if (top) {
        await sql(
          tx,
          `insert into accountability_records (key, unit_id, owner_type, owner_id, owner_ref, clock_id, task, due_at, level, recorded_at)
           values (?,?,?,?,?,?,?,?,?,?) on conflict (key) do nothing`,
          [
            p.key,
            p.clock.unitId,
            p.owner.type,
            p.owner.id,
            p.owner.ref ?? p.owner.id,
            p.clock.clockId,
            p.clock.task,
            new Date(p.clock.dueAt),
            p.level,
            now,
          ],
        );
      }
      return row!.id;
    });
    const unit = p.clock.unitId;
    const audience: Audience = {
      unitIds: [unit],
      unitHeadsOf: [unit],
      roles: p.level >= 2 ? ['coordinator', 'leader'] : ['coordinator'],
    };
    const daysOverdue = p.daysOverdue ?? (await workingDaysOverdue(e, p.owner, p.clock.dueAt, now.getTime()));
    const campaign = p.owner.type === 'campaign';
    await deps.notify({
      key: `escalation:${p.key}`,
      kind: 'escalation',
      template: campaign
        ? top
          ? 'campaignAccountability'
          : 'campaignEscalation'
        : top
          ? 'accountability'
          : 'escalation',
      audience,
      params: {
        ...(campaign ? { campaign: p.owner.ref ?? p.owner.id } : { clueRef: p.owner.ref ?? p.owner.id }),
        task: p.clock.task,
        level: p.level,
        topLevel: p.topLevel,
        dueAt: p.clock.dueAt,
        daysOverdue,
        unit,
      },
      owner: p.owner,
      escalationId,
    });
  }

  return { sendReminder, recordEscalation };
}
