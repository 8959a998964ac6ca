/**
 * Campaign routes (notice V, VI.4): start a campaign, read it and its per-unit progress, file a unit's
 * deliverables (implementation plan, work information, summary report), units joining and leaving, and
 * cancellation. Unit officers act and read only for their own unit; coordinators and leaders read all.
 */
import type { Request } from 'express';
import type { EntityManager } from '@mikro-orm/postgresql';
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import type { Principal } from '../../src/auth/tokens';
import { policySchema } from '../../src/config';
import type { AppContext } from '../../src/context';
import { sql } from '../../src/db/sql';
import { WORK_INFORMATION_TYPES } from '../../src/domain/enums';
import type { DeadlinePolicy } from '../../src/policy';
import {
  addUnits,
  cancelCampaign,
  CampaignError,
  campaignProgress,
  fileDeliverable,
  loadCampaign,
  MAX_TYPICAL_CASES,
  removeUnit,
  startCampaign,
  type CampaignRequest,
  type DeliverableRequest,
} from '../../src/services/campaigns';
import { CAMPAIGN_PHASES, type DeliverableKind } from '../../workflows/campaign.messages';
import { principal } from '../auth';
import { HttpProblem } from '../problem';
import { defineRoute, parsedQuery, type RouteDef } from '../registry';

extendZodWithOpenApi(z);

const text = (max = 8000) => z.string().trim().min(1).max(max);
const isoDateTime = z.iso.datetime({ offset: true });
const unitId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'unit ids are lowercase letters, digits and dashes');
const isoOut = z.string().openapi({ format: 'date-time' });

// ---- request bodies ----------------------------------------------------------------------------

export const CampaignCreateSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: 'Default: "<year>年非法集资风险专项排查活动"' }),
    year: z.number().int().min(2000).max(2100).optional().openapi({
      description:
        "Year of the notice's default dates (May 18–28, May 29–July 13, report due July 13, UTC+8). Default: this year.",
    }),
    phases: z
      .object({
        mobilization: z.object({ start: isoDateTime, end: isoDateTime }).strict(),
        implementation: z.object({ start: isoDateTime, end: isoDateTime }).strict(),
        summaryReportDue: isoDateTime,
      })
      .strict()
      .optional()
      .openapi({
        description:
          "Explicit phase dates instead of the notice's; the plan is due at mobilization end, work information at implementation end.",
      }),
    unitIds: z.array(unitId).min(1).max(500).optional().openapi({
      description: 'Default: every active town, community and department except the public security organ.',
    }),
    policy: policySchema.optional().openapi({
      description:
        "Per-campaign deadline policy overrides (reminders, escalation ladder, calendar, mode), merged over the deployment's.",
    }),
  })
  .strict()
  .openapi('CampaignCreate');

export const ImplementationPlanSchema = z
  .object({
    riskPoints: z
      .array(text(2000))
      .min(1)
      .max(100)
      .openapi({ description: 'Accurate risk points (notice V.I)' }),
    measures: z.array(text(2000)).min(1).max(100).openapi({ description: 'Effective measures' }),
    responsibilities: z
      .array(z.object({ duty: text(1000), responsible: text(200) }).strict())
      .min(1)
      .max(100)
      .openapi({ description: 'Clear responsibilities: who does what' }),
    notes: text(8000).optional(),
  })
  .strict()
  .openapi('CampaignImplementationPlan');

export const WorkInformationSchema = z
  .object({
    type: z.enum(WORK_INFORMATION_TYPES),
    title: text(200),
    content: text(8000),
  })
  .strict()
  .openapi('CampaignWorkInformation');

