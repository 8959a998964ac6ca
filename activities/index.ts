/**
 * Every side effect of the workflows. Each activity is idempotent through a business key
 * (a unique constraint or an outbox row), so a retried activity never doubles a row or an email.
 * Factory in the style of samples-typescript `activities-dependency-injection`.
 */
import { createHmac } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../src/domain/failures';
import type { Orm } from '../src/db/orm';
import { pgTextArray, sql } from '../src/db/sql';
import { formatLocal } from '../src/format';
import { t, type MessageKey } from '../src/i18n';
import type { Locale, Role } from '../src/domain/enums';
import { messageIdFor, type Mailer } from '../src/mail/mailer';
import { createOutboxSender, type OutboxSender } from '../src/mail/outbox';
import { computeDigest, digestNotification } from '../src/reports/digest';
import type { ClockRowInput, TimelineEventInput } from '../workflows/clue.workflow';

export interface ActivityDeps {
  orm: Orm;
  mailer: Mailer;
  policeWebhook?: { url: string; secret: string };
  log?: { info(o: object, msg?: string): void; warn(o: object, msg?: string): void };
  /** Shared with the worker's outbox relay (one lease and one accepted-but-unrecorded set per process). */
  outbox?: OutboxSender;
}

export interface Owner {
  type: 'clue' | 'campaign';
  id: string;
  ref?: string;
}

export interface Audience {
  /** Staff of these units. */
  unitIds?: string[];
  /** Heads of these units only. */
  unitHeadsOf?: string[];
  /** Everyone with these roles. */
  roles?: Role[];
}

export type TemplateName =
  | 'reminder'
  | 'escalation'
  | 'stageChanged'
  | 'referral'
  | 'referralReturned'
  | 'campaignPhase'
  | 'accountability'
  | 'followUp'
  | 'extensionRequested'
  | 'informationExchanged'
  | 'campaignReminder'
  | 'campaignEscalation'
  | 'campaignAccountability'
  | 'campaignConcluded'
  | 'campaignCancelled'
  | 'campaignJoined'
  | 'campaignLeft'
  | 'duplicateLinked'
  | 'digest';

export interface NotifyInput {
  key: string;
  kind: string;
  template: TemplateName;
  audience: Audience;
  params: Record<string, string | number>;
  /** Parameters that differ by language (lists, names), merged over `params` for each recipient's locale. */
  localeParams?: Partial<Record<Locale, Record<string, string | number>>>;
  owner?: Owner;
}

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

interface Recipient {
  id: string;
  email: string;
  locale: Locale;
  unit_id: string | null;
}

/** Parameters whose values are codes get the recipient's language label (e.g. task → 核查). */
const TRANSLATED_PARAMS: Record<string, string> = {
  stage: 'stage',
  task: 'task',
  level: 'level',
  phase: 'campaignPhase',
};

export function render(
  locale: Locale,
  template: TemplateName,
  params: Record<string, string | number>,
  unitNames: Map<string, { zh: string; en: string }>,
) {
  const p: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) {
    const kind = TRANSLATED_PARAMS[k];
    const key = kind ? (`${kind}.${v}` as MessageKey) : undefined;
    if (key && t(locale, key) !== key) p[k] = t(locale, key);
    else if ((k === 'unit' || k === 'unitName') && unitNames.has(String(v))) {
      const n = unitNames.get(String(v))!;
      p[k] = locale === 'en' ? n.en : n.zh;
    } else if (k.endsWith('At') && typeof v === 'number') p[k] = formatLocal(v, locale);
    else p[k] = v;
  }
  return {
    subject: t(locale, `${template}.subject` as MessageKey, p),
    body: t(locale, `${template}.body` as MessageKey, p),
  };
}

