/**
 * The figures of a campaign's official documents, for the campaign's span: the clues registered from
 * the start of mobilization to the summary report's due time (or the campaign's end, if earlier),
 * optionally those of one unit (lead or co-handling).
 *
 * - Disposal types come from APPROVED plans only: for each clue, the plan submitted last before its
 *   latest approving review (timeline events `plan.submitted` / `plan.reviewed`, as the clue workflow
 *   records them). A plan under review or returned counts nowhere.
 * - The on-time rate counts every deadline clock of those clues and of the campaign's deliverables:
 *   on time / (done + open overdue). A clock still open after its due time (or already escalated) is
 *   late; clocks still within their time limit and cancelled ones are left out, and reported.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../db/sql';
import { GRADES, type Locale, type Strategy } from '../domain/enums';
import { label, type LabelKind, type LabelValue } from '../i18n';
import { ON_TIME_COLUMNS, onTimeOf, type OnTimeFigures, type OnTimeRow } from '../ledger/on-time';
import { unitNames, type UnitName } from '../ledger/query';

/** The order the documents list disposal types in (warning interview first, criminal referral last). */
export const DISPOSAL_TYPES: readonly Strategy[] = [
  'warning_interview',
  'standardized_rectification',
  'administrative_penalty',
  'online_cleanup',
  'criminal_referral',
];

export class ReportNotFound extends Error {}

export interface CampaignInfo {
  id: string;
  name: string;
  year: number;
  phase: string;
  status: string;
  minInformation: number;
  maxTypicalCases: number;
  /** The span: mobilization start … summary report due (or the end, if earlier). */
  from: string;
  to: string;
  summaryReportDue: string;
}

export interface Bucket {
  key: string;
  label: string;
  count: number;
  keyClues: number;
  amountCny: number;
  participants: number;
}

export interface ClueTotals {
  clues: number;
  keyClues: number;
  amountCny: number;
  participants: number;
  open: number;
  closed: number;
  referred: number;
  monitoring: number;
  online: number;
  vulnerable: number;
  vulnerableParticipants: number;
  openKey: number;
  openKeyAmountCny: number;
  openKeyParticipants: number;
  openKeyGradeI: number;
}

export interface DisposalFigures {
  /** Clues whose latest reviewed plan was approved. */
  approvedPlans: number;
  /** Clues whose plan is under review (and none approved before). */
  pendingPlans: number;
  /** Open clues with neither. */
  withoutPlan: number;
  rows: { strategy: Strategy; label: string; clues: number; amountCny: number; participants: number }[];
}

export interface ReferralFigures {
  referred: number;
  accepted: number;
  returned: number;
  awaiting: number;
}

export type { OnTimeFigures } from '../ledger/on-time';

export interface UnitOnTime extends OnTimeFigures {
  unitId: string;
  unitName: string;
}

export interface Named {
  unitId: string;
  unitName: string;
}

export interface Figures {
  asOf: string;
  totals: ClueTotals;
  byKeyArea: Bucket[];
  byBehaviour: Bucket[];
  byGrade: Bucket[];
  byUnit: Bucket[];
  disposal: DisposalFigures;
  referrals: ReferralFigures;
  onTime: OnTimeFigures;
  onTimeByUnit: UnitOnTime[];
  /** Units with open overdue clocks, most first. */
  overdueUnits: (Named & { openOverdue: number })[];
  accountability: (Named & { records: number })[];
  /** Towns and communities with no open key clue, now (notice VI.3). */
  freeUnits: Named[];
  /** Open key clues per unit (lead or co-handling), now. */
  openKeyByUnit: Map<string, number>;
}

interface CampaignRow {
  id: string;
  name: string;
  year: number;
  phase: string;
  status: string;
  min_information: number;
  max_typical_cases: number;
  mobilization_start: Date;
  summary_report_due: Date;
  ended_at: Date | null;
}

