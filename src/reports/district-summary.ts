/**
 * District summary report (notice VI.4): overall situation, regional distribution, causes,
 * difficulties and risk outlook, at most three typical cases, next-step measures — assembled from the
 * risk ledger (statistics over every clue, plus those registered during the campaign) and the units'
 * filed summary reports (`campaign_deliverables` kind `summary_report`). Rendered as .docx (the `docx`
 * package; what the District Office edits and files) or as an HTML page, in Chinese or English.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { sql } from '../db/sql';
import type { Locale } from '../domain/enums';
import { formatLocal } from '../format';
import { label, t, type LabelKind, type LabelValue } from '../i18n';
import { formatAmount } from '../ledger/export';
import { statistics, type Statistics } from '../ledger/statistics';

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

export interface RegionRow {
  unitId: string;
  unitName: string;
  clues: number;
  keyClues: number;
  amountCny: number;
  participants: number;
  openKeyClues: number;
  onTimeRate: number | null;
}

export interface DistrictSummary {
  locale: Locale;
  generatedAt: string;
  campaign: {
    id: string;
    name: string;
    year: number;
    phase: string;
    status: string;
    from: string;
    to: string;
  };
  statistics: Statistics;
  inPeriod: number;
  unitReports: UnitSummaryReport[];
  missingUnits: { unitId: string; unitName: string }[];
  regions: RegionRow[];
  typicalCases: TypicalCaseView[];
  text: {
    title: string;
    issuer: string;
    overall: string[];
    regional: string[];
    causes: string[];
    outlook: string[];
    nextSteps: string[];
  };
}

export class ReportNotFound extends Error {}

function lbl<K extends LabelKind>(locale: Locale, kind: K, value: string): string {
  const s = label(locale, kind, value as LabelValue<K>);
  return s.startsWith(`${kind}.`) ? value : s;
}

const pct = (r: number | null, locale: Locale) =>
  r === null ? t(locale, 'report.noData') : `${(r * 100).toFixed(1)}%`;
const listJoin = (xs: string[], locale: Locale) =>
  xs.length ? xs.join(locale === 'en' ? ', ' : '、') : t(locale, 'report.none');
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

interface CampaignRow {
  id: string;
  name: string;
  year: number;
  phase: string;
  status: string;
  mobilization_start: Date;
  summary_report_due: Date;
  implementation_end: Date;
  ended_at: Date | null;
}

export async function assembleDistrictSummary(
  em: EntityManager,
  campaignId: string,
  locale: Locale,
): Promise<DistrictSummary> {
  let campaign: CampaignRow | undefined;
  try {
    [campaign] = await sql<CampaignRow[]>(
      em,
      'select id, name, year, phase, status, mobilization_start, implementation_end, summary_report_due, ended_at from campaigns where id = ?',
      [campaignId],
    );
  } catch (err) {
    if (/relation .* does not exist/.test(String(err))) throw new ReportNotFound('campaign not found');
    throw err;
  }
  if (!campaign) throw new ReportNotFound('campaign not found');
  const from = new Date(campaign.mobilization_start);
  const to = new Date(campaign.summary_report_due);

  const stats = await statistics(em, { locale });
  const [{ n: inPeriod } = { n: 0 }] = await sql<{ n: number }[]>(
    em,
    'select count(*)::int as n from clues where created_at >= ? and created_at <= ?',
    [from, to],
  );

  const unitName = new Map<string, string>();
  for (const u of await sql<{ id: string; name_zh: string; name_en: string }[]>(
    em,
    'select id, name_zh, name_en from units',
  )) {
    unitName.set(u.id, locale === 'en' ? u.name_en : u.name_zh);
  }
  const nameOf = (id: string) => unitName.get(id) ?? id;

  // The latest summary report of each unit (its latest participation, latest filing).
  const reports = await sql<
    { unit_id: string; content: Record<string, unknown>; filed_at: Date; late: boolean }[]
  >(
    em,
    `select distinct on (d.unit_id) d.unit_id, d.content, d.filed_at, d.late
       from campaign_deliverables d
      where d.campaign_id = ? and d.kind = 'summary_report'
      order by d.unit_id, d.participation desc, d.seq desc`,
    [campaignId],
  );
  const unitReports: UnitSummaryReport[] = reports
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

  let participants: { unit_id: string }[] = [];
  try {
    participants = await sql<{ unit_id: string }[]>(
      em,
      `select unit_id from campaign_units where campaign_id = ? and status <> 'withdrawn' order by unit_id`,
      [campaignId],
    );
  } catch {
    participants = [];
  }
  const filed = new Set(unitReports.map((r) => r.unitId));
  const missingUnits = participants
    .filter((p) => !filed.has(p.unit_id))
    .map((p) => ({ unitId: p.unit_id, unitName: nameOf(p.unit_id) }));

  // Typical cases: at most three across units, the gravest clues first, each clue once.
  const proposed = unitReports.flatMap((r) => r.typicalCases.map((c) => ({ ...c, unitId: r.unitId })));
  const ids = [...new Set(proposed.map((c) => c.clueId))];
  const clues = ids.length
    ? await sql<
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
      )
    : [];
  const clueById = new Map(clues.map((c) => [c.id, c]));
  const seen = new Set<string>();
  const typicalCases: TypicalCaseView[] = proposed
    .filter((c) => clueById.has(c.clueId))
    // Gravest first; for a clue proposed twice, the lead unit's account wins.
    .sort((a, b) => {
      const x = clueById.get(a.clueId)!;
      const y = clueById.get(b.clueId)!;
      const own = (c: typeof a, k: typeof x) => (c.unitId === k.lead_unit_id ? 0 : 1);
      return y.risk_score - x.risk_score || x.seq - y.seq || own(a, x) - own(b, y);
    })
    .filter((c) => (seen.has(c.clueId) ? false : (seen.add(c.clueId), true)))
    .slice(0, MAX_TYPICAL_CASES)
    .map((c, i) => {
      const k = clueById.get(c.clueId)!;
      return {
        n: i + 1,
        clueId: k.id,
        ref: k.ref,
        subject: k.subject_name,
        title: c.title ?? k.subject_name,
        summary: c.summary ?? '',
        unitName: nameOf(c.unitId),
        amountCny: Number(k.amount_cny),
        participants: k.participants,
        grade: k.grade,
        gradeLabel: lbl(locale, 'grade', k.grade),
        stage: k.stage,
        stageLabel: lbl(locale, 'stage', k.stage),
        riskScore: k.risk_score,
      };
    });

  const onTime = new Map(stats.onTimeByUnit.map((u) => [u.unitId, u.rate]));
  const openKey = new Map(stats.unitsWithOpenKeyClues.map((u) => [u.unitId, u.openKeyClues]));
  const regions: RegionRow[] = stats.byUnit.map((b) => ({
    unitId: b.key,
    unitName: b.label,
    clues: b.count,
    keyClues: b.keyClues,
    amountCny: b.amountCny,
    participants: b.participants,
    openKeyClues: openKey.get(b.key) ?? 0,
    onTimeRate: onTime.get(b.key) ?? null,
  }));

  const grade = (g: string) => stats.byGrade.find((b) => b.key === g)?.count ?? 0;
  const fromUnits = (pick: (r: UnitSummaryReport) => string) =>
    unitReports
      .filter((r) => pick(r) !== '')
      .map((r) => t(locale, 'report.fromUnit', { unit: r.unitName, text: pick(r) }));
  const overdueOpen = stats.escalationsByLevel.reduce((s, e) => s + e.open, 0);
  const overdueHigh = stats.escalationsByLevel.filter((e) => e.level >= 2).reduce((s, e) => s + e.open, 0);
  const top = <T extends { label: string; count: number }>(xs: T[]) =>
    xs
      .filter((x) => x.count > 0)
      .slice(0, 3)
      .map((x) => x.label);

  const text = {
    title: t(locale, 'report.title', { campaign: campaign.name }),
    issuer: t(locale, 'report.issuer', { date: formatLocal(Date.now(), locale).slice(0, 10) }),
    overall: [
      t(locale, 'report.overall.stats', {
        total: stats.totals.clues,
        inPeriod,
        amount: formatAmount(stats.totals.amountCny),
        participants: stats.totals.participants,
        keyClues: stats.totals.keyClues,
        gradeI: grade('I'),
        gradeII: grade('II'),
        closed: stats.totals.closed,
        referred: stats.totals.referred,
        onTimeRate: pct(stats.onTimeOverall.rate, locale),
      }),
      t(locale, 'report.overall.units', { submitted: unitReports.length, missing: missingUnits.length }),
      ...fromUnits((r) => r.overallSituation),
    ],
    regional: [t(locale, 'report.regional.intro'), ...fromUnits((r) => r.regionalDistribution)],
    causes: [
      t(locale, 'report.causes.stats', {
        areas: listJoin(top(stats.byKeyArea), locale),
        behaviours: listJoin(top(stats.byBehaviour), locale),
      }),
      ...fromUnits((r) => r.causes),
    ],
    outlook: [
      t(locale, 'report.outlook.stats', {
        openKey: stats.totals.openKeyClues,
        overdue: overdueOpen,
        overdueHigh,
      }),
      t(locale, 'report.freeUnits', {
        units: listJoin(
          stats.unitsFreeOfOpenKeyClues.map((u) => u.unitName),
          locale,
        ),
      }),
      ...fromUnits((r) => r.difficultiesAndOutlook),
    ],
    nextSteps: fromUnits((r) => r.nextSteps),
  };

  return {
    locale,
    generatedAt: new Date().toISOString(),
    campaign: {
      id: campaign.id,
      name: campaign.name,
      year: campaign.year,
      phase: campaign.phase,
      status: campaign.status,
      from: from.toISOString(),
      to: to.toISOString(),
    },
    statistics: stats,
    inPeriod,
    unitReports,
    missingUnits,
    regions,
    typicalCases,
    text,
  };
}

function regionHeader(locale: Locale): string[] {
  return [
    'report.col.unit',
    'report.col.clues',
    'report.col.keyClues',
    'report.col.amount',
    'report.col.participants',
    'report.col.openKey',
    'report.col.onTime',
  ].map((k) => t(locale, k as never));
}
function regionCells(r: RegionRow, locale: Locale): string[] {
  return [
    r.unitName,
    String(r.clues),
    String(r.keyClues),
    formatAmount(r.amountCny),
    String(r.participants),
    String(r.openKeyClues),
    pct(r.onTimeRate, locale),
  ];
}
function caseFacts(c: TypicalCaseView, locale: Locale): string {
  return t(locale, 'report.case.facts', {
    unit: c.unitName,
    amount: formatAmount(c.amountCny),
    participants: c.participants,
    grade: c.gradeLabel,
    stage: c.stageLabel,
  });
}

// ── .docx ────────────────────────────────────────────────────────────────────────────────────────

const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: 'FangSong' };
const HEAD_FONT = { ascii: 'Arial', hAnsi: 'Arial', eastAsia: 'SimHei' };

const para = (text: string) =>
  text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map(
      (l) =>
        new Paragraph({
          children: [new TextRun({ text: l, font: BODY_FONT, size: 28 })],
          indent: { firstLine: 560 },
          spacing: { line: 480 },
        }),
    );
const heading = (text: string) =>
  new Paragraph({
    heading: HeadingLevel.HEADING_1,
    children: [new TextRun({ text, font: HEAD_FONT, size: 32, bold: true })],
    spacing: { before: 240, after: 120 },
  });

function cell(text: string, bold = false): TableCell {
  return new TableCell({
    children: [new Paragraph({ children: [new TextRun({ text, bold, font: BODY_FONT, size: 21 })] })],
  });
}

export async function toDocx(s: DistrictSummary): Promise<Buffer> {
  const L = s.locale;
  const border = { style: BorderStyle.SINGLE, size: 4, color: '808080' };
  const table = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: {
      top: border,
      bottom: border,
      left: border,
      right: border,
      insideHorizontal: border,
      insideVertical: border,
    },
    rows: [
      new TableRow({ tableHeader: true, children: regionHeader(L).map((h) => cell(h, true)) }),
      ...s.regions.map((r) => new TableRow({ children: regionCells(r, L).map((c) => cell(c)) })),
    ],
  });
  const cases = s.typicalCases.length
    ? s.typicalCases.flatMap((c) => [
        new Paragraph({
          heading: HeadingLevel.HEADING_2,
          children: [
            new TextRun({
              text: t(L, 'report.case.title', { n: c.n, subject: c.title, ref: c.ref }),
              font: HEAD_FONT,
              size: 28,
              bold: true,
            }),
          ],
        }),
        ...para(caseFacts(c, L)),
        ...para(c.summary),
      ])
    : para(t(L, 'report.noCases'));
  const doc = new Document({
    creator: 'District Office',
    title: s.text.title,
    description: `${s.campaign.id} ${s.generatedAt}`,
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [new TextRun({ text: s.text.title, font: HEAD_FONT, size: 40, bold: true })],
            spacing: { after: 240 },
          }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [new TextRun({ text: s.text.issuer, font: BODY_FONT, size: 24 })],
            spacing: { after: 360 },
          }),
          heading(t(L, 'report.section.overall')),
          ...s.text.overall.flatMap(para),
          heading(t(L, 'report.section.regional')),
          ...s.text.regional.slice(0, 1).flatMap(para),
          s.regions.length ? table : para(t(L, 'report.noData'))[0]!,
          ...s.text.regional.slice(1).flatMap(para),
          heading(t(L, 'report.section.causes')),
          ...s.text.causes.flatMap(para),
          heading(t(L, 'report.section.outlook')),
          ...s.text.outlook.flatMap(para),
          heading(t(L, 'report.section.cases')),
          ...cases,
          heading(t(L, 'report.section.nextSteps')),
          ...(s.text.nextSteps.length ? s.text.nextSteps.flatMap(para) : para(t(L, 'report.noData'))),
          new Paragraph({
            alignment: AlignmentType.RIGHT,
            children: [
              new TextRun({
                text: t(L, 'report.generated', { at: formatLocal(Date.parse(s.generatedAt), L) }),
                font: BODY_FONT,
                size: 20,
                italics: true,
              }),
            ],
            spacing: { before: 480 },
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

// ── HTML ─────────────────────────────────────────────────────────────────────────────────────────

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
const ps = (xs: string[]) =>
  xs
    .flatMap((x) => x.split(/\r?\n/).filter((l) => l.trim() !== ''))
    .map((x) => `<p>${esc(x)}</p>`)
    .join('\n');

export function toHtml(s: DistrictSummary): string {
  const L = s.locale;
  const table = s.regions.length
    ? `<table><thead><tr>${regionHeader(L)
        .map((h) => `<th>${esc(h)}</th>`)
        .join('')}</tr></thead><tbody>${s.regions
        .map(
          (r) =>
            `<tr>${regionCells(r, L)
              .map((c) => `<td>${esc(c)}</td>`)
              .join('')}</tr>`,
        )
        .join('')}</tbody></table>`
    : `<p>${esc(t(L, 'report.noData'))}</p>`;
  const cases = s.typicalCases.length
    ? s.typicalCases
        .map(
          (c) =>
            `<h3>${esc(t(L, 'report.case.title', { n: c.n, subject: c.title, ref: c.ref }))}</h3>${ps([caseFacts(c, L), c.summary])}`,
        )
        .join('\n')
    : `<p>${esc(t(L, 'report.noCases'))}</p>`;
  return `<!doctype html>
<html lang="${L === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8"><title>${esc(s.text.title)}</title>
<style>body{font-family:"FangSong","STFangsong","Noto Serif CJK SC",serif;max-width:50rem;margin:2rem auto;line-height:1.8;padding:0 1rem}
h1{text-align:center;font-family:"SimHei","Noto Sans CJK SC",sans-serif}h2,h3{font-family:"SimHei","Noto Sans CJK SC",sans-serif}
.issuer{text-align:center}p{text-indent:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #888;padding:.25rem .5rem;text-align:left}
.generated{text-align:right;font-style:italic;color:#555}</style></head>
<body><h1>${esc(s.text.title)}</h1><p class="issuer">${esc(s.text.issuer)}</p>
<h2>${esc(t(L, 'report.section.overall'))}</h2>${ps(s.text.overall)}
<h2>${esc(t(L, 'report.section.regional'))}</h2>${ps(s.text.regional.slice(0, 1))}${table}${ps(s.text.regional.slice(1))}
<h2>${esc(t(L, 'report.section.causes'))}</h2>${ps(s.text.causes)}
<h2>${esc(t(L, 'report.section.outlook'))}</h2>${ps(s.text.outlook)}
<h2>${esc(t(L, 'report.section.cases'))}</h2>${cases}
<h2>${esc(t(L, 'report.section.nextSteps'))}</h2>${s.text.nextSteps.length ? ps(s.text.nextSteps) : `<p>${esc(t(L, 'report.noData'))}</p>`}
<p class="generated">${esc(t(L, 'report.generated', { at: formatLocal(Date.parse(s.generatedAt), L) }))}</p>
</body></html>`;
}

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
