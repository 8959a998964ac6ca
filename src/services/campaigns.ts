/**
 * Campaigns (notice V, VI.4): start one from the notice's template or explicit phase dates, file a
 * unit's deliverables, let units join or leave, cancel, and read per-unit progress from the projection.
 * Process state lives in Temporal (`campaign-<id>` and its per-unit children); PostgreSQL holds the
 * projection written by the `projectCampaign` and `project` activities.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { resolvePolicy, type AppContext } from '../context';
import { sql } from '../db/sql';
import type { WorkInformationType } from '../domain/enums';
import { mergePolicy, type DeadlinePolicy } from '../policy';
import type { Actor } from '../../workflows/clue.messages';
import {
  addUnitsUpdate,
  campaignStateQuery,
  campaignWorkflowId,
  cancelCampaignUpdate,
  fileImplementationPlanUpdate,
  fileInformationUpdate,
  fileSummaryReportUpdate,
  removeUnitUpdate,
  unitWorkflowId,
  type CampaignDates,
  type DeliverableKind,
  type ImplementationPlanContent,
  type SummaryReportContent,
  type WorkInformationContent,
} from '../../workflows/campaign.messages';
import type { CampaignWorkflowInput } from '../../workflows/campaign.workflow';

export { campaignWorkflowId, unitWorkflowId } from '../../workflows/campaign.messages';

/** Notice VI.4: "no less than three pieces of information", "typical cases (no more than three)". */
export const MIN_INFORMATION = 3;
export const MAX_TYPICAL_CASES = 3;

/** A business-rule failure with its HTTP status; the API turns it into problem+json. */
export class CampaignError extends Error {
  constructor(
    readonly status: number,
    readonly kind:
      'validation-error' | 'not-found' | 'invalid-transition' | 'forbidden' | 'idempotency-key-reused',
    message: string,
    readonly path: (string | number)[] = [],
  ) {
    super(message);
  }
}

export interface CampaignRequest {
  name?: string;
  year?: number;
  phases?: {
    mobilization: { start: string; end: string };
    implementation: { start: string; end: string };
    summaryReportDue: string;
  };
  unitIds?: string[];
  policy?: Partial<DeadlinePolicy>;
}

const CST = 8 * 3_600_000;

/** The calendar year in China (UTC+8) at an instant. */
export function chinaYear(ms: number): number {
  return new Date(ms + CST).getUTCFullYear();
}

/**
 * The notice's dates for a year, in China Standard Time: mobilization May 18–28, implementation
 * May 29–July 13, summary report due July 13 (each phase ends at 23:59:59 of its last day).
 */
export function noticeDates(year: number): CampaignDates {
  const at = (md: string, time: string) => Date.parse(`${String(year).padStart(4, '0')}-${md}T${time}+08:00`);
  return {
    mobilizationStart: at('05-18', '00:00:00'),
    mobilizationEnd: at('05-28', '23:59:59'),
    implementationStart: at('05-29', '00:00:00'),
    implementationEnd: at('07-13', '23:59:59'),
    summaryReportDue: at('07-13', '23:59:59'),
  };
}

export function defaultCampaignName(year: number): string {
  return `${year}年非法集资风险专项排查活动`;
}

/** Explicit phase dates, checked for order; errors name the field. */
export function explicitDates(p: NonNullable<CampaignRequest['phases']>): CampaignDates {
  const d: CampaignDates = {
    mobilizationStart: Date.parse(p.mobilization.start),
    mobilizationEnd: Date.parse(p.mobilization.end),
    implementationStart: Date.parse(p.implementation.start),
    implementationEnd: Date.parse(p.implementation.end),
    summaryReportDue: Date.parse(p.summaryReportDue),
  };
  const rules: [boolean, string, (string | number)[]][] = [
    [
      d.mobilizationEnd > d.mobilizationStart,
      'mobilization must end after it starts',
      ['phases', 'mobilization', 'end'],
    ],
    [
      d.implementationStart >= d.mobilizationEnd,
      'implementation must start when mobilization has ended',
      ['phases', 'implementation', 'start'],
    ],
    [
      d.implementationEnd > d.implementationStart,
      'implementation must end after it starts',
      ['phases', 'implementation', 'end'],
    ],
    [
      d.summaryReportDue >= d.implementationEnd,
      'the summary report cannot be due before implementation ends',
      ['phases', 'summaryReportDue'],
    ],
  ];
  for (const [ok, message, path] of rules)
    if (!ok) throw new CampaignError(422, 'validation-error', message, path);
  return d;
}

