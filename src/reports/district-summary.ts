/**
 * District summary report of a campaign (notice VI.4) as an official document (GB/T 9704-2012, see
 * ./official-document): figures for the campaign's span by key area, behaviour, grade and disposal
 * type (approved plans), the measures taken written as one district-level account generated from those
 * figures, each unit's deliverables with the units that missed one named, an on-time rate in which open
 * overdue items count as late, causes, difficulties and risk outlook drawn from the ledger, at most three
 * typical cases, next steps, and the units' own summary reports as the annex.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../db/sql';
import type { Locale } from '../domain/enums';
import { campaignDeliverables, type DeliverablesSummary, type Tally } from './deliverables';
import {
  campaignFigures,
  lbl,
  loadCampaignInfo,
  type Bucket,
  type CampaignInfo,
  type Figures,
  type Named,
} from './figures';
import { amountCell, amountText, documentDate, listJoin, percent } from './format';
import {
  Outline,
  titlePartsAround,
  type Annex,
  type Block,
  type OfficialDocument,
} from './official-document';
import { rt, type ReportKey } from './text';

export { ReportNotFound } from './figures';
export const MAX_TYPICAL_CASES = 3;

export interface UnitSummaryReport {
  unitId: string;
  unitName: string;
  filedAt: string;
  late: boolean;
  overallSituation: string;
  regionalDistribution: string;
  causes: string;
  difficultiesAndOutlook: string;
  nextSteps: string;
  typicalCases: { clueId: string; clueRef?: string; title?: string; summary?: string }[];
}

export interface TypicalCaseView {
  n: number;
  clueId: string;
  ref: string;
  subject: string;
  title: string;
  summary: string;
  unitName: string;
  amountCny: number;
  participants: number;
  grade: string;
  gradeLabel: string;
  stage: string;
  stageLabel: string;
  riskScore: number;
}

export interface RegionRow extends Named {
  clues: number;
  keyClues: number;
  amountCny: number;
  participants: number;
  openKeyClues: number;
  onTimeRate: number | null;
}

export interface DistrictSummary {
  kind: 'district-summary';
  locale: Locale;
  asOf: string;
  campaign: CampaignInfo;
  issuer: string;
  date: string;
  figures: Omit<Figures, 'openKeyByUnit'>;
  regions: RegionRow[];
  deliverables: DeliverablesSummary;
  typicalCases: TypicalCaseView[];
  unitReports: UnitSummaryReport[];
  document: OfficialDocument;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The issuing office: the District Office unit's registered Chinese name; the catalogue's otherwise. */
export async function issuerName(em: EntityManager, locale: Locale): Promise<string> {
  if (locale === 'en') return rt(locale, 'report.issuer');
  const [u] = await sql<{ name_zh: string }[]>(
    em,
    `select name_zh from units where kind = 'district_office' and active order by id limit 1`,
  );
  return u?.name_zh || rt(locale, 'report.issuer');
}

async function unitSummaryReports(
  em: EntityManager,
  campaignId: string,
  nameOf: (id: string) => string,
): Promise<UnitSummaryReport[]> {
  // The latest summary report of each unit (its latest participation, latest filing).
  const rows = await sql<
    { unit_id: string; content: Record<string, unknown>; filed_at: Date; late: boolean }[]
  >(
    em,
    `select distinct on (d.unit_id) d.unit_id, d.content, d.filed_at, d.late
       from campaign_deliverables d
      where d.campaign_id = ? and d.kind = 'summary_report'
      order by d.unit_id, d.participation desc, d.seq desc`,
    [campaignId],
  );
  return rows
    .map((r) => ({
      unitId: r.unit_id,
      unitName: nameOf(r.unit_id),
      filedAt: new Date(r.filed_at).toISOString(),
      late: r.late,
      overallSituation: str(r.content.overallSituation),
      regionalDistribution: str(r.content.regionalDistribution),
      causes: str(r.content.causes),
      difficultiesAndOutlook: str(r.content.difficultiesAndOutlook),
      nextSteps: str(r.content.nextSteps),
      typicalCases: (Array.isArray(r.content.typicalCases)
        ? (r.content.typicalCases as Record<string, unknown>[])
        : []
      )
        .filter((c) => typeof c?.clueId === 'string')
        .map((c) => ({
          clueId: String(c.clueId),
          clueRef: str(c.clueRef) || undefined,
          title: str(c.title) || undefined,
          summary: str(c.summary) || undefined,
        })),
    }))
    .sort((a, b) => a.unitId.localeCompare(b.unitId));
}

