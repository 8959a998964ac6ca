/**
 * The risk ledger (notice IV.3): the total risk list (every clue) and the key risk clue management
 * account (grade I–II or flagged by the coordinator), with filters and totals. The caller passes the
 * visibility condition (api/access.ts `visibilitySql`) so a unit officer only ever sees its own clues,
 * in lists and in exports alike.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { likeEscape, sql } from '../db/sql';
import { CLUE_STAGES, GRADES, KEY_AREAS, KEY_BEHAVIOURS, LOCALES, SOURCE_CHANNELS } from '../domain/enums';

export type LedgerKind = 'risks' | 'keyClues';

const unitId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'unit ids are lowercase letters, digits and dashes');
const day = z.iso.date();

/** Filters of both ledgers (query string). Dates are calendar days in China Standard Time, both inclusive. */
export const LedgerFilterShape = {
  stage: z.enum(CLUE_STAGES).optional(),
  grade: z.enum(GRADES).optional(),
  unit: unitId.optional(),
  keyArea: z.enum(KEY_AREAS).optional(),
  behaviour: z.enum(KEY_BEHAVIOURS).optional(),
  sourceChannel: z.enum(SOURCE_CHANNELS).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  from: day.optional(),
  to: day.optional(),
  q: z.string().trim().min(1).max(100).optional(),
};