export const SummaryReportSchema = z
  .object({
    overallSituation: text(),
    regionalDistribution: text(),
    causes: text(),
    difficultiesAndOutlook: text(),
    nextSteps: text(),
    typicalCases: z
      .array(
        z
          .object({
            clue: text(64).openapi({
              description: 'Id or reference (XS-YYYY-NNNNNN) of a clue your unit leads or co-handles',
            }),
            title: text(200),
            summary: text(4000),
          })
          .strict(),
      )
      .max(MAX_TYPICAL_CASES, `at most ${MAX_TYPICAL_CASES} typical cases are allowed (notice VI.4)`)
      .default([]),
  })
  .strict()
  .openapi('CampaignSummaryReport');

const ReasonSchema = z.object({ reason: text(1000) }).strict();
const AddUnitsSchema = z.object({ unitIds: z.array(unitId).min(1).max(500) }).strict();

// ---- responses -----------------------------------------------------------------------------------

const Escalation = z.object({
  level: z.number().int(),
  escalatedAt: isoOut,
  status: z.enum(['open', 'acknowledged', 'resolved']),
});
const DeliverableProgress = z
  .object({
    status: z.enum(['pending', 'overdue', 'filed', 'filed_late', 'cancelled']).openapi({
      description:
        'pending: not filed, not yet due; overdue: not filed and past due; filed / filed_late: filed (late = after the due time); cancelled: the unit left or the campaign was cancelled',
    }),
    dueAt: isoOut.nullable(),
    filedAt: isoOut
      .nullable()
      .openapi({ description: 'For work information: when the required number was reached' }),
    late: z.boolean(),
    overdue: z.boolean(),
    overdueLevel: z.number().int().openapi({
      description:
        'Escalation level reached by this deliverable (1 unit head + District Office, 2 district leadership, 3 leading group + accountability); stays after a late filing',
    }),
    escalations: z.array(Escalation).openapi({ description: 'Every rung reached, including resolved ones' }),
  })
  .openapi('CampaignDeliverableProgress');

export const UnitProgressSchema = z
  .object({
    unitId: z.string(),
    unitName: z.object({ zh: z.string(), en: z.string() }),
    unitKind: z.string(),
    status: z.enum(['active', 'completed', 'withdrawn', 'closed', 'cancelled']),
    participation: z.number().int().openapi({ description: '1, or more after leaving and rejoining' }),
    joinedAt: isoOut,
    leftAt: isoOut.nullable(),
    leftReason: z.string().nullable(),
    overdue: z.boolean(),
    overdueLevel: z
      .number()
      .int()
      .openapi({ description: 'Highest escalation level among overdue deliverables (0 = none overdue)' }),
    nextDueAt: isoOut.nullable(),
    accountability: z.array(z.object({ task: z.string(), level: z.number().int(), recordedAt: isoOut })),
    deliverables: z.object({
      implementationPlan: DeliverableProgress,
      workInformation: DeliverableProgress.extend({
        required: z.number().int(),
        filedCount: z.number().int(),
        items: z.array(
          z.object({
            seq: z.number().int(),
            type: z.enum(WORK_INFORMATION_TYPES),
            title: z.string(),
            filedAt: isoOut,
            late: z.boolean(),
          }),
        ),
      }),
      summaryReport: DeliverableProgress.extend({ typicalCases: z.number().int() }),
    }),
  })
  .openapi('CampaignUnitProgress');

const Phases = z.object({
  mobilization: z.object({ start: isoOut, end: isoOut }),
  implementation: z.object({ start: isoOut, end: isoOut }),
  summaryReportDue: isoOut,
});

export const CampaignProgressSchema = z
  .object({
    campaignId: z.string(),
    name: z.string(),
    year: z.number().int(),
    phase: z.enum(CAMPAIGN_PHASES),
    status: z.enum(['active', 'closed', 'cancelled']),
    asOf: isoOut,
    phases: Phases,
    requirements: z.object({ minInformation: z.number().int(), maxTypicalCases: z.number().int() }),
    totals: z.object({
      units: z.number().int().openapi({ description: 'Units taking part (withdrawn ones excluded)' }),
      implementationPlansFiled: z.number().int(),
      informationComplete: z.number().int(),
      summaryReportsFiled: z.number().int(),
      overdueUnits: z.number().int(),
      byLevel: z.object({ level1: z.number().int(), level2: z.number().int(), level3: z.number().int() }),
      accountabilityRecords: z.number().int(),
    }),
    units: z.array(UnitProgressSchema),
  })
  .openapi('CampaignProgress', {
    description: 'Per unit: what is filed, what is due when, what is overdue and at which escalation level',
  });