/** At most three across units, the gravest clues first, each clue once (the lead unit's account wins). */
async function typicalCasesOf(
  em: EntityManager,
  reports: UnitSummaryReport[],
  locale: Locale,
  nameOf: (id: string) => string,
  max: number,
): Promise<TypicalCaseView[]> {
  const proposed = reports.flatMap((r) => r.typicalCases.map((c) => ({ ...c, unitId: r.unitId })));
  const ids = [...new Set(proposed.map((c) => c.clueId))];
  if (!ids.length) return [];
  const clues = await sql<
    {
      id: string;
      ref: string;
      subject_name: string;
      amount_cny: number | string;
      participants: number;
      grade: string;
      stage: string;
      risk_score: number;
      seq: number;
      lead_unit_id: string;
    }[]
  >(
    em,
    'select id, ref, subject_name, amount_cny, participants, grade, stage, risk_score, seq, lead_unit_id from clues where id = any(?::text[])',
    [`{${ids.map((i) => `"${i.replace(/["\\]/g, '')}"`).join(',')}}`],
  );
  const byId = new Map(clues.map((c) => [c.id, c]));
  const seen = new Set<string>();
  return proposed
    .filter((c) => byId.has(c.clueId))
    .sort((a, b) => {
      const x = byId.get(a.clueId)!;
      const y = byId.get(b.clueId)!;
      const own = (c: typeof a, k: typeof x) => (c.unitId === k.lead_unit_id ? 0 : 1);
      return y.risk_score - x.risk_score || x.seq - y.seq || own(a, x) - own(b, y);
    })
    .filter((c) => (seen.has(c.clueId) ? false : (seen.add(c.clueId), true)))
    .slice(0, Math.min(max, MAX_TYPICAL_CASES))
    .map((c, i) => {
      const k = byId.get(c.clueId)!;
      return {
        n: i + 1,
        clueId: k.id,
        ref: k.ref,
        subject: k.subject_name,
        title: c.title ?? k.subject_name,
        summary: c.summary ?? '',
        unitName: nameOf(k.lead_unit_id),
        amountCny: Number(k.amount_cny),
        participants: k.participants,
        grade: k.grade,
        gradeLabel: lbl(locale, 'grade', k.grade),
        stage: k.stage,
        stageLabel: lbl(locale, 'stage', k.stage),
        riskScore: k.risk_score,
      };
    });
}

export async function assembleDistrictSummary(
  em: EntityManager,
  campaignId: string,
  locale: Locale,
  o: { asOf?: number } = {},
): Promise<DistrictSummary> {
  const asOf = o.asOf ?? Date.now();
  const campaign = await loadCampaignInfo(em, campaignId);
  const [figures, deliverables, issuer] = await Promise.all([
    campaignFigures(em, campaign, locale, { asOf }),
    campaignDeliverables(em, campaignId, locale),
    issuerName(em, locale),
  ]);
  const names = new Map<string, string>();
  for (const b of figures.byUnit) names.set(b.key, b.label);
  for (const u of deliverables.units) names.set(u.unitId, u.unitName);
  const unitRows = await sql<{ id: string; name_zh: string; name_en: string }[]>(
    em,
    'select id, name_zh, name_en from units',
  );
  for (const u of unitRows) names.set(u.id, locale === 'en' ? u.name_en : u.name_zh);
  const nameOf = (id: string) => names.get(id) ?? id;

  const unitReports = await unitSummaryReports(em, campaignId, nameOf);
  const typicalCases = await typicalCasesOf(em, unitReports, locale, nameOf, campaign.maxTypicalCases);
  const onTimeBy = new Map(figures.onTimeByUnit.map((u) => [u.unitId, u.rate]));
  const regions: RegionRow[] = figures.byUnit.map((b) => ({
    unitId: b.key,
    unitName: b.label,
    clues: b.count,
    keyClues: b.keyClues,
    amountCny: b.amountCny,
    participants: b.participants,
    openKeyClues: figures.openKeyByUnit.get(b.key) ?? 0,
    onTimeRate: onTimeBy.get(b.key) ?? null,
  }));
  const date = documentDate(asOf, locale);
  const { openKeyByUnit: _omit, ...plainFigures } = figures;
  void _omit;
  const s: Omit<DistrictSummary, 'document'> = {
    kind: 'district-summary',
    locale,
    asOf: new Date(asOf).toISOString(),
    campaign,
    issuer,
    date,
    figures: plainFigures,
    regions,
    deliverables,
    typicalCases,
    unitReports,
  };
  return { ...s, document: districtDocument(s) };
}

