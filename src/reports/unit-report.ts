/**
 * One unit's report in a campaign, in the same official-document layout as the district summary: the
 * clues it led or co-handled in the campaign's span (with the disposal types of their approved plans),
 * its deliverables, its on-time rate (open overdue items late) and what is overdue.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../db/sql';
import type { Locale } from '../domain/enums';
import { t, type MessageKey } from '../i18n';
import { campaignDeliverables, type UnitDeliverables } from './deliverables';
import { issuerName, writer } from './district-summary';
import {
  campaignFigures,
  DISPOSAL_TYPES,
  lbl,
  loadCampaignInfo,
  ReportNotFound,
  type CampaignInfo,
  type Figures,
} from './figures';
import { amountText, documentDate, listJoin } from './format';
import { Outline, titlePartsAround, type OfficialDocument } from './official-document';

/** Rows of the clue table; beyond this the table says how many it lists. */
export const MAX_CLUE_ROWS = 100;

export interface UnitClueLine {
  clueId: string;
  ref: string;
  subject: string;
  role: 'lead' | 'co';
  grade: string;
  gradeLabel: string;
  stage: string;
  stageLabel: string;
  /** Disposal types of the clue's approved plan, in the documents' order. */
  disposal: string[];
}

export interface OverdueItem {
  ownerType: string;
  ref: string;
  task: string;
  taskLabel: string;
  level: number;
  dueAt: string;
}

export interface UnitReport {
  kind: 'unit-report';
  locale: Locale;
  asOf: string;
  campaign: CampaignInfo;
  unit: { unitId: string; unitName: string; participates: boolean };
  issuer: string;
  date: string;
  figures: Omit<Figures, 'openKeyByUnit'>;
  leadClues: number;
  coClues: number;
  clues: UnitClueLine[];
  deliverables: UnitDeliverables | null;
  overdue: { open: number; high: number; items: OverdueItem[] };
  accountabilityRecords: number;
  document: OfficialDocument;
}

const APPROVED_STRATEGIES = `left join lateral (
    select p.data->'strategies' as strategies from timeline_events r
      join lateral (select p.data from timeline_events p
                     where p.owner_type = 'clue' and p.owner_id = c.id and p.kind = 'plan.submitted' and (p.at, p.id) < (r.at, r.id)
                     order by p.at desc, p.id desc limit 1) p on true
     where r.owner_type = 'clue' and r.owner_id = c.id and r.kind = 'plan.reviewed' and r.data->>'decision' = 'approve'
     order by r.at desc, r.id desc limit 1) a on true`;

export async function assembleUnitReport(
  em: EntityManager,
  campaignId: string,
  unitId: string,
  locale: Locale,
  o: { asOf?: number } = {},
): Promise<UnitReport> {
  const asOf = o.asOf ?? Date.now();
  const campaign = await loadCampaignInfo(em, campaignId);
  const [unit] = await sql<{ id: string; name_zh: string; name_en: string }[]>(
    em,
    'select id, name_zh, name_en from units where id = ?',
    [unitId],
  );
  if (!unit) throw new ReportNotFound('unit');
  const unitName = locale === 'en' ? unit.name_en : unit.name_zh;
  const [figures, deliverables, issuer] = await Promise.all([
    campaignFigures(em, campaign, locale, { unitId, asOf }),
    campaignDeliverables(em, campaignId, locale, unitId),
    issuerName(em, locale),
  ]);
  const span = [new Date(campaign.from), new Date(campaign.to), unitId, unitId];
  const [counts] = await sql<{ lead: number; co: number }[]>(
    em,
    `select count(*) filter (where c.lead_unit_id = ?)::int as lead, count(*) filter (where c.lead_unit_id <> ?)::int as co
       from clues c where c.created_at >= ? and c.created_at <= ? and (c.lead_unit_id = ? or ? = any(c.co_handling_unit_ids))`,
    [unitId, unitId, ...span],
  );
  const rows = await sql<
    {
      id: string;
      ref: string;
      subject_name: string;
      lead_unit_id: string;
      grade: string;
      stage: string;
      strategies: unknown;
    }[]
  >(
    em,
    `select c.id, c.ref, c.subject_name, c.lead_unit_id, c.grade, c.stage, a.strategies
       from clues c ${APPROVED_STRATEGIES}
      where c.created_at >= ? and c.created_at <= ? and (c.lead_unit_id = ? or ? = any(c.co_handling_unit_ids))
      order by c.risk_score desc, c.seq limit ${MAX_CLUE_ROWS}`,
    span,
  );
  const clues: UnitClueLine[] = rows.map((c) => {
    const chosen = Array.isArray(c.strategies) ? (c.strategies as string[]) : [];
    return {
      clueId: c.id,
      ref: c.ref,
      subject: c.subject_name,
      role: c.lead_unit_id === unitId ? 'lead' : 'co',
      grade: c.grade,
      gradeLabel: lbl(locale, 'grade', c.grade),
      stage: c.stage,
      stageLabel: lbl(locale, 'stage', c.stage),
      disposal: DISPOSAL_TYPES.filter((s) => chosen.includes(s)).map((s) => lbl(locale, 'strategy', s)),
    };
  });

  const overdueWhere = `k.unit_id = ? and k.status in ('open', 'paused') and (k.level > 0 or k.due_at <= ?)
      and ((k.owner_type = 'clue' and k.owner_id in (select c.id from clues c where c.created_at >= ? and c.created_at <= ?))
           or (k.owner_type = 'campaign' and k.owner_id = ?))`;
  const overdueParams = [unitId, new Date(asOf), new Date(campaign.from), new Date(campaign.to), campaign.id];
  const [overdueCount] = await sql<{ open: number; high: number }[]>(
    em,
    `select count(*)::int as open, count(*) filter (where k.level >= 2)::int as high from clocks k where ${overdueWhere}`,
    overdueParams,
  );
  const items = await sql<
    { owner_type: string; ref: string | null; task: string; level: number; due_at: Date }[]
  >(
    em,
    `select k.owner_type, c.ref, k.task, k.level, k.due_at from clocks k
       left join clues c on k.owner_type = 'clue' and c.id = k.owner_id
      where ${overdueWhere} order by k.level desc, k.due_at limit 20`,
    overdueParams,
  );
  const taskLabel = (task: string) => {
    const key = `task.${task}` as MessageKey;
    const s = t(locale, key);
    return s === key ? task : s;
  };
  const { openKeyByUnit: _omit, ...plainFigures } = figures;
  void _omit;
  const mine = deliverables.units.find((u) => u.unitId === unitId) ?? null;
  const s: Omit<UnitReport, 'document'> = {
    kind: 'unit-report',
    locale,
    asOf: new Date(asOf).toISOString(),
    campaign,
    unit: { unitId, unitName, participates: mine !== null },
    issuer,
    date: documentDate(asOf, locale),
    figures: plainFigures,
    leadClues: counts?.lead ?? 0,
    coClues: counts?.co ?? 0,
    clues,
    deliverables: mine,
    overdue: {
      open: overdueCount?.open ?? 0,
      high: overdueCount?.high ?? 0,
      items: items.map((i) => ({
        ownerType: i.owner_type,
        ref: i.ref ?? (i.owner_type === 'campaign' ? campaign.name : ''),
        task: i.task,
        taskLabel: taskLabel(i.task),
        level: i.level,
        dueAt: new Date(i.due_at).toISOString(),
      })),
    },
    accountabilityRecords: figures.accountability.reduce((a, x) => a + x.records, 0),
  };
  return { ...s, document: unitDocument(s) };
}

