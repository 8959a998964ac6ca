/**
 * Ledger exports as the district office files them: CSV (UTF-8 with BOM, so Excel shows the Chinese
 * correctly) and XLSX (exceljs). Column headers in Simplified Chinese by default, English with
 * `lang=en`. Above the table each file states the ledger, the data scope, the filters applied (in
 * words and as the raw query), who exported it and when, and the totals; the XLSX ends with a totals row.
 * The reporter's identity is never exported.
 *
 * Times: the CSV writes them as text in China time; the XLSX as real Excel dates holding the China
 * wall clock (UTC+8), formatted `yyyy-mm-dd hh:mm`, so they sort and filter as dates.
 */
import ExcelJS from 'exceljs';
import { formatLocal } from '../format';
import { label, t, type LabelKind, type LabelValue, type MessageKey } from '../i18n';
import { lt } from './messages';
import type { Locale } from '../domain/enums';
import {
  FILTER_NAMES,
  type LedgerFilters,
  type LedgerKind,
  type LedgerRow,
  type LedgerTotals,
  type UnitName,
} from './query';

export interface ExportMeta {
  kind: LedgerKind;
  locale: Locale;
  filters: LedgerFilters;
  /** 'all' or the unit the data is limited to. */
  scope: { kind: 'all' } | { kind: 'unit' | 'police'; unitId: string };
  exportedAt: Date;
  exportedBy: string;
  totals: LedgerTotals;
  units: Map<string, UnitName>;
}

interface Column {
  key: string;
  header: MessageKey;
  width: number;
  value: (r: LedgerRow, m: ExportMeta, seq: number) => string | number;
  numFmt?: string;
  /** Date-time columns: the instant (ms), written to XLSX as an Excel date in China time. */
  at?: (r: LedgerRow) => number | null;
}

/** The XLSX number format of date-time cells. */
export const XLSX_DATE_FORMAT = 'yyyy-mm-dd hh:mm';

/**
 * An Excel date for an instant, showing the China (UTC+8) wall clock. Excel dates carry no zone:
 * exceljs writes a Date's UTC fields as the serial number, so the instant is shifted by 8 hours.
 */
export function excelChinaDate(ms: number): Date {
  return new Date(ms + 8 * 3_600_000);
}

const yesNo = (m: ExportMeta, b: boolean) => t(m.locale, b ? 'ledger.yes' : 'ledger.no');
export const unitLabel = (units: Map<string, UnitName>, locale: Locale, id: string) => {
  const u = units.get(id);
  return u ? (locale === 'en' ? u.nameEn : u.nameZh) : id;
};
function lbl<K extends LabelKind>(locale: Locale, kind: K, value: string): string {
  const s = label(locale, kind, value as LabelValue<K>);
  return s.startsWith(`${kind}.`) ? value : s;
}
const sep = (locale: Locale) => (locale === 'en' ? '; ' : '；');
const listSep = (locale: Locale) => (locale === 'en' ? ', ' : '、');