// ── the document ─────────────────────────────────────────────────────────────────────────────────

type Params = Record<string, string | number>;

/** Shared pieces of the district and unit documents. */
export function writer(locale: Locale) {
  const r = (key: ReportKey, p: Params = {}) => rt(locale, key, p);
  const names = (xs: { unitName: string }[]) =>
    listJoin(
      xs.map((x) => x.unitName),
      locale,
    ) || r('report.none');
  const counts = (xs: { label: string; count: number }[], max = xs.length) =>
    listJoin(
      xs
        .filter((x) => x.count > 0)
        .slice(0, max)
        .map((x) => r('report.count', { label: x.label, n: x.count })),
      locale,
    ) || r('report.none');
  const bucketTable = (o: Outline, first: ReportKey, rows: Bucket[]) =>
    o.table(
      [
        { title: r(first) },
        { title: r('report.col.clues'), numeric: true },
        { title: r('report.col.keyClues'), numeric: true },
        { title: r('report.col.amount'), numeric: true },
        { title: r('report.col.participants'), numeric: true },
      ],
      rows.map((b) => [
        b.label,
        String(b.count),
        String(b.keyClues),
        amountCell(b.amountCny, locale),
        String(b.participants),
      ]),
    );
  const disposalTable = (o: Outline, f: Figures['disposal']) =>
    o.table(
      [
        { title: r('report.col.disposal') },
        { title: r('report.col.clues'), numeric: true },
        { title: r('report.col.amount'), numeric: true },
        { title: r('report.col.participants'), numeric: true },
      ],
      f.rows.map((d) => [d.label, String(d.clues), amountCell(d.amountCny, locale), String(d.participants)]),
    );
  const onTimeText = (f: Figures['onTime']) =>
    f.counted > 0
      ? r('report.onTime.text', {
          total: f.counted,
          onTime: f.onTime,
          lateDone: f.lateDone,
          openOverdue: f.openOverdue,
          rate: percent(f.rate),
          openNotDue: f.openNotDue,
        })
      : r('report.onTime.empty', { openNotDue: f.openNotDue });
  const disposalList = (f: Figures['disposal']) =>
    listJoin(
      f.rows.map((d) => r('report.count', { label: d.label, n: d.clues })),
      locale,
    );
  const state = (s: string) => r(`report.state.${s}` as ReportKey);
  return { r, names, counts, bucketTable, disposalTable, onTimeText, disposalList, state };
}

function tallyParagraphs(
  w: ReturnType<typeof writer>,
  t: Tally,
  text: ReportKey,
  missing: ReportKey,
  late: ReportKey | undefined,
): string[] {
  return [
    w.r(text, {
      onTime: t.onTime.length,
      late: t.late.length,
      missing: t.missing.length,
      pending: t.pending.length,
    }),
    t.missing.length ? w.r(missing, { units: w.names(t.missing) }) : '',
    late && t.late.length ? w.r(late, { units: w.names(t.late) }) : '',
  ];
}

