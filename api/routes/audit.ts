/**
 * The security audit list (admin and District Office): reporter unmasks with their reason, tokens
 * issued and revoked, sign-ins and failures, rejected tokens, user and role changes, exports. The
 * per-request write log in the same table is left out (see src/audit.ts). Newest first, cursor pages;
 * `?format=csv` downloads the filtered list, and that download is itself audited.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { AUDIT_ACTIONS, auditActor, recordAudit } from '../../src/audit';
import type { AppContext } from '../../src/context';
import { sql, pgTextArray } from '../../src/db/sql';
import { LOCALES, type Locale } from '../../src/domain/enums';
import { formatLocal } from '../../src/format';
import { csvCell } from '../../src/ledger/export';
import { lt, type LedgerMessageKey } from '../../src/ledger/messages';
import { EXPORT_MAX_ROWS } from '../../src/ledger/query';
import { principal } from '../auth';
import { chinaDay, sendAttachment } from '../download';
import { requestLocale } from '../locale';
import { HttpProblem } from '../problem';
import { defineRoute, parsedQuery, type RouteDef } from '../registry';
import { Cursor, pageLimit, Timestamp } from '../schemas';

/** A calendar day (China time, inclusive) or an exact instant. */
const When = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .openapi({ description: 'a day in China time (YYYY-MM-DD, inclusive) or an ISO-8601 instant' });

export const AuditQuery = z
  .object({
    action: z.enum(AUDIT_ACTIONS).optional(),
    actor: z.string().min(1).max(64).optional().openapi({ description: 'user id of who acted' }),
    target: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .openapi({ description: 'what was acted on, e.g. clue:<id>, token:<id>, user:<id>, ledger:risks' }),
    from: When.optional(),
    to: When.optional(),
    cursor: Cursor.optional(),
    limit: pageLimit(200, 50),
    format: z.enum(['json', 'csv']).default('json'),
    lang: z.enum(LOCALES).optional(),
  })
  .strict();
type AuditQueryInput = z.infer<typeof AuditQuery>;

