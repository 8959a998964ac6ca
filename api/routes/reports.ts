/**
 * Official documents of a campaign (notice VI.4): the district summary report and each unit's report,
 * as .docx (GB/T 9704-2012 layout), HTML or JSON (the figures, and the document model the other two
 * render).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { auditActor, recordAudit } from '../../src/audit';
import type { AppContext } from '../../src/context';
import { assembleDistrictSummary, ReportNotFound } from '../../src/reports/district-summary';
import { DOCX_TYPE, toDocx, toHtml, type OfficialDocument } from '../../src/reports/official-document';
import { assembleUnitReport } from '../../src/reports/unit-report';
import { principal } from '../auth';
import { notFound } from '../problem';
import { defineRoute, parsedQuery, type RouteDef } from '../registry';

const DocumentQuery = z
  .object({
    format: z.enum(['docx', 'html', 'json']).default('docx'),
    lang: z.enum(['zh-CN', 'en']).optional(),
  })
  .strict();
type DocumentQuery = z.infer<typeof DocumentQuery>;

// ---- response schemas (format=json) ---------------------------------------------------------------

const isoOut = z.string().openapi({ format: 'date-time' });
const Named = z.object({ unitId: z.string(), unitName: z.string() });
const BlockSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('heading'),
      level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      text: z.string().openapi({ description: 'With its number: 一、 （一） 1. (I. A. 1. in English)' }),
      body: z.string().optional().openapi({ description: 'Text run on in the same paragraph' }),
    }),
    z.object({ kind: z.literal('paragraph'), text: z.string() }),
    z.object({
      kind: z.literal('table'),
      columns: z.array(z.object({ title: z.string(), numeric: z.boolean().optional() })),
      rows: z.array(z.array(z.string())),
    }),
  ])
  .openapi('DocumentBlock');
export const OfficialDocumentSchema = z
  .object({
    locale: z.enum(['zh-CN', 'en']),
    title: z.string(),
    blocks: z.array(BlockSchema),
    annexNote: z.string().optional(),
    issuer: z.string().openapi({ description: 'Issuing office (发文机关署名)' }),
    date: z
      .string()
      .openapi({ description: 'Date of the document, written out: 2026年12月2日 / 2 December 2026' }),
    annexes: z.array(z.object({ label: z.string(), title: z.string(), blocks: z.array(BlockSchema) })),
  })
  .openapi('OfficialDocument', {
    description: 'The document model the .docx (GB/T 9704-2012 layout) and the HTML are rendered from',
  });
const CampaignInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  year: z.number().int(),
  phase: z.string(),
  status: z.string(),
  minInformation: z.number().int(),
  maxTypicalCases: z.number().int(),
  from: isoOut.openapi({ description: "Start of the span: the campaign's mobilization start" }),
  to: isoOut.openapi({
    description: "End of the span: the summary report's due time, or the campaign's end if earlier",
  }),
  summaryReportDue: isoOut,
});
const Bucket = z.object({
  key: z.string(),
  label: z.string(),
  count: z.number().int(),
  keyClues: z.number().int(),
  amountCny: z.number(),
  participants: z.number(),
});
const OnTime = z
  .object({
    counted: z.number().int().openapi({ description: 'done + openOverdue' }),
    done: z.number().int(),
    onTime: z.number().int(),
    lateDone: z.number().int(),
    openOverdue: z
      .number()
      .int()
      .openapi({ description: 'Open or paused past the due time (or escalated): late' }),
    openNotDue: z.number().int().openapi({ description: 'Still within the time limit: not counted' }),
    cancelled: z.number().int(),
    rate: z
      .number()
      .nullable()
      .openapi({ description: 'onTime / counted; null when nothing has fallen due' }),
    escalated: z.number().int(),
    escalatedHigh: z.number().int(),
  })
  .openapi('OnTimeFigures');
const FiguresSchema = z
  .object({
    asOf: isoOut,
    totals: z.record(z.string(), z.number()),
    byKeyArea: z.array(Bucket),
    byBehaviour: z.array(Bucket),
    byGrade: z.array(Bucket),
    byUnit: z.array(Bucket),
    disposal: z.object({
      approvedPlans: z.number().int(),
      pendingPlans: z.number().int(),
      withoutPlan: z.number().int(),
      rows: z.array(
        z.object({
          strategy: z.string(),
          label: z.string(),
          clues: z.number().int(),
          amountCny: z.number(),
          participants: z.number(),
        }),
      ),
    }),
    referrals: z.object({
      referred: z.number().int(),
      accepted: z.number().int(),
      returned: z.number().int(),
      awaiting: z.number().int(),
    }),
    onTime: OnTime,
    onTimeByUnit: z.array(OnTime.extend(Named.shape)),
    overdueUnits: z.array(Named.extend({ openOverdue: z.number().int() })),
    accountability: z.array(Named.extend({ records: z.number().int() })),
    freeUnits: z.array(Named),
  })
  .openapi('CampaignFigures', {
    description:
      "The campaign's span: disposal types from approved plans only; on-time rate over every clock, open overdue ones late",
  });
const State = z.enum(['on_time', 'late', 'missing', 'pending', 'cancelled']);
const UnitDeliverablesSchema = Named.extend({
  participation: z.string(),
  implementationPlan: State,
  workInformation: z.object({ state: State, filed: z.number().int(), required: z.number().int() }),
  summaryReport: State,
});
const NamedFiled = Named.extend({ filed: z.number().int().optional() });
const Tally = z.object({
  onTime: z.array(Named),
  late: z.array(Named),
  missing: z.array(NamedFiled),
  pending: z.array(NamedFiled),
});
export const DistrictSummarySchema = z
  .object({
    kind: z.literal('district-summary'),
    locale: z.enum(['zh-CN', 'en']),
    asOf: isoOut,
    campaign: CampaignInfoSchema,
    issuer: z.string(),
    date: z.string(),
    figures: FiguresSchema,
    regions: z.array(
      Named.extend({
        clues: z.number().int(),
        keyClues: z.number().int(),
        amountCny: z.number(),
        participants: z.number(),
        openKeyClues: z.number().int(),
        onTimeRate: z.number().nullable(),
      }),
    ),
    deliverables: z.object({
      required: z.number().int(),
      totalInformation: z.number().int(),
      units: z.array(UnitDeliverablesSchema),
      implementationPlan: Tally,
      workInformation: Tally,
      summaryReport: Tally,
      withdrawn: z.array(Named),
    }),
    typicalCases: z.array(
      z.object({
        n: z.number().int(),
        clueId: z.string(),
        ref: z.string(),
        subject: z.string(),
        title: z.string(),
        summary: z.string(),
        unitName: z.string(),
        amountCny: z.number(),
        participants: z.number(),
        grade: z.string(),
        gradeLabel: z.string(),
        stage: z.string(),
        stageLabel: z.string(),
        riskScore: z.number(),
      }),
    ),
    unitReports: z.array(
      Named.extend({
        filedAt: isoOut,
        late: z.boolean(),
        overallSituation: z.string(),
        regionalDistribution: z.string(),
        causes: z.string(),
        difficultiesAndOutlook: z.string(),
        nextSteps: z.string(),
        typicalCases: z.array(
          z.object({
            clueId: z.string(),
            clueRef: z.string().optional(),
            title: z.string().optional(),
            summary: z.string().optional(),
          }),
        ),
      }),
    ),
    document: OfficialDocumentSchema,
  })
  .openapi('DistrictSummary');
export const UnitReportSchema = z
  .object({
    kind: z.literal('unit-report'),
    locale: z.enum(['zh-CN', 'en']),
    asOf: isoOut,
    campaign: CampaignInfoSchema,
    unit: Named.extend({ participates: z.boolean() }),
    issuer: z.string(),
    date: z.string(),
    figures: FiguresSchema,
    leadClues: z.number().int(),
    coClues: z.number().int(),
    clues: z.array(
      z.object({
        clueId: z.string(),
        ref: z.string(),
        subject: z.string(),
        role: z.enum(['lead', 'co']),
        grade: z.string(),
        gradeLabel: z.string(),
        stage: z.string(),
        stageLabel: z.string(),
        disposal: z.array(z.string()).openapi({ description: "Disposal types of the clue's approved plan" }),
      }),
    ),
    deliverables: UnitDeliverablesSchema.nullable(),
    overdue: z.object({
      open: z.number().int(),
      high: z.number().int(),
      items: z.array(
        z.object({
          ownerType: z.string(),
          ref: z.string(),
          task: z.string(),
          taskLabel: z.string(),
          level: z.number().int(),
          dueAt: isoOut,
        }),
      ),
    }),
    accountabilityRecords: z.number().int(),
    document: OfficialDocumentSchema,
  })
  .openapi('UnitReport');

/**
 * RFC 6266 / RFC 8187: an ASCII fallback name, and the readable one (Chinese title and campaign name)
 * percent-encoded as UTF-8 for every current browser.
 */