export async function loadCampaignInfo(em: EntityManager, campaignId: string): Promise<CampaignInfo> {
  const [c] = await sql<CampaignRow[]>(
    em,
    `select id, name, year, phase, status, min_information, max_typical_cases, mobilization_start, summary_report_due, ended_at
       from campaigns where id = ?`,
    [campaignId],
  );
  if (!c) throw new ReportNotFound('campaign');
  const due = new Date(c.summary_report_due).getTime();
  const ended = c.ended_at ? new Date(c.ended_at).getTime() : Infinity;
  return {
    id: c.id,
    name: c.name,
    year: c.year,
    phase: c.phase,
    status: c.status,
    minInformation: Number(c.min_information),
    maxTypicalCases: Number(c.max_typical_cases),
    from: new Date(c.mobilization_start).toISOString(),
    to: new Date(Math.min(due, ended)).toISOString(),
    summaryReportDue: new Date(due).toISOString(),
  };
}

export function lbl<K extends LabelKind>(locale: Locale, kind: K, value: string): string {
  const s = label(locale, kind, value as LabelValue<K>);
  return s.startsWith(`${kind}.`) ? value : s;
}

export function unitLabel(units: Map<string, UnitName>, locale: Locale, id: string): string {
  const u = units.get(id);
  return u ? (locale === 'en' ? u.nameEn : u.nameZh) : id;
}

interface Agg {
  k: string;
  count: number;
  key_clues: number;
  amount: number | string;
  participants: number | string;
}

function buckets(rows: Agg[], labelOf: (k: string) => string, order?: readonly string[]): Bucket[] {
  const out = rows.map((r) => ({
    key: r.k,
    label: labelOf(r.k),
    count: r.count,
    keyClues: r.key_clues,
    amountCny: Number(r.amount),
    participants: Number(r.participants),
  }));
  if (order) out.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
  return out;
}

/**
 * Every figure of the span. With `unitId`: that unit's clues (lead or co-handling) and the clocks on
 * which it must act; without: the district.
 */