export const LedgerQuery = z
  .object({
    ...LedgerFilterShape,
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
    lang: z.enum(LOCALES).optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(500),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();
export type LedgerQueryInput = z.infer<typeof LedgerQuery>;

export type LedgerFilters = Pick<LedgerQueryInput, keyof typeof LedgerFilterShape>;
export const FILTER_NAMES = Object.keys(LedgerFilterShape) as (keyof LedgerFilters)[];

/** The most rows one export file holds (a district ledger is far smaller; this bounds memory). */
export const EXPORT_MAX_ROWS = 50_000;

export interface Visibility {
  sql: string;
  params: unknown[];
}

export interface LedgerRow {
  id: string;
  ref: string;
  registeredAt: string;
  sourceChannel: string;
  description: string;
  subjectName: string;
  subjectKind: string;
  creditCode: string | null;
  registrationPlace: string | null;
  operatingPlace: string | null;
  frequentChanges: boolean;
  keyArea: string;
  keyBehaviours: string[];
  online: boolean;
  amountCny: number;
  participants: number;
  publicOpinion: string;
  stabilityRisk: string;
  riskScore: number;
  grade: string;
  keyFlag: boolean;
  keyClue: boolean;
  leadUnitId: string;
  coHandlingUnitIds: string[];
  stage: string;
  nature: string | null;
  overdueLevel: number;
  nextDueAt: string | null;
  duplicateOfId: string | null;
  duplicateOfRef: string | null;
}

export interface LedgerTotals {
  count: number;
  amountCny: number;
  participants: number;
  keyClues: number;
  open: number;
  overdue: number;
  byGrade: Record<string, number>;
}

/** China Standard Time day boundaries (the calendars and every displayed time are UTC+8). */
function dayStart(d: string): Date {
  return new Date(`${d}T00:00:00+08:00`);
}
function nextDayStart(d: string): Date {
  return new Date(dayStart(d).getTime() + 86_400_000);
}

export function ledgerWhere(
  kind: LedgerKind,
  f: LedgerFilters,
  vis: Visibility,
): { sql: string; params: unknown[] } {
  const where: string[] = [vis.sql];
  const params: unknown[] = [...vis.params];
  const add = (cond: string, ...ps: unknown[]) => {
    where.push(cond);
    params.push(...ps);
  };
  if (kind === 'keyClues') add('c.key_clue');
  if (f.stage) add('c.stage = ?', f.stage);
  if (f.grade) add('c.grade = ?', f.grade);
  if (f.unit) add('(c.lead_unit_id = ? or ? = any(c.co_handling_unit_ids))', f.unit, f.unit);
  if (f.keyArea) add('c.key_area = ?', f.keyArea);
  if (f.behaviour) add('? = any(c.key_behaviours)', f.behaviour);
  if (f.sourceChannel) add('c.source_channel = ?', f.sourceChannel);
  if (f.overdue) add(f.overdue === 'true' ? 'c.overdue_level > 0' : 'c.overdue_level = 0');
  if (f.from) add('c.created_at >= ?', dayStart(f.from));
  if (f.to) add('c.created_at < ?', nextDayStart(f.to));
  if (f.q) {
    const like = `%${likeEscape(f.q)}%`;
    add('(c.subject_name ilike ? or c.ref ilike ? or c.credit_code ilike ?)', like, like, like);
  }
  return { sql: where.map((w) => `(${w})`).join(' and '), params };
}

interface RawRow {
  id: string;
  ref: string;
  created_at: Date;
  source_channel: string;
  description: string;
  subject_name: string;
  subject_kind: string;
  credit_code: string | null;
  registration_place: string | null;
  operating_place: string | null;
  frequent_changes: boolean;
  key_area: string;
  key_behaviours: string[];
  online: boolean;
  amount_cny: number | string;
  participants: number;
  public_opinion: string;
  stability_risk: string;
  risk_score: number;
  grade: string;
  key_flag: boolean;
  key_clue: boolean;
  lead_unit_id: string;
  co_handling_unit_ids: string[];
  stage: string;
  nature: string | null;
  overdue_level: number;
  next_due_at: Date | null;
  duplicate_of_id: string | null;
  duplicate_of_ref: string | null;
}

/** Ledger rows in registration order (oldest first, as a paper ledger is kept). */
export async function ledgerRows(
  em: EntityManager,
  kind: LedgerKind,
  f: LedgerFilters,
  vis: Visibility,
  page: { limit: number; offset: number },
): Promise<LedgerRow[]> {
  const w = ledgerWhere(kind, f, vis);
  // A duplicate link is shown only when the caller may see the linked clue too.
  const linked = { sql: vis.sql.replace(/\bc\./g, 'd.'), params: vis.params };
  const rows = await sql<RawRow[]>(
    em,
    `select c.id, c.ref, c.created_at, c.source_channel, c.description, c.subject_name, c.subject_kind, c.credit_code,
            c.registration_place, c.operating_place, c.frequent_changes, c.key_area, c.key_behaviours, c.online, c.amount_cny,
            c.participants, c.public_opinion, c.stability_risk, c.risk_score, c.grade, c.key_flag, c.key_clue, c.lead_unit_id,
            c.co_handling_unit_ids, c.stage, c.nature, c.overdue_level, c.next_due_at, d.id as duplicate_of_id, d.ref as duplicate_of_ref
       from clues c left join clues d on d.id = c.duplicate_of_id and (${linked.sql})
      where ${w.sql}
      order by c.seq asc
      limit ? offset ?`,
    [...linked.params, ...w.params, page.limit, page.offset],
  );
  return rows.map((r) => ({
    id: r.id,
    ref: r.ref,
    registeredAt: new Date(r.created_at).toISOString(),
    sourceChannel: r.source_channel,
    description: r.description,
    subjectName: r.subject_name,
    subjectKind: r.subject_kind,
    creditCode: r.credit_code,
    registrationPlace: r.registration_place,
    operatingPlace: r.operating_place,
    frequentChanges: r.frequent_changes,
    keyArea: r.key_area,
    keyBehaviours: r.key_behaviours ?? [],
    online: r.online,
    amountCny: Number(r.amount_cny),
    participants: r.participants,
    publicOpinion: r.public_opinion,
    stabilityRisk: r.stability_risk,
    riskScore: r.risk_score,
    grade: r.grade,
    keyFlag: r.key_flag,
    keyClue: r.key_clue,
    leadUnitId: r.lead_unit_id,
    coHandlingUnitIds: r.co_handling_unit_ids ?? [],
    stage: r.stage,
    nature: r.nature,
    overdueLevel: r.overdue_level,
    nextDueAt: r.next_due_at ? new Date(r.next_due_at).toISOString() : null,
    duplicateOfId: r.duplicate_of_id,
    duplicateOfRef: r.duplicate_of_ref,
  }));
}

/** Totals over every row matching the filters (not only the page). */
export async function ledgerTotals(
  em: EntityManager,
  kind: LedgerKind,
  f: LedgerFilters,
  vis: Visibility,
): Promise<LedgerTotals> {
  const w = ledgerWhere(kind, f, vis);
  const [t] = await sql<
    {
      count: number;
      amount: number | string | null;
      participants: number | string | null;
      key_clues: number;
      open: number;
      overdue: number;
    }[]
  >(
    em,
    `select count(*)::int as count, coalesce(sum(c.amount_cny), 0) as amount, coalesce(sum(c.participants), 0)::bigint as participants,
            count(*) filter (where c.key_clue)::int as key_clues, count(*) filter (where c.stage <> 'closed')::int as open,
            count(*) filter (where c.overdue_level > 0)::int as overdue
       from clues c where ${w.sql}`,
    w.params,
  );
  const grades = await sql<{ grade: string; n: number }[]>(
    em,
    `select c.grade, count(*)::int as n from clues c where ${w.sql} group by c.grade`,
    w.params,
  );
  const byGrade: Record<string, number> = Object.fromEntries(GRADES.map((g) => [g, 0]));
  for (const g of grades) byGrade[g.grade] = g.n;
  return {
    count: t?.count ?? 0,
    amountCny: Number(t?.amount ?? 0),
    participants: Number(t?.participants ?? 0),
    keyClues: t?.key_clues ?? 0,
    open: t?.open ?? 0,
    overdue: t?.overdue ?? 0,
    byGrade,
  };
}

export interface UnitName {
  id: string;
  nameZh: string;
  nameEn: string;
  kind: string;
}

export async function unitNames(em: EntityManager): Promise<Map<string, UnitName>> {
  const rows = await sql<{ id: string; name_zh: string; name_en: string; kind: string }[]>(
    em,
    'select id, name_zh, name_en, kind from units order by id',
  );
  return new Map(rows.map((r) => [r.id, { id: r.id, nameZh: r.name_zh, nameEn: r.name_en, kind: r.kind }]));
}