function districtDocument(s: Omit<DistrictSummary, 'document'>): OfficialDocument {
  const L = s.locale;
  const w = writer(L);
  const { r } = w;
  const f = s.figures;
  const t = f.totals;
  const d = s.deliverables;
  const o = new Outline(L);
  const grade = (g: string) => f.byGrade.find((b) => b.key === g)?.count ?? 0;
  const from = documentDate(Date.parse(s.campaign.from), L);
  const to = documentDate(Date.parse(s.campaign.to), L);

  o.p(r('report.district.intro', { campaign: s.campaign.name, from, to }));

  // 一、总体情况
  o.h1(r('report.h.overall'));
  o.h2(r('report.h.clues'));
  o.p(
    t.clues > 0
      ? r('report.overall.clues', {
          clues: t.clues,
          amount: amountText(t.amountCny, L),
          participants: t.participants,
          keyClues: t.keyClues,
          gI: grade('I'),
          gII: grade('II'),
          gIII: grade('III'),
          gIV: grade('IV'),
          closed: t.closed,
          referred: t.referred,
          open: t.open,
        })
      : r('report.overall.empty'),
  );
  if (t.clues > 0) {
    o.h2(r('report.h.breakdown'));
    o.h3(r('report.h.byArea'), r('report.byArea.text', { list: w.counts(f.byKeyArea, 3) }));
    w.bucketTable(o, 'report.col.keyArea', f.byKeyArea);
    o.h3(r('report.h.byBehaviour'), r('report.byBehaviour.text', { list: w.counts(f.byBehaviour, 3) }));
    w.bucketTable(o, 'report.col.behaviour', f.byBehaviour);
    o.h3(r('report.h.byGrade'), r('report.byGrade.text', { list: w.counts(f.byGrade) }));
    w.bucketTable(o, 'report.col.grade', f.byGrade);
  }

  // 二、处置措施
  o.h1(r('report.h.measures'));
  o.h2(r('report.h.plans'));
  o.p(
    r('report.plans.text', {
      date: s.date,
      approved: f.disposal.approvedPlans,
      pending: f.disposal.pendingPlans,
      none: f.disposal.withoutPlan,
      list: w.disposalList(f.disposal),
    }),
  );
  w.disposalTable(o, f.disposal);
  o.h2(r('report.h.effect'));
  const measures = f.disposal.rows
    .filter((x) => x.clues > 0)
    .map((x) => r(`report.measure.${x.strategy}` as ReportKey, { n: x.clues }));
  o.p(
    [
      measures.length
        ? r('report.effect.measures', { list: measures.join(L === 'en' ? '; ' : '，') })
        : r('report.effect.noMeasures'),
      f.referrals.referred > 0 ? r('report.effect.referrals', { ...f.referrals }) : '',
      t.monitoring + t.closed > 0
        ? r('report.effect.monitoring', { monitoring: t.monitoring, closed: t.closed })
        : '',
    ]
      .filter(Boolean)
      .join(L === 'en' ? ' ' : ''),
  );
  o.h2(r('report.h.deadlines'));
  o.p(
    [
      w.onTimeText(f.onTime),
      f.onTime.escalated > 0
        ? r('report.onTime.escalated', {
            escalated: f.onTime.escalated,
            high: f.onTime.escalatedHigh,
            accountability: f.accountability.length
              ? r('report.onTime.accountability', { units: w.names(f.accountability) })
              : r('report.onTime.noAccountability'),
          })
        : '',
    ]
      .filter(Boolean)
      .join(L === 'en' ? ' ' : ''),
  );

  // 三、各单位工作落实情况
  o.h1(r('report.h.deliverables'));
  const counted = d.units.filter((u) => u.participation !== 'withdrawn');
  o.p(r('report.deliv.intro', { units: counted.length }));
  o.table(
    [
      { title: r('report.col.unit') },
      { title: r('report.col.plan') },
      { title: r('report.col.info') },
      { title: r('report.col.report') },
    ],
    d.units.map((u) => [
      u.unitName,
      w.state(u.implementationPlan),
      `${r('report.state.info', { filed: u.workInformation.filed, required: u.workInformation.required })} ${w.state(u.workInformation.state)}`,
      w.state(u.summaryReport),
    ]),
  );
  o.h2(r('report.h.implPlan'));
  o.p(
    ...tallyParagraphs(
      w,
      d.implementationPlan,
      'report.deliv.plan',
      'report.deliv.plan.missing',
      'report.deliv.plan.late',
    ),
  );
  o.h2(r('report.h.info'));
  const infoItem = (x: Named & { filed?: number }) => ({
    unitName: r('report.deliv.info.item', { unit: x.unitName, filed: x.filed ?? 0 }),
  });
  o.p(
    r('report.deliv.info', {
      required: d.required,
      complete: d.workInformation.onTime.length + d.workInformation.late.length,
      total: d.totalInformation,
    }),
    d.workInformation.missing.length
      ? r('report.deliv.info.missing', { units: w.names(d.workInformation.missing.map(infoItem)) })
      : '',
    d.workInformation.pending.length
      ? r('report.deliv.info.short', { units: w.names(d.workInformation.pending.map(infoItem)) })
      : '',
  );
  o.h2(r('report.h.summaryReport'));
  o.p(
    ...tallyParagraphs(
      w,
      d.summaryReport,
      'report.deliv.report',
      'report.deliv.report.missing',
      'report.deliv.report.late',
    ),
    d.withdrawn.length ? r('report.deliv.withdrawn', { units: w.names(d.withdrawn) }) : '',
  );

  // 四、区域分布
  o.h1(r('report.h.regional'));
  const top = s.regions.filter((x) => x.clues > 0).slice(0, 3);
  const topN = top.reduce((a, x) => a + x.clues, 0);
  o.p(
    t.clues > 0
      ? r('report.regional.text', {
          list: listJoin(
            top.map((x) => r('report.unitCount', { unit: x.unitName, n: x.clues })),
            L,
          ),
          n: topN,
          share: percent(topN / t.clues),
        })
      : '',
    f.freeUnits.length ? r('report.regional.free', { units: w.names(f.freeUnits) }) : '',
  );
  o.table(
    [
      { title: r('report.col.unit') },
      { title: r('report.col.clues'), numeric: true },
      { title: r('report.col.keyClues'), numeric: true },
      { title: r('report.col.amount'), numeric: true },
      { title: r('report.col.openKey'), numeric: true },
      { title: r('report.col.onTime'), numeric: true },
    ],
    s.regions.map((x) => [
      x.unitName,
      String(x.clues),
      String(x.keyClues),
      amountCell(x.amountCny, L),
      String(x.openKeyClues),
      percent(x.onTimeRate),
    ]),
  );

  // 五、成因分析
  o.h1(r('report.h.causes'));
  o.p(
    t.clues > 0
      ? r('report.causes.areas', { areas: w.counts(f.byKeyArea, 3), behaviours: w.counts(f.byBehaviour, 3) })
      : r('report.overall.empty'),
    t.online > 0 ? r('report.causes.online', { online: t.online, share: percent(t.online / t.clues) }) : '',
    t.vulnerable > 0
      ? r('report.causes.vulnerable', { vulnerable: t.vulnerable, participants: t.vulnerableParticipants })
      : '',
  );

  // 六、困难问题及风险研判
  o.h1(r('report.h.outlook'));
  const lateUnits = new Map<string, Named>();
  for (const x of [
    ...d.implementationPlan.missing,
    ...d.workInformation.missing,
    ...d.summaryReport.missing,
    ...d.implementationPlan.late,
    ...d.summaryReport.late,
  ])
    lateUnits.set(x.unitId, x);
  const difficulties = [
    f.onTime.openOverdue > 0
      ? r('report.outlook.overdue', { n: f.onTime.openOverdue, units: w.names(f.overdueUnits.slice(0, 5)) })
      : '',
    f.referrals.returned > 0 ? r('report.outlook.returned', { n: f.referrals.returned }) : '',
    f.disposal.pendingPlans + f.disposal.withoutPlan > 0
      ? r('report.outlook.pending', { n: f.disposal.pendingPlans + f.disposal.withoutPlan })
      : '',
    lateUnits.size > 0 ? r('report.outlook.deliverables', { n: lateUnits.size }) : '',
  ].filter(Boolean);
  o.p(...(difficulties.length ? difficulties : [r('report.outlook.smooth')]));
  const keyUnits = [...figuresOpenKey(s)].slice(0, 3);
  o.p(
    t.openKey > 0
      ? r('report.outlook.risk', {
          n: t.openKey,
          amount: amountText(t.openKeyAmountCny, L),
          participants: t.openKeyParticipants,
          units: w.names(keyUnits),
          gI: t.openKeyGradeI,
        })
      : r('report.outlook.calm'),
  );

  // 七、典型案例
  o.h1(r('report.h.cases'));
  if (!s.typicalCases.length) o.p(r('report.noCases'));
  for (const c of s.typicalCases) {
    o.h2(r('report.case.title', { title: c.title, ref: c.ref }));
    o.p(
      r('report.case.facts', {
        unit: c.unitName,
        amount: amountText(c.amountCny, L),
        participants: c.participants,
        grade: c.gradeLabel,
        stage: c.stageLabel,
      }),
      c.summary,
    );
  }

  // 八、下一步工作措施
  o.h1(r('report.h.nextSteps'));
  if (f.onTime.openOverdue > 0)
    o.h2(
      r('report.next.overdue.h'),
      r('report.next.overdue', { n: f.onTime.openOverdue, units: w.names(f.overdueUnits.slice(0, 5)) }),
    );
  if (f.disposal.pendingPlans + f.disposal.withoutPlan > 0)
    o.h2(
      r('report.next.plans.h'),
      r('report.next.plans', { n: f.disposal.pendingPlans + f.disposal.withoutPlan }),
    );
  if (t.openKey > 0) o.h2(r('report.next.key.h'), r('report.next.key', { n: t.openKey }));
  if (t.clues > 0)
    o.h2(
      r('report.next.areas.h'),
      r('report.next.areas', {
        areas: listJoin(
          f.byKeyArea.slice(0, 2).map((b) => b.label),
          L,
        ),
      }),
    );
  o.h2(r('report.next.lasting.h'), r('report.next.lasting'));

  const annex: Annex = {
    label: r('report.annex.label'),
    title: r('report.annex.title'),
    blocks: annexBlocks(s),
  };
  return {
    locale: L,
    title: r('report.district.title', { campaign: s.campaign.name }),
    titleParts: titlePartsAround(r('report.district.title', { campaign: s.campaign.name }), [
      s.campaign.name,
    ]),
    blocks: o.blocks,
    annexNote: r('report.annexNote'),
    issuer: s.issuer,
    date: s.date,
    annexes: [annex],
  };
}

