/**
 * The risk ledger (notice IV.3): total risk list, key risk clue account, exports, statistics, and the
 * bulk import of clues. Visibility is the same as for clue lists: a unit officer's list or export
 * holds only clues its unit leads or co-handles.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request, Response } from 'express';
import { auditActor, recordAudit } from '../../src/audit';
import { z } from 'zod';
import type { AppContext } from '../../src/context';
import type { Locale } from '../../src/domain/enums';
import { toCsv, toXlsx, XLSX_TYPE, type ExportMeta } from '../../src/ledger/export';
import { IMPORT_MAX_ROWS, ImportFileError, importClues } from '../../src/ledger/import';
import {
  EXPORT_MAX_ROWS,
  FILTER_NAMES,
  LedgerQuery,
  ledgerRows,
  ledgerTotals,
  unitNames,
  type LedgerFilters,
  type LedgerKind,
  type LedgerQueryInput,
} from '../../src/ledger/query';
import { lt } from '../../src/ledger/messages';
import { statistics } from '../../src/ledger/statistics';
import { principal } from '../auth';
import { chinaDay, sendAttachment } from '../download';
import { requestLocale } from '../locale';
import { visibilitySql } from '../access';
import { HttpProblem } from '../problem';
import { defineRoute, parsedQuery, type RouteDef } from '../registry';
import { ClueIntakeSchema, StatisticsSchema } from '../schemas';

const LedgerRowSchema = z
  .object({
    id: z.string(),
    ref: z.string(),
    registeredAt: z.string(),
    sourceChannel: z.string(),
    description: z.string(),
    subjectName: z.string(),
    subjectKind: z.string(),
    creditCode: z.string().nullable(),
    registrationPlace: z.string().nullable(),
    operatingPlace: z.string().nullable(),
    frequentChanges: z.boolean(),
    keyArea: z.string(),
    keyBehaviours: z.array(z.string()),
    online: z.boolean(),
    amountCny: z.number(),
    participants: z.number(),
    publicOpinion: z.string(),
    stabilityRisk: z.string(),
    riskScore: z.number(),
    grade: z.string(),
    keyFlag: z.boolean(),
    keyClue: z.boolean(),
    leadUnitId: z.string(),
    coHandlingUnitIds: z.array(z.string()),
    stage: z.string(),
    nature: z.string().nullable(),
    overdueLevel: z.number(),
    nextDueAt: z.string().nullable(),
    duplicateOfId: z.string().nullable(),
    duplicateOfRef: z.string().nullable(),
  })
  .openapi('LedgerRow');

const LedgerTotalsSchema = z
  .object({
    count: z.number(),
    amountCny: z.number(),
    participants: z.number(),
    keyClues: z.number(),
    open: z.number(),
    overdue: z.number(),
    byGrade: z.record(z.string(), z.number()),
  })
  .openapi('LedgerTotals');

const LedgerPageSchema = z
  .object({
    items: z.array(LedgerRowSchema),
    totals: LedgerTotalsSchema,
    filters: z.record(z.string(), z.string()),
    limit: z.number(),
    offset: z.number(),
  })
  .openapi('LedgerPage');

const ImportBody = z
  .object({
    filename: z.string().trim().min(1).max(200),
    contentBase64: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9+/\r\n]+={0,2}\s*$/, 'must be base64'),
  })
  .strict()
  .openapi('ClueImport', {
    description: `A CSV (UTF-8 or GB18030) or XLSX file, base64-encoded. One header row (field names such as sourceChannel, subjectName, or the ledger export's Chinese/English column headers), one clue per row, at most ${IMPORT_MAX_ROWS} rows. An optional businessKey (业务编号) column makes each row's import key; otherwise the key is sha256(file) + row number, so re-importing a file registers nothing twice. The whole request is bounded by BODY_LIMIT.`,
  });

const ImportReportSchema = z
  .object({
    file: z.object({
      name: z.string(),
      format: z.enum(['csv', 'xlsx']),
      sha256: z.string(),
      headerRow: z.number(),
      rows: z.number(),
    }),
    summary: z.object({
      registered: z.number(),
      already_imported: z.number(),
      duplicate_in_file: z.number(),
      invalid: z.number(),
      linkedToOpenClue: z.number(),
    }),
    rows: z.array(
      z.object({
        row: z.number(),
        line: z.number(),
        status: z.enum(['registered', 'already_imported', 'duplicate_in_file', 'invalid']),
        clueId: z.string().optional(),
        ref: z.string().optional(),
        grade: z.string().optional(),
        keyClue: z.boolean().optional(),
        duplicateOfId: z.string().nullable().optional(),
        duplicateOfRef: z.string().nullable().optional(),
        sameAsRow: z.number().optional(),
        errors: z
          .array(z.object({ field: z.string(), column: z.string().nullable(), message: z.string() }))
          .optional(),
      }),
    ),
  })
  .openapi('ClueImportReport');

const StatisticsQuery = z
  .object({
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    lang: z.enum(['zh-CN', 'en']).optional(),
  })
  .strict();

const FILE_KEYS = { risks: 'ledger.file.risks', keyClues: 'ledger.file.keyClues' } as const;

export function ledgerRoutes(ctx: AppContext): RouteDef[] {
  const em = () => ctx.orm.em.fork() as EntityManager;

  const ledgerHandler = (kind: LedgerKind) => async (req: Request, res: Response) => {
    const p = principal(req);
    const q = parsedQuery<LedgerQueryInput>(req);
    const filters: LedgerFilters = Object.fromEntries(
      FILTER_NAMES.filter((k) => q[k] !== undefined).map((k) => [k, q[k]]),
    ) as LedgerFilters;
    if (filters.from && filters.to && filters.from > filters.to) {
      throw new HttpProblem(422, 'validation-error', '"from" is after "to"', {
        errors: [{ path: ['from'], message: 'after "to"' }],
      });
    }
    const vis = visibilitySql(p);
    const e = em();
    const totals = await ledgerTotals(e, kind, filters, vis);
    if (q.format === 'json') {
      const items = await ledgerRows(e, kind, filters, vis, { limit: q.limit, offset: q.offset });
      return { items, totals, filters: filters as Record<string, string>, limit: q.limit, offset: q.offset };
    }
    if (totals.count > EXPORT_MAX_ROWS) {
      throw new HttpProblem(
        422,
        'validation-error',
        `the export would hold ${totals.count} rows (at most ${EXPORT_MAX_ROWS}): narrow the filters`,
      );
    }
    const rows = await ledgerRows(e, kind, filters, vis, { limit: EXPORT_MAX_ROWS, offset: 0 });
    const locale: Locale = q.lang ?? 'zh-CN';
    const meta: ExportMeta = {
      kind,
      locale,
      filters,
      scope: p.role === 'unit_officer' && p.unitId ? { kind: 'unit', unitId: p.unitId } : { kind: 'all' },
      exportedAt: new Date(),
      exportedBy: p.name,
      totals,
      units: await unitNames(e),
    };
    const day = chinaDay(meta.exportedAt);
    const body = q.format === 'csv' ? toCsv(rows, meta) : await toXlsx(rows, meta);
    await recordAudit(e, {
      ...auditActor(p),
      action: 'ledger.export',
      target: `ledger:${kind}`,
      requestId: req.requestId,
      details: { list: kind, format: q.format, lang: locale, filters, rows: rows.length },
    });
    sendAttachment(res, {
      name: `${lt(locale, FILE_KEYS[kind])}-${day}.${q.format}`,
      asciiName: `${lt('en', FILE_KEYS[kind])}-${day}.${q.format}`,
      type: q.format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE,
      body,
    });
    return undefined;
  };

  return [
    defineRoute({
      method: 'get',
      path: '/ledger/risks',
      summary:
        'Total risk list: every visible clue, with filters and totals; ?format=csv|xlsx exports it (Chinese headers; ?lang=en for English)',
      tag: 'ledger',
      roles: ['coordinator', 'leader', 'unit_officer'],
      ownership: 'none',
      query: LedgerQuery,
      response: LedgerPageSchema,
      handler: ledgerHandler('risks'),
    }),
    defineRoute({
      method: 'get',
      path: '/ledger/key-clues',
      summary:
        'Key risk clue management account (grade I–II or flagged), with filters and totals; ?format=csv|xlsx exports it',
      tag: 'ledger',
      roles: ['coordinator', 'leader', 'unit_officer'],
      ownership: 'none',
      query: LedgerQuery,
      response: LedgerPageSchema,
      handler: ledgerHandler('keyClues'),
    }),
    defineRoute({
      method: 'get',
      path: '/ledger/statistics',
      summary:
        'Statistics by key area, key behaviour, unit, grade, stage and source; on-time rate per unit; escalations by level; towns and communities free of open key clues',
      tag: 'ledger',
      roles: ['coordinator', 'leader'],
      ownership: 'none',
      query: StatisticsQuery,
      response: StatisticsSchema,
      handler: async (req) => {
        const p = principal(req);
        const q = parsedQuery<z.infer<typeof StatisticsQuery>>(req);
        if (q.from && q.to && q.from > q.to) {
          throw new HttpProblem(422, 'validation-error', '"from" is after "to"', {
            errors: [{ path: ['from'], message: 'after "to"' }],
          });
        }
        return statistics(em(), {
          locale: q.lang ?? p.locale,
          from: q.from ? new Date(`${q.from}T00:00:00+08:00`) : undefined,
          to: q.to ? new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000) : undefined,
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/clues/import',
      summary:
        'Bulk import of clues from a CSV or XLSX file (base64 in JSON); a per-row report; re-importing registers nothing twice',
      tag: 'clues',
      roles: ['coordinator'],
      ownership: 'none',
      body: ImportBody,
      response: ImportReportSchema,
      handler: async (req) => {
        const p = principal(req);
        const locale = requestLocale(req, p.locale);
        const b = req.body as z.infer<typeof ImportBody>;
        const content = Buffer.from(b.contentBase64.replace(/\s+/g, ''), 'base64');
        if (content.length === 0) {
          const message = lt(locale, 'ledger.import.file.empty');
          throw new HttpProblem(422, 'validation-error', message, {
            errors: [{ path: ['contentBase64'], message }],
          });
        }
        try {
          return await importClues(ctx, {
            filename: b.filename,
            content,
            createdBy: p.userId,
            schema: ClueIntakeSchema,
            locale,
          });
        } catch (err) {
          if (err instanceof ImportFileError) {
            const message = lt(locale, err.said.key, err.said.params);
            throw new HttpProblem(422, 'validation-error', message, {
              errors: [{ path: ['contentBase64'], message }],
            });
          }
          throw err;
        }
      },
    }),
  ];
}