function unitDocument(s: Omit<UnitReport, 'document'>): OfficialDocument {
  const L = s.locale;
  const w = writer(L);
  const { r } = w;
  const f = s.figures;
  const t = f.totals;
  const unit = s.unit.unitName;
  const o = new Outline(L);
  o.p(
    r('report.unit.intro', {
      campaign: s.campaign.name,
      unit,
      from: documentDate(Date.parse(s.campaign.from), L),
      to: documentDate(Date.parse(s.campaign.to), L),
    }),
  );

  o.h1(r('report.unit.h.clues'));
  o.p(
    t.clues > 0
      ? r('report.unit.clues', {
          unit,
          lead: s.leadClues,
          co: s.coClues,
          amount: amountText(t.amountCny, L),
          participants: t.participants,
          keyClues: t.keyClues,
          closed: t.closed,
          open: t.open,
        })
      : r('report.unit.clues.empty', { unit }),
  );
  o.table(
    [
      { title: r('report.col.ref') },
      { title: r('report.col.subject') },
      { title: r('report.col.role') },
      { title: r('report.col.grade') },
      { title: r('report.col.stage') },
      { title: r('report.col.disposal') },
    ],
    s.clues.map((c) => [
      c.ref,
      c.subject,
      r(c.role === 'lead' ? 'report.role.lead' : 'report.role.co'),
      c.gradeLabel,
      c.stageLabel,
      listJoin(c.disposal, L) || '—',
    ]),
  );
  if (t.clues > s.clues.length) o.p(r('report.unit.clues.more', { n: s.clues.length }));

  o.h1(r('report.unit.h.measures'));
  o.p(
    r('report.unit.plans', {
      unit,
      approved: f.disposal.approvedPlans,
      pending: f.disposal.pendingPlans,
      none: f.disposal.withoutPlan,
      list: w.disposalList(f.disposal),
    }),
  );
  w.disposalTable(o, f.disposal);

  o.h1(r('report.unit.h.deliverables'));
  const d = s.deliverables;
  o.p(
    d
      ? r('report.unit.deliv', {
          plan: w.state(d.implementationPlan),
          filed: d.workInformation.filed,
          required: d.workInformation.required,
          info: w.state(d.workInformation.state),
          report: w.state(d.summaryReport),
        })
      : r('report.unit.deliv.absent', { unit }),
  );

  o.h1(r('report.unit.h.deadlines'));
  o.p(w.onTimeText(f.onTime));

  o.h1(r('report.unit.h.problems'));
  o.p(
    s.overdue.open > 0
      ? r('report.unit.problems.overdue', {
          n: s.overdue.open,
          high: s.overdue.high,
          accountability: s.accountabilityRecords,
        })
      : r('report.unit.problems.none'),
    s.overdue.items.length
      ? r('report.unit.problems.items', {
          items: listJoin(
            s.overdue.items.map((i) =>
              r('report.unit.problems.item', { ref: i.ref, task: i.taskLabel, level: i.level }),
            ),
            L,
          ),
        })
      : '',
  );

  return {
    locale: L,
    title: r('report.unit.title', { unit, campaign: s.campaign.name }),
    titleParts: titlePartsAround(r('report.unit.title', { unit, campaign: s.campaign.name }), [
      unit,
      s.campaign.name,
    ]),
    blocks: o.blocks,
    issuer: s.issuer,
    date: s.date,
    annexes: [],
  };
}