const CampaignUnitSchema = z.object({
  unitId: z.string(),
  unitName: z.object({ zh: z.string(), en: z.string() }),
  status: z.string(),
  participation: z.number().int(),
  joinedAt: isoOut,
  leftAt: isoOut.nullable(),
  leftReason: z.string().nullable(),
  dues: z.object({
    implementationPlan: isoOut.nullable(),
    workInformation: isoOut.nullable(),
    summaryReport: isoOut.nullable(),
  }),
});

export const CampaignSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    year: z.number().int(),
    phase: z.enum(CAMPAIGN_PHASES),
    status: z.enum(['active', 'closed', 'cancelled']),
    phases: Phases,
    requirements: z.object({ minInformation: z.number().int(), maxTypicalCases: z.number().int() }),
    policy: z.record(z.string(), z.unknown()),
    workflowId: z.string(),
    createdBy: z.string(),
    createdAt: isoOut,
    cancelledBy: z.string().nullable(),
    cancelReason: z.string().nullable(),
    endedAt: isoOut.nullable(),
    units: z.array(CampaignUnitSchema),
  })
  .openapi('Campaign');

const CampaignListItem = CampaignSchema.omit({ units: true, policy: true, requirements: true });

const DeliverablesSchema = z.object({
  items: z.array(
    z.object({
      kind: z.enum(['implementation_plan', 'work_information', 'summary_report']),
      seq: z.number().int(),
      participation: z.number().int(),
      content: z.record(z.string(), z.unknown()),
      filedAt: isoOut,
      filedBy: z.string(),
      dueAt: isoOut.nullable(),
      late: z.boolean(),
    }),
  ),
});

// ---- helpers -----------------------------------------------------------------------------------

type Row = Record<string, unknown>;
const iso = (d: unknown): string | null =>
  d instanceof Date || typeof d === 'string' ? new Date(d).toISOString() : null;

function toProblem(err: unknown): unknown {
  if (err instanceof CampaignError) {
    return new HttpProblem(
      err.status,
      err.kind,
      err.message,
      err.status === 422 ? { errors: [{ path: err.path, message: err.message }] } : {},
    );
  }
  if (err instanceof WorkflowNotFoundError) return new HttpProblem(404, 'not-found', 'campaign not found');
  return err;
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toProblem(err);
  }
}

const actorOf = (p: Principal) => ({ userId: p.userId, role: p.role, unitId: p.unitId });

/** A unit officer acts for its own unit only; coordinators for any. */
function requireOwnUnit(p: Principal, unitId: string): void {
  if (p.role === 'unit_officer' && p.unitId !== unitId) {
    throw new HttpProblem(403, 'forbidden', 'you may only file for your own unit');
  }
}

async function campaignDetail(em: EntityManager, id: string) {
  const [c] = await sql<Row[]>(em, 'select * from campaigns where id = ?', [id]);
  if (!c) throw new HttpProblem(404, 'not-found', 'campaign not found');
  const units = await sql<Row[]>(
    em,
    `select cu.*, u.name_zh, u.name_en from campaign_units cu join units u on u.id = cu.unit_id where cu.campaign_id = ? order by u.kind desc, cu.unit_id`,
    [id],
  );
  return {
    ...listItem(c),
    requirements: { minInformation: Number(c.min_information), maxTypicalCases: Number(c.max_typical_cases) },
    policy: c.policy as Record<string, unknown>,
    units: units.map((u) => ({
      unitId: String(u.unit_id),
      unitName: { zh: String(u.name_zh), en: String(u.name_en) },
      status: String(u.status),
      participation: Number(u.participation),
      joinedAt: iso(u.joined_at)!,
      leftAt: iso(u.left_at),
      leftReason: (u.leave_reason as string | null) ?? null,
      dues: {
        implementationPlan: iso(u.implementation_plan_due_at),
        workInformation: iso(u.work_information_due_at),
        summaryReport: iso(u.summary_report_due_at),
      },
    })),
  };
}