const pgArray = (xs: string[]) => `{${xs.map((x) => `"${x.replace(/(["\\])/g, '\\$1')}"`).join(',')}}`;

/** Default participants: every active town, community and department except the public security organ. */
export async function defaultParticipants(em: EntityManager, policeUnitId: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>(
    em,
    `select id from units where active and kind in ('town', 'community', 'department') and id <> ? order by id`,
    [policeUnitId],
  );
  return rows.map((r) => r.id);
}

/** Units that may take part: active, and not the District Office itself. */
export async function checkParticipants(
  em: EntityManager,
  unitIds: string[],
  field = 'unitIds',
): Promise<void> {
  const rows = await sql<{ id: string; kind: string; active: boolean }[]>(
    em,
    `select id, kind, active from units where id = any(?::text[])`,
    [pgArray(unitIds)],
  );
  const known = new Map(rows.map((r) => [r.id, r]));
  unitIds.forEach((id, i) => {
    const u = known.get(id);
    if (!u || !u.active)
      throw new CampaignError(422, 'validation-error', `unknown or inactive unit "${id}"`, [field, i]);
    if (u.kind === 'district_office') {
      throw new CampaignError(
        422,
        'validation-error',
        `the District Office ("${id}") runs the campaign and cannot take part in it`,
        [field, i],
      );
    }
  });
  if (new Set(unitIds).size !== unitIds.length)
    throw new CampaignError(422, 'validation-error', 'units must be distinct', [field]);
}

export interface StartedCampaign {
  id: string;
  workflowId: string;
  created: boolean;
}