export async function campaignFigures(
  em: EntityManager,
  campaign: CampaignInfo,
  locale: Locale,
  o: { unitId?: string; asOf?: number } = {},
): Promise<Figures> {
  const asOf = new Date(o.asOf ?? Date.now());
  const units = await unitNames(em);
  const nameOf = (id: string) => unitLabel(units, locale, id);

  const w = ['c.created_at >= ?', 'c.created_at <= ?'];
  const wp: unknown[] = [new Date(campaign.from), new Date(campaign.to)];
  if (o.unitId) {
    w.push('(c.lead_unit_id = ? or ? = any(c.co_handling_unit_ids))');
    wp.push(o.unitId, o.unitId);
  }
  const where = w.join(' and ');

  const [t] = await sql<Record<string, number | string>[]>(
    em,
    `select count(*)::int as clues, count(*) filter (where c.key_clue)::int as key_clues,
            coalesce(sum(c.amount_cny), 0) as amount, coalesce(sum(c.participants), 0)::bigint as participants,
            count(*) filter (where c.stage <> 'closed')::int as open, count(*) filter (where c.stage = 'closed')::int as closed,
            count(*) filter (where c.referred_to_unit_id is not null)::int as referred,
            count(*) filter (where c.stage = 'monitoring')::int as monitoring,
            count(*) filter (where c.online)::int as online,
            count(*) filter (where c.targets_vulnerable)::int as vulnerable,
            coalesce(sum(c.participants) filter (where c.targets_vulnerable), 0)::bigint as vulnerable_participants,
            count(*) filter (where c.key_clue and c.stage <> 'closed')::int as open_key,
            coalesce(sum(c.amount_cny) filter (where c.key_clue and c.stage <> 'closed'), 0) as open_key_amount,
            coalesce(sum(c.participants) filter (where c.key_clue and c.stage <> 'closed'), 0)::bigint as open_key_participants,
            count(*) filter (where c.key_clue and c.stage <> 'closed' and c.grade = 'I')::int as open_key_grade_i
       from clues c where ${where}`,
    wp,
  );
  const n = (k: string) => Number(t?.[k] ?? 0);
  const totals: ClueTotals = {
    clues: n('clues'),
    keyClues: n('key_clues'),
    amountCny: n('amount'),
    participants: n('participants'),
    open: n('open'),
    closed: n('closed'),
    referred: n('referred'),
    monitoring: n('monitoring'),
    online: n('online'),
    vulnerable: n('vulnerable'),
    vulnerableParticipants: n('vulnerable_participants'),
    openKey: n('open_key'),
    openKeyAmountCny: n('open_key_amount'),
    openKeyParticipants: n('open_key_participants'),
    openKeyGradeI: n('open_key_grade_i'),
  };

  const AGG = `count(*)::int as count, count(*) filter (where c.key_clue)::int as key_clues,
               coalesce(sum(c.amount_cny), 0) as amount, coalesce(sum(c.participants), 0)::bigint as participants`;
  const group = (expr: string, from = 'clues c') =>
    sql<Agg[]>(
      em,
      `select ${expr} as k, ${AGG} from ${from} where ${where} group by 1 order by count desc, amount desc, 1`,
      wp,
    );
  const [byArea, byBehaviour, byGrade, byUnit] = await Promise.all([
    group('c.key_area'),
    group('b.behaviour', 'clues c cross join lateral unnest(c.key_behaviours) as b(behaviour)'),
    group('c.grade'),
    group('c.lead_unit_id'),
  ]);

  // Approved plans: the plan submitted last before the latest approving review.
  const approvedCte = `span as (select c.id, c.amount_cny, c.participants, c.stage from clues c where ${where}),
    approved as (
      select s.id, s.amount_cny, s.participants, p.strategies from span s
        join lateral (select r.at, r.id from timeline_events r
                       where r.owner_type = 'clue' and r.owner_id = s.id and r.kind = 'plan.reviewed' and r.data->>'decision' = 'approve'
                       order by r.at desc, r.id desc limit 1) r on true
        join lateral (select p.data->'strategies' as strategies from timeline_events p
                       where p.owner_type = 'clue' and p.owner_id = s.id and p.kind = 'plan.submitted' and (p.at, p.id) < (r.at, r.id)
                       order by p.at desc, p.id desc limit 1) p on true)`;
  const [disposalRows, [planCounts]] = await Promise.all([
    sql<{ strategy: string; clues: number; amount: number | string; participants: number | string }[]>(
      em,
      `with ${approvedCte}
       select st.strategy, count(distinct a.id)::int as clues, coalesce(sum(a.amount_cny), 0) as amount, coalesce(sum(a.participants), 0)::bigint as participants
         from approved a cross join lateral jsonb_array_elements_text(case when jsonb_typeof(a.strategies) = 'array' then a.strategies else '[]'::jsonb end) as st(strategy)
        group by 1`,
      wp,
    ),
    sql<{ approved: number; pending: number; without: number }[]>(
      em,
      `with ${approvedCte}
       select (select count(*) from approved)::int as approved,
              (select count(*) from span s where s.stage = 'plan_review' and s.id not in (select id from approved))::int as pending,
              (select count(*) from span s where s.stage not in ('plan_review', 'closed') and s.id not in (select id from approved))::int as without`,
      wp,
    ),
  ]);
  const byStrategy = new Map(disposalRows.map((r) => [r.strategy, r]));
  const disposal: DisposalFigures = {
    approvedPlans: planCounts?.approved ?? 0,
    pendingPlans: planCounts?.pending ?? 0,
    withoutPlan: planCounts?.without ?? 0,
    rows: DISPOSAL_TYPES.map((s) => {
      const r = byStrategy.get(s);
      return {
        strategy: s,
        label: lbl(locale, 'strategy', s),
        clues: r?.clues ?? 0,
        amountCny: Number(r?.amount ?? 0),
        participants: Number(r?.participants ?? 0),
      };
    }),
  };

  // Referrals: each referred clue by the status of its latest referral.
  const [ref] = await sql<{ referred: number; accepted: number; returned: number; awaiting: number }[]>(
    em,
    `select count(*)::int as referred, count(*) filter (where x.status = 'accepted')::int as accepted,
            count(*) filter (where x.status = 'returned')::int as returned, count(*) filter (where x.status = 'awaiting')::int as awaiting
       from (select distinct on (r.clue_id) r.clue_id, r.status from referrals r
              where r.clue_id in (select c.id from clues c where ${where}) order by r.clue_id, r.seq desc) x`,
    wp,
  );
  const referrals: ReferralFigures = {
    referred: ref?.referred ?? 0,
    accepted: ref?.accepted ?? 0,
    returned: ref?.returned ?? 0,
    awaiting: ref?.awaiting ?? 0,
  };

  // Deadline clocks of the span's clues and of the campaign's deliverables.
  const clockScope = `((k.owner_type = 'clue' and k.owner_id in (select c.id from clues c where ${where}))
                       or (k.owner_type = 'campaign' and k.owner_id = ?))${o.unitId ? ' and k.unit_id = ?' : ''}`;
  const clockParams = [...wp, campaign.id, ...(o.unitId ? [o.unitId] : [])];
  const clockRows = await sql<(OnTimeRow & { unit_id: string })[]>(
    em,
    `select k.unit_id, ${ON_TIME_COLUMNS}
       from clocks k where ${clockScope} group by k.unit_id order by k.unit_id`,
    [asOf, asOf, ...clockParams],
  );
  const onTimeByUnit: UnitOnTime[] = clockRows.map((r) => ({
    unitId: r.unit_id,
    unitName: nameOf(r.unit_id),
    ...onTimeOf([r]),
  }));
  const overdueUnits = clockRows
    .filter((r) => Number(r.open_overdue) > 0)
    .sort((a, b) => Number(b.open_overdue) - Number(a.open_overdue) || a.unit_id.localeCompare(b.unit_id))
    .map((r) => ({ unitId: r.unit_id, unitName: nameOf(r.unit_id), openOverdue: Number(r.open_overdue) }));

  const acc = await sql<{ unit_id: string; n: number }[]>(
    em,
    `select a.unit_id, count(*)::int as n from accountability_records a
      where ((a.owner_type = 'clue' and a.owner_id in (select c.id from clues c where ${where}))
             or (a.owner_type = 'campaign' and a.owner_id = ?))${o.unitId ? ' and a.unit_id = ?' : ''}
      group by a.unit_id order by n desc, a.unit_id`,
    clockParams,
  );

  // Present-tense status over the whole ledger, as the notice's "free of illegal fund-raising" (VI.3).
  const openKey = await sql<{ unit_id: string; n: number }[]>(
    em,
    `select u.unit_id, count(distinct c.id)::int as n
       from clues c cross join lateral unnest(array_prepend(c.lead_unit_id, c.co_handling_unit_ids)) as u(unit_id)
      where c.key_clue and c.stage <> 'closed' group by u.unit_id`,
  );
  const openKeyByUnit = new Map(openKey.map((r) => [r.unit_id, r.n]));
  const free = await sql<{ id: string }[]>(
    em,
    `select id from units where active and kind in ('town', 'community') order by kind desc, id`,
  );

  return {
    asOf: asOf.toISOString(),
    totals,
    byKeyArea: buckets(byArea, (k) => lbl(locale, 'keyArea', k)),
    byBehaviour: buckets(byBehaviour, (k) => lbl(locale, 'keyBehaviour', k)),
    byGrade: buckets(byGrade, (k) => lbl(locale, 'grade', k), GRADES),
    byUnit: buckets(byUnit, nameOf),
    disposal,
    referrals,
    onTime: onTimeOf(clockRows),
    onTimeByUnit,
    overdueUnits,
    accountability: acc.map((a) => ({ unitId: a.unit_id, unitName: nameOf(a.unit_id), records: a.n })),
    freeUnits: free
      .filter((u) => !openKeyByUnit.has(u.id))
      .map((u) => ({ unitId: u.id, unitName: nameOf(u.id) })),
    openKeyByUnit,
  };
}