function listItem(c: Row) {
  return {
    id: String(c.id),
    name: String(c.name),
    year: Number(c.year),
    phase: c.phase as (typeof CAMPAIGN_PHASES)[number],
    status: c.status as 'active' | 'closed' | 'cancelled',
    phases: {
      mobilization: { start: iso(c.mobilization_start)!, end: iso(c.mobilization_end)! },
      implementation: { start: iso(c.implementation_start)!, end: iso(c.implementation_end)! },
      summaryReportDue: iso(c.summary_report_due)!,
    },
    workflowId: String(c.workflow_id),
    createdBy: String(c.created_by),
    createdAt: iso(c.created_at)!,
    cancelledBy: (c.cancelled_by as string | null) ?? null,
    cancelReason: (c.cancel_reason as string | null) ?? null,
    endedAt: iso(c.ended_at),
  };
}

/** Unit officers see a campaign only if their unit takes (or took) part in it; 404 otherwise. */
async function requireVisible(em: EntityManager, p: Principal, campaignId: string): Promise<void> {
  await loadCampaign(em, campaignId);
  if (p.role !== 'unit_officer') return;
  const [row] = await sql(em, 'select 1 from campaign_units where campaign_id = ? and unit_id = ?', [
    campaignId,
    p.unitId,
  ]);
  if (!row) throw new CampaignError(404, 'not-found', 'campaign not found');
}

const FILINGS: { path: string; kind: DeliverableKind; body: z.ZodType; summary: string }[] = [
  {
    path: 'implementation-plan',
    kind: 'implementation_plan',
    body: ImplementationPlanSchema,
    summary:
      'File the unit’s implementation plan for the record: risk points, measures, responsibilities (notice V.I)',
  },
  {
    path: 'information',
    kind: 'work_information',
    body: WorkInformationSchema,
    summary: 'File a piece of work information (at least 3 during the campaign, notice VI.4)',
  },
  {
    path: 'summary-report',
    kind: 'summary_report',
    body: SummaryReportSchema,
    summary:
      'File the unit’s summary report with at most 3 typical cases, each a clue of the unit (notice VI.4)',
  },
];

// ---- routes ------------------------------------------------------------------------------------