/** Starts a campaign exactly once per Idempotency-Key: the row first (like a clue intake), then its workflow. */
export async function startCampaign(
  ctx: AppContext,
  req: CampaignRequest,
  o: { createdBy: string; idempotencyKey?: string },
): Promise<StartedCampaign> {
  const em = ctx.orm.em.fork() as EntityManager;
  const requestHash = createHash('sha256').update(JSON.stringify(req)).digest('hex');
  if (o.idempotencyKey) {
    const [prior] = await sql<{ id: string; request_hash: string | null }[]>(
      em,
      'select id, request_hash from campaigns where idempotency_key = ?',
      [o.idempotencyKey],
    );
    if (prior) {
      if (prior.request_hash !== requestHash) {
        throw new CampaignError(
          422,
          'idempotency-key-reused',
          'this Idempotency-Key was used with a different body',
        );
      }
      return { id: prior.id, workflowId: campaignWorkflowId(prior.id), created: false };
    }
  }
  const dates = req.phases ? explicitDates(req.phases) : noticeDates(req.year ?? chinaYear(Date.now()));
  if (dates.summaryReportDue <= Date.now()) {
    throw new CampaignError(
      422,
      'validation-error',
      'the summary report deadline has already passed',
      req.phases ? ['phases', 'summaryReportDue'] : ['year'],
    );
  }
  const year = req.year ?? chinaYear(dates.mobilizationStart);
  const unitIds = req.unitIds ?? (await defaultParticipants(em, ctx.config.units.police));
  if (req.unitIds) await checkParticipants(em, unitIds);
  if (unitIds.length === 0)
    throw new CampaignError(422, 'validation-error', 'a campaign needs at least one participating unit', [
      'unitIds',
    ]);

  const id = randomUUID();
  const name = req.name?.trim() || defaultCampaignName(year);
  const policy = resolvePolicy(mergePolicy(ctx.config.policy, req.policy ?? {}));
  const input: CampaignWorkflowInput = {
    campaignId: id,
    name,
    year,
    dates,
    unitIds,
    policy,
    createdBy: o.createdBy,
    minInformation: MIN_INFORMATION,
    maxTypicalCases: MAX_TYPICAL_CASES,
  };
  const workflowId = campaignWorkflowId(id);
  try {
    await em.transactional(async (tx) => {
      await sql(
        tx,
        `insert into campaigns (id, name, year, mobilization_start, mobilization_end, implementation_start, implementation_end, summary_report_due,
           phase, status, min_information, max_typical_cases, policy, workflow_id, created_by, idempotency_key, request_hash)
         values (?,?,?,?,?,?,?,?,'scheduled','active',?,?,?,?,?,?,?)`,
        [
          id,
          name,
          year,
          new Date(dates.mobilizationStart),
          new Date(dates.mobilizationEnd),
          new Date(dates.implementationStart),
          new Date(dates.implementationEnd),
          new Date(dates.summaryReportDue),
          MIN_INFORMATION,
          MAX_TYPICAL_CASES,
          JSON.stringify({
            calendar: policy.calendar,
            mode: policy.mode,
            tiers: policy.tiers,
            reminders: policy.reminders,
            escalation: policy.escalation,
          }),
          workflowId,
          o.createdBy,
          o.idempotencyKey ?? null,
          requestHash,
        ],
      );
      for (const u of unitIds) {
        await sql(
          tx,
          `insert into campaign_units (campaign_id, unit_id, status, participation, joined_at, workflow_id) values (?,?,'active',1,now(),?)`,
          [id, u, unitWorkflowId(id, u)],
        );
      }
    });
  } catch (err) {
    // Two concurrent requests with the same key: the loser returns the winner's campaign.
    if (o.idempotencyKey && /duplicate key|unique/i.test(String(err))) return startCampaign(ctx, req, o);
    throw err;
  }
  await ctx.temporal.workflow.start('campaignWorkflow', {
    workflowId,
    taskQueue: ctx.config.temporal.taskQueue,
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
  await awaitUnitsReady(ctx, id, unitIds);
  return { id, workflowId, created: true };
}

/**
 * Waits (briefly) until every unit's child workflow has started and projected its clocks, so the caller
 * can file right away and reads its due times. Gives up quietly after `timeoutMs`: the campaign runs anyway.
 */
export async function awaitUnitsReady(
  ctx: AppContext,
  campaignId: string,
  unitIds: string[],
  timeoutMs = 10_000,
): Promise<boolean> {
  const handle = ctx.temporal.workflow.getHandle(campaignWorkflowId(campaignId));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const s = await handle.query(campaignStateQuery);
      if (unitIds.every((u) => s.units.find((x) => x.unitId === u)?.reported !== undefined)) return true;
    } catch {
      // Not started yet: ask again.
    }
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface CampaignRow {
  id: string;
  name: string;
  status: string;
  phase: string;
}

export async function loadCampaign(em: EntityManager, id: string): Promise<CampaignRow> {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new CampaignError(404, 'not-found', 'campaign not found');
  const [row] = await sql<CampaignRow[]>(em, 'select id, name, status, phase from campaigns where id = ?', [
    id,
  ]);
  if (!row) throw new CampaignError(404, 'not-found', 'campaign not found');
  return row;
}

function requireRunning(c: CampaignRow): void {
  if (c.status !== 'active')
    throw new CampaignError(409, 'invalid-transition', `the campaign is ${c.status}`);
}

async function participation(
  em: EntityManager,
  campaignId: string,
  unitId: string,
): Promise<{ status: string } | undefined> {
  const [row] = await sql<{ status: string }[]>(
    em,
    'select status from campaign_units where campaign_id = ? and unit_id = ?',
    [campaignId, unitId],
  );
  return row;
}

export type SummaryReportRequest = Omit<SummaryReportContent, 'typicalCases'> & {
  typicalCases: { clue: string; title: string; summary: string }[];
};
export type DeliverableRequest =
  | { kind: 'implementation_plan'; body: ImplementationPlanContent }
  | { kind: 'work_information'; body: WorkInformationContent }
  | { kind: 'summary_report'; body: SummaryReportRequest };

/** Each typical case must name a clue its unit leads or co-handles (by id or reference). */
async function resolveTypicalCases(
  em: EntityManager,
  unitId: string,
  cases: SummaryReportRequest['typicalCases'],
) {
  const out: SummaryReportContent['typicalCases'] = [];
  for (const [i, c] of cases.entries()) {
    const [row] = await sql<{ id: string; ref: string }[]>(
      em,
      `select id, ref from clues where (id::text = ? or ref = ?) and (lead_unit_id = ? or ? = any(co_handling_unit_ids))`,
      [c.clue, c.clue, unitId, unitId],
    );
    if (!row) {
      throw new CampaignError(
        422,
        'validation-error',
        `typical case ${i + 1}: "${c.clue}" is not a clue your unit leads or co-handles`,
        ['typicalCases', i, 'clue'],
      );
    }
    out.push({ clueId: row.id, clueRef: row.ref, title: c.title, summary: c.summary });
  }
  return out;
}

/** Files one deliverable for a unit through its child workflow; returns once it is projected. */
export async function fileDeliverable(
  ctx: AppContext,
  campaignId: string,
  unitId: string,
  d: DeliverableRequest,
  actor: Actor,
) {
  const em = ctx.orm.em.fork() as EntityManager;
  const c = await loadCampaign(em, campaignId);
  const part = await participation(em, campaignId, unitId);
  if (!part || part.status === 'withdrawn') {
    throw new CampaignError(404, 'not-found', `unit "${unitId}" does not take part in this campaign`, [
      'unitId',
    ]);
  }
  requireRunning(c);
  const handle = ctx.temporal.workflow.getHandle(unitWorkflowId(campaignId, unitId));
  try {
    if (d.kind === 'implementation_plan') {
      return await handle.executeUpdate(fileImplementationPlanUpdate, { args: [{ ...d.body, actor }] });
    }
    if (d.kind === 'work_information') {
      return await handle.executeUpdate(fileInformationUpdate, {
        args: [{ ...d.body, type: d.body.type as WorkInformationType, actor }],
      });
    }
    const typicalCases = await resolveTypicalCases(em, unitId, d.body.typicalCases);
    return await handle.executeUpdate(fileSummaryReportUpdate, {
      args: [{ ...d.body, typicalCases, actor }],
    });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      throw new CampaignError(409, 'invalid-transition', 'this unit no longer accepts deliverables');
    throw err;
  }
}

export async function addUnits(ctx: AppContext, campaignId: string, unitIds: string[], actor: Actor) {
  const em = ctx.orm.em.fork() as EntityManager;
  requireRunning(await loadCampaign(em, campaignId));
  await checkParticipants(em, unitIds);
  return ctx.temporal.workflow
    .getHandle(campaignWorkflowId(campaignId))
    .executeUpdate(addUnitsUpdate, { args: [{ actor, unitIds }] });
}

export async function removeUnit(
  ctx: AppContext,
  campaignId: string,
  unitId: string,
  reason: string,
  actor: Actor,
) {
  const em = ctx.orm.em.fork() as EntityManager;
  requireRunning(await loadCampaign(em, campaignId));
  const part = await participation(em, campaignId, unitId);
  if (!part || part.status === 'withdrawn') {
    throw new CampaignError(404, 'not-found', `unit "${unitId}" does not take part in this campaign`, [
      'unitId',
    ]);
  }
  return ctx.temporal.workflow
    .getHandle(campaignWorkflowId(campaignId))
    .executeUpdate(removeUnitUpdate, { args: [{ actor, unitId, reason }] });
}

export async function cancelCampaign(ctx: AppContext, campaignId: string, reason: string, actor: Actor) {
  const em = ctx.orm.em.fork() as EntityManager;
  requireRunning(await loadCampaign(em, campaignId));
  return ctx.temporal.workflow
    .getHandle(campaignWorkflowId(campaignId))
    .executeUpdate(cancelCampaignUpdate, { args: [{ actor, reason }] });
}

// ---- progress ------------------------------------------------------------------------------------

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

export type DeliverableStatus = 'pending' | 'overdue' | 'filed' | 'filed_late' | 'cancelled';

export interface DeliverableProgress {
  status: DeliverableStatus;
  dueAt: string | null;
  filedAt: string | null;
  late: boolean;
  overdue: boolean;
  overdueLevel: number;
  escalations: { level: number; escalatedAt: string; status: string }[];
}

export interface UnitProgress {
  unitId: string;
  unitName: { zh: string; en: string };
  unitKind: string;
  status: string;
  participation: number;
  joinedAt: string;
  leftAt: string | null;
  leftReason: string | null;
  overdue: boolean;
  overdueLevel: number;
  nextDueAt: string | null;
  accountability: { task: string; level: number; recordedAt: string }[];
  deliverables: {
    implementationPlan: DeliverableProgress;
    workInformation: DeliverableProgress & {
      required: number;
      filedCount: number;
      items: { seq: number; type: string; title: string; filedAt: string; late: boolean }[];
    };
    summaryReport: DeliverableProgress & { typicalCases: number };
  };
}

export interface CampaignProgress {
  campaignId: string;
  name: string;
  year: number;
  phase: string;
  status: string;
  asOf: string;
  phases: {
    mobilization: { start: string; end: string };
    implementation: { start: string; end: string };
    summaryReportDue: string;
  };
  requirements: { minInformation: number; maxTypicalCases: number };
  totals: {
    units: number;
    implementationPlansFiled: number;
    informationComplete: number;
    summaryReportsFiled: number;
    overdueUnits: number;
    byLevel: { level1: number; level2: number; level3: number };
    accountabilityRecords: number;
  };
  units: UnitProgress[];
}

interface UnitRow {
  unit_id: string;
  status: string;
  participation: number;
  joined_at: Date;
  left_at: Date | null;
  leave_reason: string | null;
  implementation_plan_due_at: Date | null;
  work_information_due_at: Date | null;
  summary_report_due_at: Date | null;
  next_due_at: Date | null;
  name_zh: string;
  name_en: string;
  kind: string;
}
interface ClockRow {
  clock_id: string;
  task: string;
  unit_id: string;
  due_at: Date;
  status: string;
  level: number;
  completed_at: Date | null;
  late: boolean;
}

/**
 * Per unit: what is filed, what is due when, what is overdue and at which escalation level. From the
 * projection (clocks, escalations, deliverables), so it also answers after the workflows have ended.
 */
export async function campaignProgress(
  em: EntityManager,
  campaignId: string,
  onlyUnitId?: string,
): Promise<CampaignProgress> {
  const [c] = await sql<
    {
      id: string;
      name: string;
      year: number;
      phase: string;
      status: string;
      min_information: number;
      max_typical_cases: number;
      mobilization_start: Date;
      mobilization_end: Date;
      implementation_start: Date;
      implementation_end: Date;
      summary_report_due: Date;
    }[]
  >(em, 'select * from campaigns where id = ?', [campaignId]);
  if (!c) throw new CampaignError(404, 'not-found', 'campaign not found');
  const unitFilter = onlyUnitId ? ' and cu.unit_id = ?' : '';
  const params = onlyUnitId ? [campaignId, onlyUnitId] : [campaignId];
  const units = await sql<UnitRow[]>(
    em,
    `select cu.*, u.name_zh, u.name_en, u.kind from campaign_units cu join units u on u.id = cu.unit_id
      where cu.campaign_id = ?${unitFilter} order by u.kind desc, cu.unit_id`,
    params,
  );
  const clocks = await sql<ClockRow[]>(
    em,
    `select clock_id, task, unit_id, due_at, status, level, completed_at, late from clocks where owner_type = 'campaign' and owner_id = ?`,
    [campaignId],
  );
  const escalations = await sql<
    { clock_id: string; unit_id: string; task: string; level: number; escalated_at: Date; status: string }[]
  >(
    em,
    `select clock_id, unit_id, task, level, escalated_at, status from escalations where owner_type = 'campaign' and owner_id = ? order by escalated_at, level`,
    [campaignId],
  );
  const deliverables = await sql<
    {
      unit_id: string;
      kind: string;
      seq: number;
      content: { type?: string; title?: string; typicalCases?: unknown[] } | null;
      filed_at: Date;
      late: boolean;
    }[]
  >(
    em,
    `select unit_id, kind, seq, content, filed_at, late from campaign_deliverables where campaign_id = ? order by unit_id, kind, seq`,
    [campaignId],
  );
  const accountability = await sql<{ unit_id: string; task: string; level: number; recorded_at: Date }[]>(
    em,
    `select unit_id, task, level, recorded_at from accountability_records where owner_type = 'campaign' and owner_id = ? order by recorded_at`,
    [campaignId],
  );
  const now = Date.now();
  const minInformation = Number(c.min_information);

  const progressOf = (
    u: UnitRow,
    kind: DeliverableKind,
    dueAt: Date | null,
    filedAt: Date | null,
    filedLate: boolean,
    isFiled: boolean,
  ): DeliverableProgress => {
    const clock = clocks.find((k) => k.clock_id === `${u.unit_id}:${kind}:p${u.participation}`);
    const esc = escalations
      .filter((e) => e.unit_id === u.unit_id && e.task === kind)
      .map((e) => ({ level: e.level, escalatedAt: iso(e.escalated_at)!, status: e.status }));
    const open = clock !== undefined && (clock.status === 'open' || clock.status === 'paused');
    const overdue = !isFiled && open && (clock.level > 0 || now > new Date(clock.due_at).getTime());
    const late = isFiled && (filedLate || (clock?.late ?? false));
    const status: DeliverableStatus = isFiled
      ? late
        ? 'filed_late'
        : 'filed'
      : clock?.status === 'cancelled'
        ? 'cancelled'
        : overdue
          ? 'overdue'
          : 'pending';
    return {
      status,
      dueAt: iso(clock?.due_at ?? dueAt),
      filedAt: iso(filedAt),
      late,
      overdue,
      overdueLevel: clock?.level ?? 0,
      escalations: esc,
    };
  };

  const out: UnitProgress[] = units.map((u) => {
    const mine = deliverables.filter((d) => d.unit_id === u.unit_id);
    const plan = mine.find((d) => d.kind === 'implementation_plan');
    const info = mine.filter((d) => d.kind === 'work_information');
    const report = mine.find((d) => d.kind === 'summary_report');
    const infoComplete = info.length >= minInformation;
    const infoDone = infoComplete ? info[minInformation - 1]! : undefined;
    const implementationPlan = progressOf(
      u,
      'implementation_plan',
      u.implementation_plan_due_at,
      plan?.filed_at ?? null,
      plan?.late ?? false,
      !!plan,
    );
    const workInformation = progressOf(
      u,
      'work_information',
      u.work_information_due_at,
      infoDone?.filed_at ?? null,
      infoDone?.late ?? false,
      infoComplete,
    );
    const summaryReport = progressOf(
      u,
      'summary_report',
      u.summary_report_due_at,
      report?.filed_at ?? null,
      report?.late ?? false,
      !!report,
    );
    const all = [implementationPlan, workInformation, summaryReport];
    return {
      unitId: u.unit_id,
      unitName: { zh: u.name_zh, en: u.name_en },
      unitKind: u.kind,
      status: u.status,
      participation: u.participation,
      joinedAt: iso(u.joined_at)!,
      leftAt: iso(u.left_at),
      leftReason: u.leave_reason,
      overdue: all.some((d) => d.overdue),
      overdueLevel: Math.max(0, ...all.filter((d) => d.overdue).map((d) => d.overdueLevel)),
      nextDueAt: iso(u.next_due_at),
      accountability: accountability
        .filter((a) => a.unit_id === u.unit_id)
        .map((a) => ({ task: a.task, level: a.level, recordedAt: iso(a.recorded_at)! })),
      deliverables: {
        implementationPlan,
        workInformation: {
          ...workInformation,
          required: minInformation,
          filedCount: info.length,
          items: info.map((d) => ({
            seq: d.seq,
            type: String(d.content?.type),
            title: String(d.content?.title),
            filedAt: iso(d.filed_at)!,
            late: d.late,
          })),
        },
        summaryReport: {
          ...summaryReport,
          typicalCases: Array.isArray(report?.content?.typicalCases) ? report.content.typicalCases.length : 0,
        },
      },
    };
  });
  const taking = out.filter((u) => u.status !== 'withdrawn');
  const byLevel = (l: number) => taking.filter((u) => u.overdue && u.overdueLevel === l).length;
  return {
    campaignId: c.id,
    name: c.name,
    year: c.year,
    phase: c.phase,
    status: c.status,
    asOf: new Date(now).toISOString(),
    phases: {
      mobilization: { start: iso(c.mobilization_start)!, end: iso(c.mobilization_end)! },
      implementation: { start: iso(c.implementation_start)!, end: iso(c.implementation_end)! },
      summaryReportDue: iso(c.summary_report_due)!,
    },
    requirements: { minInformation, maxTypicalCases: Number(c.max_typical_cases) },
    totals: {
      units: taking.length,
      implementationPlansFiled: taking.filter((u) => u.deliverables.implementationPlan.filedAt !== null)
        .length,
      informationComplete: taking.filter((u) => u.deliverables.workInformation.filedCount >= minInformation)
        .length,
      summaryReportsFiled: taking.filter((u) => u.deliverables.summaryReport.filedAt !== null).length,
      overdueUnits: taking.filter((u) => u.overdue).length,
      byLevel: { level1: byLevel(1), level2: byLevel(2), level3: byLevel(3) },
      accountabilityRecords: out.reduce((n, u) => n + u.accountability.length, 0),
    },
    units: out,
  };
}