export const COLUMNS: Column[] = [
  { key: 'seq', header: 'ledger.col.seq', width: 6, value: (_r, _m, i) => i },
  { key: 'ref', header: 'ledger.col.ref', width: 16, value: (r) => r.ref },
  {
    key: 'registeredAt',
    header: 'ledger.col.registeredAt',
    width: 18,
    value: (r, m) => formatLocal(Date.parse(r.registeredAt), m.locale),
    at: (r) => Date.parse(r.registeredAt),
  },
  {
    key: 'sourceChannel',
    header: 'ledger.col.sourceChannel',
    width: 14,
    value: (r, m) => lbl(m.locale, 'sourceChannel', r.sourceChannel),
  },
  { key: 'subjectName', header: 'ledger.col.subjectName', width: 30, value: (r) => r.subjectName },
  {
    key: 'subjectKind',
    header: 'ledger.col.subjectKind',
    width: 12,
    value: (r, m) => lbl(m.locale, 'subjectKind', r.subjectKind),
  },
  { key: 'creditCode', header: 'ledger.col.creditCode', width: 22, value: (r) => r.creditCode ?? '' },
  {
    key: 'registrationPlace',
    header: 'ledger.col.registrationPlace',
    width: 18,
    value: (r) => r.registrationPlace ?? '',
  },
  {
    key: 'operatingPlace',
    header: 'ledger.col.operatingPlace',
    width: 18,
    value: (r) => r.operatingPlace ?? '',
  },
  {
    key: 'frequentChanges',
    header: 'ledger.col.frequentChanges',
    width: 10,
    value: (r, m) => yesNo(m, r.frequentChanges),
  },
  {
    key: 'keyArea',
    header: 'ledger.col.keyArea',
    width: 18,
    value: (r, m) => lbl(m.locale, 'keyArea', r.keyArea),
  },
  {
    key: 'keyBehaviours',
    header: 'ledger.col.keyBehaviours',
    width: 24,
    value: (r, m) => r.keyBehaviours.map((b) => lbl(m.locale, 'keyBehaviour', b)).join(listSep(m.locale)),
  },
  {
    key: 'online',
    header: 'ledger.col.online',
    width: 10,
    value: (r, m) => t(m.locale, r.online ? 'ledger.online' : 'ledger.offline'),
  },
  {
    key: 'amountCny',
    header: 'ledger.col.amountCny',
    width: 16,
    value: (r) => r.amountCny,
    numFmt: '#,##0.00',
  },
  {
    key: 'participants',
    header: 'ledger.col.participants',
    width: 10,
    value: (r) => r.participants,
    numFmt: '#,##0',
  },
  {
    key: 'publicOpinion',
    header: 'ledger.col.publicOpinion',
    width: 10,
    value: (r, m) => lbl(m.locale, 'publicOpinion', r.publicOpinion),
  },
  {
    key: 'stabilityRisk',
    header: 'ledger.col.stabilityRisk',
    width: 10,
    value: (r, m) => lbl(m.locale, 'stabilityRisk', r.stabilityRisk),
  },
  { key: 'riskScore', header: 'ledger.col.riskScore', width: 8, value: (r) => r.riskScore },
  { key: 'grade', header: 'ledger.col.grade', width: 14, value: (r, m) => lbl(m.locale, 'grade', r.grade) },
  { key: 'keyClue', header: 'ledger.col.keyClue', width: 8, value: (r, m) => yesNo(m, r.keyClue) },
  {
    key: 'leadUnit',
    header: 'ledger.col.leadUnit',
    width: 20,
    value: (r, m) => unitLabel(m.units, m.locale, r.leadUnitId),
  },
  {
    key: 'coHandlingUnits',
    header: 'ledger.col.coHandlingUnits',
    width: 20,
    value: (r, m) => r.coHandlingUnitIds.map((u) => unitLabel(m.units, m.locale, u)).join(listSep(m.locale)),
  },
  { key: 'stage', header: 'ledger.col.stage', width: 12, value: (r, m) => lbl(m.locale, 'stage', r.stage) },
  {
    key: 'nature',
    header: 'ledger.col.nature',
    width: 16,
    value: (r, m) => (r.nature ? lbl(m.locale, 'nature', r.nature) : ''),
  },
  {
    key: 'overdueLevel',
    header: 'ledger.col.overdueLevel',
    width: 18,
    value: (r, m) =>
      r.overdueLevel > 0
        ? t(m.locale, `level.${r.overdueLevel}` as MessageKey)
        : t(m.locale, 'ledger.notOverdue'),
  },
  {
    key: 'nextDueAt',
    header: 'ledger.col.nextDueAt',
    width: 18,
    value: (r, m) => (r.nextDueAt ? formatLocal(Date.parse(r.nextDueAt), m.locale) : ''),
    at: (r) => (r.nextDueAt ? Date.parse(r.nextDueAt) : null),
  },
  { key: 'duplicateOf', header: 'ledger.col.duplicateOf', width: 16, value: (r) => r.duplicateOfRef ?? '' },
  { key: 'description', header: 'ledger.col.description', width: 50, value: (r) => r.description },
];

const FILTER_LABEL: Record<keyof LedgerFilters, MessageKey> = {
  stage: 'ledger.col.stage',
  grade: 'ledger.col.grade',
  unit: 'ledger.filter.unit',
  keyArea: 'ledger.col.keyArea',
  behaviour: 'ledger.col.keyBehaviours',
  sourceChannel: 'ledger.col.sourceChannel',
  overdue: 'ledger.filter.overdue',
  from: 'ledger.filter.from',
  to: 'ledger.filter.to',
  q: 'ledger.filter.q',
};

function filterValue(m: ExportMeta, k: keyof LedgerFilters, v: string): string {
  switch (k) {
    case 'stage':
      return lbl(m.locale, 'stage', v);
    case 'grade':
      return lbl(m.locale, 'grade', v);
    case 'unit':
      return unitLabel(m.units, m.locale, v);
    case 'keyArea':
      return lbl(m.locale, 'keyArea', v);
    case 'behaviour':
      return lbl(m.locale, 'keyBehaviour', v);
    case 'sourceChannel':
      return lbl(m.locale, 'sourceChannel', v);
    case 'overdue':
      return yesNo(m, v === 'true');
    default:
      return v;
  }
}

/** The filters in words, followed by the raw query so the file can be reproduced exactly. */
export function describeFilters(m: ExportMeta): string {
  const set = FILTER_NAMES.filter((k) => m.filters[k] !== undefined && m.filters[k] !== '');
  if (set.length === 0) return t(m.locale, 'ledger.filters', { filters: t(m.locale, 'ledger.filters.none') });
  const words = set
    .map((k) => `${t(m.locale, FILTER_LABEL[k])}=${filterValue(m, k, String(m.filters[k]))}`)
    .join(sep(m.locale));
  const raw = set.map((k) => `${k}=${encodeURIComponent(String(m.filters[k]))}`).join('&');
  return t(m.locale, 'ledger.filters', { filters: `${words} [${raw}]` });
}

