/**
 * Ledger statistics (notice IV.3 "quantitatively analyse the scale of industry and behavioural
 * risks", VI.3 "community town without illegal fund-raising"): counts and amounts by key area,
 * key behaviour, unit (region), grade, stage and source; the on-time rate per unit from the deadline
 * clocks (on time / (done + open overdue), src/ledger/on-time.ts); escalations by level; the towns and communities with no open
 * key clue. Labels in the requested language next to every code.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../db/sql';
import {
  CLUE_STAGES,
  GRADES,
  KEY_AREAS,
  KEY_BEHAVIOURS,
  SOURCE_CHANNELS,
  type Locale,
} from '../domain/enums';
import { label, t, type LabelKind, type LabelValue, type MessageKey } from '../i18n';
import { ON_TIME_COLUMNS, onTimeOf, type OnTimeFigures, type OnTimeRow } from './on-time';
import { unitNames, type UnitName } from './query';

export interface Bucket {
  key: string;
  label: string;
  count: number;
  amountCny: number;
  participants: number;
  keyClues: number;
  open: number;
}

export interface UnitOnTime extends OnTimeFigures {
  unitId: string;
  unitName: string;
  /** Done late (= lateDone). */
  late: number;
  openClocks: number;
  /** Open clocks past their due time or escalated (= openOverdue). */
  overdueOpen: number;
}

export interface Statistics {
  generatedAt: string;
  period: { from: string | null; to: string | null };
  totals: {
    clues: number;
    open: number;
    closed: number;
    keyClues: number;
    openKeyClues: number;
    amountCny: number;
    participants: number;
    overdue: number;
    referred: number;
  };
  byKeyArea: Bucket[];
  byBehaviour: Bucket[];
  byUnit: Bucket[];
  byGrade: Bucket[];
  byStage: Bucket[];
  bySource: Bucket[];
  onTimeByUnit: UnitOnTime[];
  onTimeOverall: OnTimeFigures;
  escalationsByLevel: { level: number; label: string; open: number; acknowledged: number; total: number }[];
  unitsFreeOfOpenKeyClues: { unitId: string; unitName: string; kind: string }[];
  unitsWithOpenKeyClues: { unitId: string; unitName: string; kind: string; openKeyClues: number }[];
}

function lbl<K extends LabelKind>(locale: Locale, kind: K, value: string): string {
  const s = label(locale, kind, value as LabelValue<K>);
  return s.startsWith(`${kind}.`) ? value : s;
}

interface Agg {
  k: string;
  count: number;
  amount: number | string;
  participants: number | string;
  key_clues: number;
  open: number;
}

const AGG = `count(*)::int as count, coalesce(sum(c.amount_cny), 0) as amount, coalesce(sum(c.participants), 0)::bigint as participants,
             count(*) filter (where c.key_clue)::int as key_clues, count(*) filter (where c.stage <> 'closed')::int as open`;

function buckets(
  rows: Agg[],
  order: readonly string[],
  labelOf: (k: string) => string,
  keepEmpty: boolean,
): Bucket[] {
  const by = new Map(rows.map((r) => [r.k, r]));
  const keys = keepEmpty
    ? [...order, ...rows.map((r) => r.k).filter((k) => !order.includes(k))]
    : rows.map((r) => r.k);
  return keys.map((k) => {
    const r = by.get(k);
    return {
      key: k,
      label: labelOf(k),
      count: r?.count ?? 0,
      amountCny: Number(r?.amount ?? 0),
      participants: Number(r?.participants ?? 0),
      keyClues: r?.key_clues ?? 0,
      open: r?.open ?? 0,
    };
  });
}

const unitLabel = (units: Map<string, UnitName>, locale: Locale, id: string) => {
  const u = units.get(id);
  return u ? (locale === 'en' ? u.nameEn : u.nameZh) : id;
};

/** Units whose area a "free of illegal fund-raising" status applies to (notice VI.3). */
const AREA_UNIT_KINDS = ['town', 'community'];