export function campaignRoutes(ctx: AppContext): RouteDef[] {
  const em = () => ctx.orm.em.fork() as EntityManager;
  const id = (req: Request) => String(req.params.id);
  const defs: RouteDef[] = [];

  defs.push(
    defineRoute({
      method: 'post',
      path: '/campaigns',
      summary:
        'Start a campaign from the notice’s template or explicit phase dates (Idempotency-Key honoured)',
      tag: 'campaigns',
      roles: ['coordinator'],
      ownership: 'none',
      body: CampaignCreateSchema,
      response: CampaignSchema,
      responseStatus: 201,
      handler: async (req, res) =>
        guard(async () => {
          const p = principal(req);
          const raw = req.header('idempotency-key');
          const body = req.body as z.infer<typeof CampaignCreateSchema>;
          const r = await startCampaign(
            ctx,
            { ...body, policy: body.policy as Partial<DeadlinePolicy> | undefined } as CampaignRequest,
            {
              createdBy: p.userId,
              idempotencyKey: raw ? `${p.userId}:${raw.slice(0, 150)}` : undefined,
            },
          );
          res.locals.status = r.created ? 201 : 200;
          res.status(r.created ? 201 : 200);
          if (!r.created) res.setHeader('Idempotent-Replayed', 'true');
          res.location(`/api/v1/campaigns/${r.id}`);
          return campaignDetail(em(), r.id);
        }),
    }),
  );

  defs.push(
    defineRoute({
      method: 'get',
      path: '/campaigns',
      summary: 'List campaigns, newest first (unit officers: those their unit takes part in)',
      tag: 'campaigns',
      roles: ['coordinator', 'leader', 'unit_officer'],
      ownership: 'none',
      query: z
        .object({
          status: z.enum(['active', 'closed', 'cancelled']).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        })
        .strict(),
      response: z.object({ items: z.array(CampaignListItem) }),
      handler: async (req) => {
        const p = principal(req);
        const q = parsedQuery<{ status?: string; limit: number }>(req);
        const where: string[] = ['true'];
        const params: unknown[] = [];
        if (q.status) {
          where.push('c.status = ?');
          params.push(q.status);
        }
        if (p.role === 'unit_officer') {
          where.push(
            'exists (select 1 from campaign_units cu where cu.campaign_id = c.id and cu.unit_id = ?)',
          );
          params.push(p.unitId);
        }
        const rows = await sql<Row[]>(
          em(),
          `select c.* from campaigns c where ${where.join(' and ')} order by c.created_at desc, c.id limit ?`,
          [...params, q.limit],
        );
        return { items: rows.map(listItem) };
      },
    }),
  );

  defs.push(
    defineRoute({
      method: 'get',
      path: '/campaigns/:id',
      summary: 'One campaign: phase, dates, policy and every unit’s participation and due times',
      tag: 'campaigns',
      roles: ['coordinator', 'leader', 'unit_officer'],
      ownership: 'campaign',
      response: CampaignSchema,
      handler: async (req) =>
        guard(async () => {
          await requireVisible(em(), principal(req), id(req));
          return campaignDetail(em(), id(req));
        }),
    }),
  );

  defs.push(
    defineRoute({
      method: 'get',
      path: '/campaigns/:id/progress',
      summary:
        'Per unit: what is filed, what is due when, what is overdue and at which level (unit officers: their unit only)',
      tag: 'campaigns',
      roles: ['coordinator', 'leader', 'unit_officer'],
      ownership: 'campaign',
      response: CampaignProgressSchema,
      handler: async (req) =>
        guard(async () => {
          const p = principal(req);
          await requireVisible(em(), p, id(req));
          return campaignProgress(em(), id(req), p.role === 'unit_officer' ? (p.unitId ?? '') : undefined);
        }),
    }),
  );

  defs.push(
    defineRoute({
      method: 'get',
      path: '/campaigns/:id/timeline',
      summary:
        'The campaign’s timeline: phase changes, units joining and leaving, filings, reminders, escalations',
      tag: 'campaigns',
      roles: ['coordinator', 'leader'],
      ownership: 'campaign',
      query: z.object({ unitId: unitId.optional() }).strict(),
      handler: async (req) =>
        guard(async () => {
          await loadCampaign(em(), id(req));
          const q = parsedQuery<{ unitId?: string }>(req);
          const rows = await sql<Row[]>(
            em(),
            `select kind, actor_id, actor_role, data, at from timeline_events where owner_type = 'campaign' and owner_id = ?
               ${q.unitId ? "and data->>'unitId' = ?" : ''} order by at, id`,
            q.unitId ? [id(req), q.unitId] : [id(req)],
          );
          return {
            items: rows.map((r) => ({
              kind: r.kind,
              actorId: r.actor_id,
              actorRole: r.actor_role,
              data: r.data,
              at: iso(r.at),
            })),
          };
        }),
    }),
  );

  defs.push(
    defineRoute({
      method: 'get',
      path: '/campaigns/:id/units/:unitId/deliverables',
      summary: 'What a unit filed, in full (its own unit for unit officers)',
      tag: 'campaigns',
      roles: ['coordinator', 'leader', 'unit_officer'],
      ownership: 'campaign',
      response: DeliverablesSchema,
      handler: async (req) =>
        guard(async () => {
          const p = principal(req);
          const u = String(req.params.unitId);
          await requireVisible(em(), p, id(req));
          if (p.role === 'unit_officer' && p.unitId !== u)
            throw new HttpProblem(403, 'forbidden', 'you may only read your own unit’s deliverables');
          const rows = await sql<Row[]>(
            em(),
            `select kind, seq, participation, content, filed_at, filed_by, due_at, late from campaign_deliverables
              where campaign_id = ? and unit_id = ? order by kind, seq`,
            [id(req), u],
          );
          return {
            items: rows.map((r) => ({
              kind: r.kind,
              seq: r.seq,
              participation: r.participation,
              content: r.content,
              filedAt: iso(r.filed_at),
              filedBy: r.filed_by,
              dueAt: iso(r.due_at),
              late: r.late,
            })),
          };
        }),
    }),
  );

  for (const f of FILINGS) {
    defs.push(
      defineRoute({
        method: 'post',
        path: `/campaigns/:id/units/:unitId/${f.path}`,
        summary: f.summary,
        tag: 'campaigns',
        roles: ['unit_officer', 'coordinator'],
        ownership: 'campaign',
        body: f.body,
        response: UnitProgressSchema,
        handler: async (req) =>
          guard(async () => {
            const p = principal(req);
            const u = String(req.params.unitId);
            requireOwnUnit(p, u);
            await fileDeliverable(
              ctx,
              id(req),
              u,
              { kind: f.kind, body: req.body } as DeliverableRequest,
              actorOf(p),
            );
            const progress = await campaignProgress(em(), id(req), u);
            return progress.units[0];
          }),
      }),
    );
  }

  defs.push(
    defineRoute({
      method: 'post',
      path: '/campaigns/:id/units',
      summary: 'Add units to a running campaign (or let a unit that left rejoin); each gets clocks from now',
      tag: 'campaigns',
      roles: ['coordinator'],
      ownership: 'campaign',
      body: AddUnitsSchema,
      response: CampaignSchema,
      handler: async (req) =>
        guard(async () => {
          const p = principal(req);
          await addUnits(ctx, id(req), (req.body as z.infer<typeof AddUnitsSchema>).unitIds, actorOf(p));
          return campaignDetail(em(), id(req));
        }),
    }),
  );

  defs.push(
    defineRoute({
      method: 'delete',
      path: '/campaigns/:id/units/:unitId',
      summary:
        'A unit leaves a running campaign: its open clocks are cancelled with the reason (?reason=… required)',
      tag: 'campaigns',
      roles: ['coordinator'],
      ownership: 'campaign',
      query: ReasonSchema,
      response: CampaignSchema,
      handler: async (req) =>
        guard(async () => {
          const p = principal(req);
          const q = parsedQuery<{ reason: string }>(req);
          await removeUnit(ctx, id(req), String(req.params.unitId), q.reason, actorOf(p));
          return campaignDetail(em(), id(req));
        }),
    }),
  );

  defs.push(
    defineRoute({
      method: 'post',
      path: '/campaigns/:id/cancellation',
      summary: 'Cancel a campaign: every open clock is closed with the reason and every unit told',
      tag: 'campaigns',
      roles: ['coordinator'],
      ownership: 'campaign',
      body: ReasonSchema,
      response: CampaignSchema,
      handler: async (req) =>
        guard(async () => {
          const p = principal(req);
          await cancelCampaign(ctx, id(req), (req.body as { reason: string }).reason, actorOf(p));
          return campaignDetail(em(), id(req));
        }),
    }),
  );

  return defs;
}