/** Units with open key clues, most first (by the regional rows, whose names are already localized). */
function figuresOpenKey(s: Omit<DistrictSummary, 'document'>): Named[] {
  return s.regions
    .filter((x) => x.openKeyClues > 0)
    .sort((a, b) => b.openKeyClues - a.openKeyClues || a.unitId.localeCompare(b.unitId));
}

/** The annex: each unit's own summary report, as filed. */
function annexBlocks(s: Omit<DistrictSummary, 'document'>): Block[] {
  const L = s.locale;
  const r = (key: ReportKey, p: Params = {}) => rt(L, key, p);
  const o = new Outline(L);
  if (!s.unitReports.length) return o.p(r('report.annex.none')).blocks;
  for (const u of s.unitReports) {
    o.h1(u.unitName);
    o.p(
      r('report.annex.filed', {
        date: documentDate(Date.parse(u.filedAt), L),
        late: u.late ? r('report.annex.late') : '',
      }),
    );
    const cases = u.typicalCases.map((c) =>
      r('report.annex.case', { title: c.title ?? '', ref: c.clueRef ?? '', summary: c.summary ?? '' }),
    );
    const parts: [ReportKey, string][] = [
      ['report.annex.overall', u.overallSituation],
      ['report.annex.regional', u.regionalDistribution],
      ['report.annex.causes', u.causes],
      ['report.annex.outlook', u.difficultiesAndOutlook],
      ['report.annex.cases', cases.join('\n')],
      ['report.annex.nextSteps', u.nextSteps],
    ];
    for (const [k, text] of parts) {
      if (!text) continue;
      o.h2(r(k));
      o.p(text);
    }
  }
  return o.blocks;
}