export function metaLines(m: ExportMeta): string[] {
  const scope =
    m.scope.kind === 'all'
      ? t(m.locale, 'ledger.scope.all')
      : t(m.locale, m.scope.kind === 'unit' ? 'ledger.scope.unit' : 'ledger.scope.police', {
          unit: unitLabel(m.units, m.locale, m.scope.unitId),
        });
  return [
    t(m.locale, m.kind === 'keyClues' ? 'ledger.title.keyClues' : 'ledger.title.risks'),
    t(m.locale, 'ledger.scope', { scope }),
    describeFilters(m),
    t(m.locale, 'ledger.totalsLine', {
      count: m.totals.count,
      amount: formatAmount(m.totals.amountCny),
      participants: m.totals.participants,
    }),
    t(m.locale, 'ledger.exported', { at: formatLocal(m.exportedAt.getTime(), m.locale), by: m.exportedBy }),
    lt(m.locale, 'ledger.timesNote'),
  ];
}

export function formatAmount(n: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function headers(locale: Locale): string[] {
  return COLUMNS.map((c) => t(locale, c.header));
}

/**
 * Text a spreadsheet would turn into a number and thereby damage: 11 digits or more (a mobile
 * number; from 12 Excel shows 9.13403E+17, past 15 it drops digits), a leading zero (dropped), or an
 * exponent (`1234E5`: credit codes may hold an E).
 */
const LOSSY_NUMBER = /^(?:\d{11,}|0\d+|\d+(?:\.\d+)?[eE][+-]?\d+)$/;

/**
 * One CSV cell. Long digit strings (credit codes, phone numbers, any such text) get a leading TAB:
 * Excel and WPS then see text, not a number, and keep every digit; the TAB is invisible in the cell,
 * survives a save as CSV, and a machine reader (ours: `stripTextMarker` in import.ts; anyone's: a
 * trim) gets the digits back. Rejected: `="…"` (a formula: LibreOffice and every parser read the
 * formula text, Excel re-saves the bare number, and we refuse formulas in exports), a leading
 * apostrophe (Excel shows it in a CSV), and zero-width characters (invisible, not removed by trim).
 */
export function csvCell(v: string | number): string {
  if (typeof v === 'number') return String(v);
  // Spreadsheet formula injection: text that a spreadsheet would evaluate is prefixed with a quote.
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  // Unquoted, as the marker is commonly written (digits need no quoting).
  if (LOSSY_NUMBER.test(s)) return `\t${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: LedgerRow[], m: ExportMeta): Buffer {
  const lines: string[] = metaLines(m).map((l) => csvCell(l));
  lines.push('');
  lines.push(headers(m.locale).map(csvCell).join(','));
  rows.forEach((r, i) => lines.push(COLUMNS.map((c) => csvCell(c.value(r, m, i + 1))).join(',')));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function toXlsx(rows: LedgerRow[], m: ExportMeta): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = m.exportedBy;
  wb.created = m.exportedAt;
  wb.title = t(m.locale, m.kind === 'keyClues' ? 'ledger.title.keyClues' : 'ledger.title.risks');
  wb.description = describeFilters(m);
  const ws = wb.addWorksheet(t(m.locale, 'ledger.sheet'));
  const meta = metaLines(m);
  meta.forEach((line, i) => {
    const row = ws.addRow([line]);
    ws.mergeCells(row.number, 1, row.number, COLUMNS.length);
    if (i === 0) row.font = { bold: true, size: 14 };
  });
  ws.addRow([]);
  const head = ws.addRow(headers(m.locale));
  head.font = { bold: true };
  head.alignment = { vertical: 'middle', wrapText: true };
  head.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDE6F0' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  COLUMNS.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width;
    if (c.numFmt) col.numFmt = c.numFmt;
  });
  rows.forEach((r, i) => {
    const row = ws.addRow(
      COLUMNS.map((c) => {
        if (!c.at) return c.value(r, m, i + 1);
        const ms = c.at(r);
        return ms === null ? null : excelChinaDate(ms);
      }),
    );
    COLUMNS.forEach((c, k) => {
      if (c.at) row.getCell(k + 1).numFmt = XLSX_DATE_FORMAT;
    });
  });
  const totals: (string | number)[] = COLUMNS.map((c) =>
    c.key === 'seq'
      ? t(m.locale, 'ledger.totals')
      : c.key === 'amountCny'
        ? m.totals.amountCny
        : c.key === 'participants'
          ? m.totals.participants
          : '',
  );
  totals[1] = m.totals.count;
  const tr = ws.addRow(totals);
  tr.font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: head.number }];
  ws.autoFilter = { from: { row: head.number, column: 1 }, to: { row: head.number, column: COLUMNS.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