export async function statistics(
  em: EntityManager,
  o: { locale: Locale; from?: Date; to?: Date },
): Promise<Statistics> {
  const units = await unitNames(em);
  const where: string[] = ['true'];
  const params: unknown[] = [];
  if (o.from) {
    where.push('c.created_at >= ?');
    params.push(o.from);
  }
  if (o.to) {
    where.push('c.created_at < ?');
    params.push(o.to);
  }
  const w = where.join(' and ');
  const group = (expr: string, from = 'clues c') =>
    sql<Agg[]>(
      em,
      `select ${expr} as k, ${AGG} from ${from} where ${w} group by 1 order by count desc, 1`,
      params,
    );

  const [totals] = await sql<Record<string, number | string>[]>(
    em,
    `select count(*)::int as clues, count(*) filter (where c.stage <> 'closed')::int as open, count(*) filter (where c.stage = 'closed')::int as closed,
            count(*) filter (where c.key_clue)::int as key_clues, count(*) filter (where c.key_clue and c.stage <> 'closed')::int as open_key_clues,
            coalesce(sum(c.amount_cny), 0) as amount, coalesce(sum(c.participants), 0)::bigint as participants,
            count(*) filter (where c.overdue_level > 0)::int as overdue,
            count(*) filter (where c.referred_to_unit_id is not null)::int as referred
       from clues c where ${w}`,
    params,
  );
  const [byArea, byBehaviour, byUnit, byGrade, byStage, bySource] = await Promise.all([
    group('c.key_area'),
    group('b.behaviour', 'clues c cross join lateral unnest(c.key_behaviours) as b(behaviour)'),
    group('c.lead_unit_id'),
    group('c.grade'),
    group('c.stage'),
    group('c.source_channel'),
  ]);

  // On-time rate per unit over every deadline clock (clues and campaign deliverables alike), as of now.
  const asOf = new Date();
  const clockWhere =
    o.from || o.to
      ? `where ${[o.from ? 'k.started_at >= ?' : '', o.to ? 'k.started_at < ?' : ''].filter(Boolean).join(' and ')}`
      : '';
  const clockParams = [o.from, o.to].filter(Boolean);
  const clocks = await sql<(OnTimeRow & { unit_id: string })[]>(
    em,
    `select k.unit_id, ${ON_TIME_COLUMNS}
       from clocks k ${clockWhere} group by k.unit_id order by k.unit_id`,
    [asOf, asOf, ...clockParams],
  );
  const onTimeByUnit: UnitOnTime[] = clocks
    .map((c) => {
      const f = onTimeOf([c]);
      return {
        unitId: c.unit_id,
        unitName: unitLabel(units, o.locale, c.unit_id),
        ...f,
        late: f.lateDone,
        openClocks: f.openOverdue + f.openNotDue,
        overdueOpen: f.openOverdue,
      };
    })
    .sort(
      (a, b) =>
        (a.rate ?? 2) - (b.rate ?? 2) || b.overdueOpen - a.overdueOpen || a.unitId.localeCompare(b.unitId),
    );

  const esc = await sql<{ level: number; open: number; acknowledged: number; total: number }[]>(
    em,
    `select e.level, count(*) filter (where e.status = 'open')::int as open, count(*) filter (where e.status = 'acknowledged')::int as acknowledged,
            count(*)::int as total from escalations e group by e.level order by e.level`,
  );
  const levels = new Map(esc.map((e) => [e.level, e]));
  const maxLevel = Math.max(3, ...esc.map((e) => e.level));
  const escalationsByLevel = Array.from({ length: maxLevel }, (_, i) => {
    const e = levels.get(i + 1);
    const key = `level.${i + 1}` as MessageKey;
    const l = t(o.locale, key);
    return {
      level: i + 1,
      label: l === key ? String(i + 1) : l,
      open: e?.open ?? 0,
      acknowledged: e?.acknowledged ?? 0,
      total: e?.total ?? 0,
    };
  });

  // "Free of open key clues" is a present-tense status: not limited to the period.
  const openKey = await sql<{ unit_id: string; n: number }[]>(
    em,
    `select u.unit_id, count(distinct c.id)::int as n
       from clues c cross join lateral unnest(array_prepend(c.lead_unit_id, c.co_handling_unit_ids)) as u(unit_id)
      where c.key_clue and c.stage <> 'closed' group by u.unit_id`,
  );
  const openKeyBy = new Map(openKey.map((r) => [r.unit_id, r.n]));
  const areaUnits = [...units.values()].filter((u) => AREA_UNIT_KINDS.includes(u.kind));
  const activeIds = new Set(
    (
      await sql<{ id: string }[]>(em, `select id from units where active and kind = any(?::text[])`, [
        `{${AREA_UNIT_KINDS.join(',')}}`,
      ])
    ).map((r) => r.id),
  );
  const unitsFreeOfOpenKeyClues = areaUnits
    .filter((u) => activeIds.has(u.id) && !openKeyBy.has(u.id))
    .map((u) => ({ unitId: u.id, unitName: unitLabel(units, o.locale, u.id), kind: u.kind }));
  const unitsWithOpenKeyClues = [...openKeyBy.entries()]
    .map(([id, n]) => ({
      unitId: id,
      unitName: unitLabel(units, o.locale, id),
      kind: units.get(id)?.kind ?? 'unknown',
      openKeyClues: n,
    }))
    .sort((a, b) => b.openKeyClues - a.openKeyClues || a.unitId.localeCompare(b.unitId));

  return {
    generatedAt: new Date().toISOString(),
    period: { from: o.from?.toISOString() ?? null, to: o.to?.toISOString() ?? null },
    totals: {
      clues: Number(totals?.clues ?? 0),
      open: Number(totals?.open ?? 0),
      closed: Number(totals?.closed ?? 0),
      keyClues: Number(totals?.key_clues ?? 0),
      openKeyClues: Number(totals?.open_key_clues ?? 0),
      amountCny: Number(totals?.amount ?? 0),
      participants: Number(totals?.participants ?? 0),
      overdue: Number(totals?.overdue ?? 0),
      referred: Number(totals?.referred ?? 0),
    },
    byKeyArea: buckets(byArea, KEY_AREAS, (k) => lbl(o.locale, 'keyArea', k), false),
    byBehaviour: buckets(byBehaviour, KEY_BEHAVIOURS, (k) => lbl(o.locale, 'keyBehaviour', k), false),
    byUnit: buckets(byUnit, [], (k) => unitLabel(units, o.locale, k), false),
    byGrade: buckets(byGrade, GRADES, (k) => lbl(o.locale, 'grade', k), true),
    byStage: buckets(byStage, CLUE_STAGES, (k) => lbl(o.locale, 'stage', k), false).sort(
      (a, b) => CLUE_STAGES.indexOf(a.key as never) - CLUE_STAGES.indexOf(b.key as never),
    ),
    bySource: buckets(bySource, SOURCE_CHANNELS, (k) => lbl(o.locale, 'sourceChannel', k), false),
    onTimeByUnit,
    onTimeOverall: onTimeOf(clocks),
    escalationsByLevel,
    unitsFreeOfOpenKeyClues,
    unitsWithOpenKeyClues,
  };
}