export function createActivities(deps: ActivityDeps) {
  const em = (): EntityManager => deps.orm.em.fork() as EntityManager;
  const outbox = deps.outbox ?? createOutboxSender(deps);

  async function recipients(e: EntityManager, a: Audience): Promise<Recipient[]> {
    return e.getConnection().execute<Recipient[]>(
      `select id, email, locale, unit_id from users
        where active and (
          (unit_id = any(?::text[]) and role in ('unit_officer','police_liaison','coordinator'))
          or (unit_id = any(?::text[]) and is_unit_head)
          or role = any(?::text[]))
        order by id`,
      [pgTextArray(a.unitIds ?? []), pgTextArray(a.unitHeadsOf ?? []), pgTextArray(a.roles ?? [])],
    );
  }

  async function unitNames(e: EntityManager): Promise<Map<string, { zh: string; en: string }>> {
    const rows = await e
      .getConnection()
      .execute<{ id: string; name_zh: string; name_en: string }[]>('select id, name_zh, name_en from units');
    return new Map(rows.map((r) => [r.id, { zh: r.name_zh, en: r.name_en }]));
  }

  async function notify(n: NotifyInput): Promise<{ recipients: number }> {
    const e = em();
    const users = await recipients(e, n.audience);
    const names = await unitNames(e);
    await e.transactional(async (tx) => {
      for (const u of users) {
        const { subject, body } = render(
          u.locale,
          n.template,
          { ...n.params, ...n.localeParams?.[u.locale] },
          names,
        );
        await sql(
          tx,
          `insert into notifications (key, user_id, unit_id, kind, subject, body, locale, owner_type, owner_id) values (?,?,?,?,?,?,?,?,?) on conflict (key, user_id) do nothing`,
          [
            n.key,
            u.id,
            u.unit_id,
            n.kind,
            subject,
            body,
            u.locale,
            n.owner?.type ?? null,
            n.owner?.id ?? null,
          ],
        );
        const mailKey = `${n.key}|${u.id}`;
        await sql(
          tx,
          `insert into mail_outbox (key, to_addr, subject, body, message_id, status) values (?,?,?,?,?,'pending') on conflict (key) do nothing`,
          [mailKey, u.email, subject, body, messageIdFor(n.key, u.email)],
        );
      }
    });
    // Sent now if the SMTP server takes it; otherwise left pending for the relay, so the workflow that
    // notified goes on (an outage delays emails, never escalations or stage changes).
    const d = await outbox.deliverKey(`${n.key}|`);
    if (d.deferred > 0)
      deps.log?.warn({ kind: n.kind, deferred: d.deferred }, 'email deferred to the outbox relay');
    return { recipients: users.length };
  }

  async function project(p: ProjectInput): Promise<void> {
    await em().transactional(async (tx) => {
      if (p.clue && p.owner.type === 'clue') {
        const x = p.clue;
        await sql(
          tx,
          `update clues set stage = ?, nature = ?, grade = ?, key_clue = ?, overdue_level = ?, next_due_at = ?, closed_at = ?, referred_to_unit_id = coalesce(?, referred_to_unit_id), updated_at = now() where id = ?`,
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

  async function sendReminder(p: { key: string; owner: Owner; clock: ClockRowInput }): Promise<void> {
    await notify({
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

  /**
   * One rung of the ladder (notice VI.1): level 1 → the unit's head and the District Office;
   * level 2 → district leadership; the top level → leading group plus an accountability record.
   */
  async function recordEscalation(p: {
    key: string;
    owner: Owner;
    clock: ClockRowInput;
    level: number;
    topLevel: number;
    /** Workflow time of the escalation (the activity may run later, or on a time-skipping test server). */
    at?: number;
    /** Working days overdue, computed by the workflow on the policy's calendar. */
    daysOverdue?: number;
  }): Promise<void> {
    const e = em();
    const now = p.at !== undefined ? new Date(p.at) : new Date();
    await e.transactional(async (tx) => {
      await sql(
        tx,
        `insert into escalations (key, owner_type, owner_id, owner_ref, clock_id, task, unit_id, level, due_at, escalated_at, status)
         values (?,?,?,?,?,?,?,?,?,?,'open') on conflict (key) do nothing`,
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
      if (p.level >= p.topLevel) {
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
    });
    const audience: Audience =
      p.level === 1
        ? { unitIds: [p.clock.unitId], unitHeadsOf: [p.clock.unitId], roles: ['coordinator'] }
        : p.level === 2
          ? { unitHeadsOf: [p.clock.unitId], roles: ['coordinator', 'leader'] }
          : { unitHeadsOf: [p.clock.unitId], roles: ['coordinator', 'leader'] };
    const daysOverdue =
      p.daysOverdue ?? Math.max(0, Math.floor((now.getTime() - p.clock.dueAt) / 86_400_000));
    await notify({
      key: `escalation:${p.key}`,
      kind: 'escalation',
      template:
        p.owner.type === 'campaign'
          ? p.level >= p.topLevel
            ? 'campaignAccountability'
            : 'campaignEscalation'
          : p.level >= p.topLevel
            ? 'accountability'
            : 'escalation',
      audience,
      params: {
        clueRef: p.owner.ref ?? p.owner.id,
        campaign: p.owner.ref ?? p.owner.id,
        task: p.clock.task,
        level: p.level,
        dueAt: p.clock.dueAt,
        daysOverdue,
        unit: p.clock.unitId,
      },
      owner: p.owner,
    });
  }

  /** Hand-off to public security: persist the package, notify the liaison, and push it to the agency's case system if configured. */
  async function sendReferral(p: {
    referralId: string;
    clueId: string;
    seq: number;
    policeUnitId: string;
    reason: string;
    by: string;
    disposal: Record<string, unknown>;
  }): Promise<void> {
    const e = em();
    const [clue] = await e.getConnection().execute<Record<string, unknown>[]>(
      `select id, ref, source_channel, description, subject_name, subject_kind, credit_code, registration_place, operating_place,
              frequent_changes, key_area, key_behaviours, online, amount_cny, participants, public_opinion, stability_risk,
              lead_unit_id, co_handling_unit_ids, risk_score, grade, created_at
         from clues where id = ?`,
      [p.clueId],
    );
    if (!clue)
      throw ApplicationFailure.create({
        type: FailureType.Permanent,
        message: `clue ${p.clueId} not found`,
        nonRetryable: true,
      });
    // Reporter identity is deliberately not part of the package: it stays with coordinators.
    const pkg = {
      referralId: p.referralId,
      reason: p.reason,
      clue,
      ...p.disposal,
      preparedAt: new Date().toISOString(),
    };
    await e
      .getConnection()
      .execute(
        `insert into referrals (id, clue_id, seq, police_unit_id, package, sent_at, status) values (?,?,?,?,?,now(),'awaiting') on conflict (id) do nothing`,
        [p.referralId, p.clueId, p.seq, p.policeUnitId, JSON.stringify(pkg)],
      );
    await notify({
      key: `referral:${p.referralId}`,
      kind: 'referral',
      template: 'referral',
      audience: { unitIds: [p.policeUnitId] },
      params: { clueRef: String(clue.ref), unit: p.policeUnitId },
      owner: { type: 'clue', id: p.clueId, ref: String(clue.ref) },
    });
    if (deps.policeWebhook) {
      const [row] = await e
        .getConnection()
        .execute<{ package: unknown; webhook_status: string | null }[]>(
          'select package, webhook_status from referrals where id = ?',
          [p.referralId],
        );
      if (row?.webhook_status !== 'delivered') {
        await postWebhook(deps.policeWebhook, p.referralId, row?.package ?? pkg);
        await e
          .getConnection()
          .execute(`update referrals set webhook_status = 'delivered' where id = ?`, [p.referralId]);
      }
    }
  }

  async function recordReferralAcknowledgement(p: {
    referralId: string;
    decision: 'accepted' | 'returned';
    policeCaseNumber?: string;
    reason?: string;
    by: string;
  }): Promise<void> {
    await em()
      .getConnection()
      .execute(
        `update referrals set status = ?, police_case_number = ?, reason = ?, acknowledged_by = ?, acknowledged_at = coalesce(acknowledged_at, now()) where id = ?`,
        [p.decision, p.policeCaseNumber ?? null, p.reason ?? null, p.by, p.referralId],
      );
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

  /** The weekly digest to leaders (issue 6): computed now, sent once per ISO week through notify. */
  async function digest(p: { week: string; at: number }): Promise<{ recipients: number }> {
    return notify(digestNotification(p.week, await computeDigest(em(), p.at)));
  }

  return {
    notify,
    project,
    sendReminder,
    recordEscalation,
    sendReferral,
    recordReferralAcknowledgement,
    projectCampaign,
    digest,
  };
}

/** Signed webhook: HMAC-SHA256 over the exact body; the referral id is the idempotency key for the receiver. */
export async function postWebhook(
  hook: { url: string; secret: string },
  referralId: string,
  pkg: unknown,
): Promise<void> {
  const body = JSON.stringify({ type: 'referral', referralId, package: pkg });
  const signature = createHmac('sha256', hook.secret).update(body).digest('hex');
  const res = await fetch(hook.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': referralId,
      'x-signature-sha256': signature,
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    throw ApplicationFailure.create({
      type: FailureType.Permanent,
      message: `case system rejected referral ${referralId}: HTTP ${res.status}`,
      nonRetryable: true,
    });
  }
  if (!res.ok) throw new Error(`case system answered HTTP ${res.status} for referral ${referralId}`);
}

function toDate(ms: number | null | undefined): Date | null {
  return ms === null || ms === undefined ? null : new Date(ms);
}