export function contentDisposition(readable: string, fallback: string): string {
  const safe = readable.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_');
  const enc = encodeURIComponent(safe).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback.replace(/[^A-Za-z0-9._-]/g, '_')}"; filename*=UTF-8''${enc}`;
}

async function send(
  res: Response,
  q: DocumentQuery,
  report: { document: OfficialDocument },
  fallbackName: string,
): Promise<unknown> {
  if (q.format === 'json') return report;
  res.setHeader('Cache-Control', 'no-store');
  if (q.format === 'html') {
    res.type('html').send(toHtml(report.document));
    return undefined;
  }
  res.setHeader('Content-Type', DOCX_TYPE);
  res.setHeader('Content-Disposition', contentDisposition(`${report.document.title}.docx`, fallbackName));
  res.send(await toDocx(report.document));
  return undefined;
}

async function orNotFound<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ReportNotFound) throw notFound(err.message === 'unit' ? 'unit' : what);
    throw err;
  }
}

export function reportRoutes(ctx: AppContext): RouteDef[] {
  const em = () => ctx.orm.em.fork() as EntityManager;
  /** A document downloaded (not its JSON figures) is an export: audited as `ledger.export`. */
  const auditDownload = async (
    req: Request,
    q: DocumentQuery,
    list: string,
    details: Record<string, unknown>,
  ) => {
    if (q.format === 'json') return;
    await recordAudit(em(), {
      ...auditActor(principal(req)),
      action: 'ledger.export',
      target: `campaign:${String(req.params.id)}`,
      requestId: req.requestId,
      details: { list, format: q.format, lang: q.lang ?? 'zh-CN', ...details },
    });
  };
  return [
    defineRoute({
      method: 'get',
      path: '/campaigns/:id/district-summary',
      summary:
        'District summary report of a campaign (notice VI.4) as an official document (GB/T 9704-2012): ?format=docx (default) | html | json, ?lang=zh-CN (default) | en',
      tag: 'reports',
      roles: ['coordinator', 'leader'],
      ownership: 'campaign',
      query: DocumentQuery,
      response: DistrictSummarySchema,
      handler: async (req, res) => {
        const q = parsedQuery<DocumentQuery>(req);
        const id = String(req.params.id);
        const s = await orNotFound('campaign', () => assembleDistrictSummary(em(), id, q.lang ?? 'zh-CN'));
        await auditDownload(req, q, 'district-summary', {});
        return send(res, q, s, `district-summary-${s.campaign.id}.docx`);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/campaigns/:id/units/:unitId/report',
      summary:
        "One unit's report in a campaign (its clues, deliverables and on-time rate) in the same official-document layout: ?format=docx (default) | html | json, ?lang=zh-CN (default) | en",
      tag: 'reports',
      roles: ['coordinator', 'leader', 'unit_officer'],
      ownership: 'campaign',
      query: DocumentQuery,
      response: UnitReportSchema,
      handler: async (req, res) => {
        const q = parsedQuery<DocumentQuery>(req);
        const id = String(req.params.id);
        const unitId = String(req.params.unitId);
        const s = await orNotFound('campaign', () => assembleUnitReport(em(), id, unitId, q.lang ?? 'zh-CN'));
        await auditDownload(req, q, 'unit-report', { unitId });
        return send(res, q, s, `unit-report-${s.campaign.id}-${s.unit.unitId}.docx`);
      },
    }),
  ];
}