const AuditEntrySchema = z
  .object({
    id: z.number(),
    at: Timestamp,
    action: z.enum(AUDIT_ACTIONS),
    actorId: z.string().nullable(),
    actorName: z.string().nullable(),
    role: z.string().nullable(),
    unitId: z.string().nullable(),
    target: z.string().nullable(),
    clueRef: z.string().nullable().openapi({ description: 'the clue reference when the target is a clue' }),
    reason: z.string().nullable().openapi({ description: 'the reason given (reporter unmask)' }),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEntry');

const AuditListSchema = z
  .object({ items: z.array(AuditEntrySchema), nextCursor: z.string().nullable() })
  .openapi('AuditList');

interface AuditRow {
  id: number;
  at: Date | string;
  action: string;
  actor_id: string | null;
  actor_name: string | null;
  role: string | null;
  unit_id: string | null;
  target: string | null;
  clue_ref: string | null;
  request_id: string | null;
  details: Record<string, unknown> | string | null;
}

const dayStart = (d: string) => `${d}T00:00:00+08:00`;
/** The next midnight; none after 9999-12-31 (PostgreSQL reads no 5-digit year). */
const dayAfter = (d: string) =>
  d >= '9999-12-31' ? undefined : new Date(Date.parse(dayStart(d)) + 86_400_000).toISOString();

function encodeAuditCursor(id: number): string {
  return Buffer.from(String(id)).toString('base64url');
}
function decodeAuditCursor(c: string): number {
  const s = Buffer.from(c, 'base64url').toString('utf8');
  if (!/^\d{1,10}$/.test(s))
    throw new HttpProblem(422, 'validation-error', 'cursor is not valid', {
      errors: [{ path: ['cursor'], message: 'invalid cursor' }],
    });
  return Number(s);
}

function where(q: AuditQueryInput): { sql: string; params: unknown[] } {
  // strpos(...) = 0: the partial index of security events (migration ..._audit_security_index).
  const parts = [`strpos(a.action, ' ') = 0`, 'a.action = any(?::text[])'];
  const params: unknown[] = [pgTextArray(q.action ? [q.action] : [...AUDIT_ACTIONS])];
  if (q.actor) {
    parts.push('a.actor_id = ?');
    params.push(q.actor);
  }
  if (q.target) {
    parts.push('a.target = ?');
    params.push(q.target);
  }
  const from = q.from ? (q.from.length === 10 ? dayStart(q.from) : q.from) : undefined;
  const to = q.to ? (q.to.length === 10 ? dayAfter(q.to) : q.to) : undefined;
  if (from && to && Date.parse(from) >= Date.parse(to))
    throw new HttpProblem(422, 'validation-error', '"from" is after "to"', {
      errors: [{ path: ['from'], message: 'after "to"' }],
    });
  if (from) {
    parts.push('a.at >= ?::timestamptz');
    params.push(from);
  }
  if (to) {
    // A day is inclusive (up to the next midnight); an instant is exclusive.
    parts.push('a.at < ?::timestamptz');
    params.push(to);
  }
  return { sql: parts.join(' and '), params };
}

const SELECT = `select a.id, a.at, a.action, a.actor_id, u.name as actor_name, a.role, a.unit_id, a.target,
    (select c.ref from clues c where a.target like 'clue:%' and c.id = substr(a.target, 6)) as clue_ref,
    a.request_id, a.details
  from audit_log a left join users u on u.id = a.actor_id`;

function toEntry(r: AuditRow) {
  const details = (typeof r.details === 'string' ? JSON.parse(r.details) : (r.details ?? {})) as Record<
    string,
    unknown
  >;
  return {
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    action: r.action as (typeof AUDIT_ACTIONS)[number],
    actorId: r.actor_id,
    actorName: r.actor_name,
    role: r.role,
    unitId: r.unit_id,
    target: r.target,
    clueRef: r.clue_ref ?? (typeof details.ref === 'string' ? details.ref : null),
    reason: typeof details.reason === 'string' ? details.reason : null,
    requestId: r.request_id,
    details,
  };
}

const CSV_COLUMNS: [LedgerMessageKey, (e: ReturnType<typeof toEntry>, l: Locale) => string | number][] = [
  // The header names the zone; the cell is the China wall clock.
  ['ledger.audit.col.at', (e) => formatLocal(Date.parse(e.at), 'zh-CN')],
  ['ledger.audit.col.action', (e, l) => lt(l, `ledger.audit.action.${e.action}`)],
  ['ledger.audit.col.actor', (e) => e.actorId ?? ''],
  ['ledger.audit.col.actorName', (e) => e.actorName ?? ''],
  ['ledger.audit.col.role', (e) => e.role ?? ''],
  ['ledger.audit.col.unit', (e) => e.unitId ?? ''],
  ['ledger.audit.col.target', (e) => e.target ?? ''],
  ['ledger.audit.col.clueRef', (e) => e.clueRef ?? ''],
  ['ledger.audit.col.reason', (e) => e.reason ?? ''],
  ['ledger.audit.col.requestId', (e) => e.requestId ?? ''],
  ['ledger.audit.col.details', (e) => JSON.stringify(e.details)],
];

export function auditRoutes(ctx: AppContext): RouteDef[] {
  const em = () => ctx.orm.em.fork() as EntityManager;
  return [
    defineRoute({
      method: 'get',
      path: '/audit',
      summary:
        'Security audit list: reporter unmasks (who, which clue, why), tokens issued and revoked, sign-ins and failures, rejected tokens, user and role changes, exports. Filters, cursor pages; ?format=csv downloads it (audited)',
      tag: 'audit',
      roles: ['admin', 'coordinator'],
      ownership: 'none',
      query: AuditQuery,
      response: AuditListSchema,
      handler: async (req, res) => {
        const p = principal(req);
        const q = parsedQuery<AuditQueryInput>(req);
        const w = where(q);
        const e = em();
        if (q.format === 'json') {
          const params = [...w.params];
          let cond = w.sql;
          if (q.cursor) {
            cond += ' and a.id < ?';
            params.push(decodeAuditCursor(q.cursor));
          }
          const rows = await sql<AuditRow[]>(e, `${SELECT} where ${cond} order by a.id desc limit ?`, [
            ...params,
            q.limit + 1,
          ]);
          const page = rows.slice(0, q.limit).map(toEntry);
          const last = page[page.length - 1];
          return {
            items: page,
            nextCursor: rows.length > q.limit && last ? encodeAuditCursor(last.id) : null,
          };
        }
        const rows = await sql<AuditRow[]>(e, `${SELECT} where ${w.sql} order by a.id desc limit ?`, [
          ...w.params,
          EXPORT_MAX_ROWS + 1,
        ]);
        if (rows.length > EXPORT_MAX_ROWS)
          throw new HttpProblem(
            422,
            'validation-error',
            `the export would hold more than ${EXPORT_MAX_ROWS} rows: narrow the filters`,
          );
        const locale = q.lang ?? requestLocale(req, p.locale);
        const lines = [
          CSV_COLUMNS.map(([k]) => csvCell(lt(locale, k))).join(','),
          ...rows.map(toEntry).map((x) => CSV_COLUMNS.map(([, v]) => csvCell(v(x, locale))).join(',')),
        ];
        const filters = Object.fromEntries(
          (['action', 'actor', 'target', 'from', 'to'] as const)
            .filter((k) => q[k] !== undefined)
            .map((k) => [k, q[k]]),
        );
        await recordAudit(e, {
          ...auditActor(p),
          action: 'ledger.export',
          target: 'audit',
          requestId: req.requestId,
          details: { list: 'audit', format: 'csv', lang: locale, filters, rows: rows.length },
        });
        const day = chinaDay(new Date());
        sendAttachment(res, {
          name: `${lt(locale, 'ledger.file.audit')}-${day}.csv`,
          asciiName: `${lt('en', 'ledger.file.audit')}-${day}.csv`,
          type: 'text/csv; charset=utf-8',
          body: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8'),
        });
        return undefined;
      },
    }),
  ];
}
