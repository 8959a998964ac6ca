/**
 * Bulk import of clues from CSV or XLSX (notice IV.3: the ledger is fed from many channels).
 *
 * The file: one header row, then one clue per row. Headers may be the English field names
 * (`sourceChannel`, `subjectName`, …), or the ledger export's column headers in Chinese or
 * English, so an exported ledger (or a sheet a town filled in) can be imported as is; rows above
 * the header (an export's title and filter lines) and a trailing totals row are skipped.
 * Values may be codes (`mass_report`) or their Chinese / English labels (`群众举报`); units by id
 * or name; amounts may be written `3,000,000`, `300万` or `1.2亿`; booleans `是/否`, `yes/no`, `true/false`, `1/0`.
 * CSV may be UTF-8 (with or without BOM) or GB18030/GBK (what Excel in Chinese saves).
 *
 * Every row is validated with the API's own `ClueIntakeSchema`; every good row is registered
 * through the one intake path `registerClue` with an import key — the row's business key
 * (`businessKey` / `业务编号` column) if given, else sha256(file) + row number — so importing the
 * same file twice registers nothing twice. Row numbers are those a spreadsheet shows (the header
 * of a plain file is row 1, its first clue row 2).
 *
 * Rows are registered one after another, in file order (so clue references follow the file and a
 * later row about the same subject links to an earlier one). Should a large file outlast the request
 * timeout, the import still runs to its end; posting the same file again returns the full report and
 * registers nothing twice.
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import type { AppContext } from '../context';
import type { EntityManager } from '@mikro-orm/postgresql';
import { validateCreditCode } from '../domain/credit-code';
import { LOCALES, type Locale } from '../domain/enums';
import { LABEL_KINDS, label, t, type LabelKind, type LabelValue, type MessageKey } from '../i18n';
import { creditCodeSaid, IntakeError, registerClue, type ClueIntake } from '../services/clues';
import { lt, type Said } from './messages';
import { unitNames, type UnitName } from './query';

/** Rows per file: registering is sequential (about 20–50 ms a row: a row, a workflow start), so a full file stays well inside a request. */
export const IMPORT_MAX_ROWS = 500;

export type ImportField =
  | 'businessKey'
  | 'sourceChannel'
  | 'description'
  | 'subjectName'
  | 'subjectKind'
  | 'creditCode'
  | 'registrationPlace'
  | 'operatingPlace'
  | 'frequentChanges'
  | 'keyArea'
  | 'keyBehaviours'
  | 'online'
  | 'amountCny'
  | 'participants'
  | 'publicOpinion'
  | 'stabilityRisk'
  | 'leadUnitId'
  | 'coHandlingUnitIds'
  | 'keyFlag'
  | 'reporterName'
  | 'reporterContact';

/** Which export column header (catalogue key) maps to which import field. */
const EXPORT_HEADERS: Partial<Record<ImportField, MessageKey>> = {
  sourceChannel: 'ledger.col.sourceChannel',
  description: 'ledger.col.description',
  subjectName: 'ledger.col.subjectName',
  subjectKind: 'ledger.col.subjectKind',
  creditCode: 'ledger.col.creditCode',
  registrationPlace: 'ledger.col.registrationPlace',
  operatingPlace: 'ledger.col.operatingPlace',
  frequentChanges: 'ledger.col.frequentChanges',
  keyArea: 'ledger.col.keyArea',
  keyBehaviours: 'ledger.col.keyBehaviours',
  online: 'ledger.col.online',
  amountCny: 'ledger.col.amountCny',
  participants: 'ledger.col.participants',
  publicOpinion: 'ledger.col.publicOpinion',
  stabilityRisk: 'ledger.col.stabilityRisk',
  leadUnitId: 'ledger.col.leadUnit',
  coHandlingUnitIds: 'ledger.col.coHandlingUnits',
};

/** Import-only headers (not in an export). */
const EXTRA_HEADERS: Partial<Record<ImportField, string[]>> = {
  businessKey: ['业务编号', 'business key', 'externalref', 'external ref'],
  keyFlag: ['人工标记重点', '标记为重点线索', 'coordinator key flag', 'key flag'],
  reporterName: ['举报人姓名', '举报人', 'reporter name', 'reporter'],
  reporterContact: ['举报人联系方式', '联系方式', 'reporter contact'],
  subjectName: ['涉事主体名称', '主体名称', 'subject name'],
};

/** Where a field lands in the intake body (zod issue paths are mapped back through this). */
const FIELD_PATH: Record<ImportField, string> = {
  businessKey: 'businessKey',
  sourceChannel: 'sourceChannel',
  description: 'description',
  subjectName: 'subject.name',
  subjectKind: 'subject.kind',
  creditCode: 'subject.creditCode',
  registrationPlace: 'subject.registrationPlace',
  operatingPlace: 'subject.operatingPlace',
  frequentChanges: 'subject.frequentChanges',
  keyArea: 'keyArea',
  keyBehaviours: 'keyBehaviours',
  online: 'online',
  amountCny: 'amountCny',
  participants: 'participants',
  publicOpinion: 'publicOpinion',
  stabilityRisk: 'stabilityRisk',
  leadUnitId: 'leadUnitId',
  coHandlingUnitIds: 'coHandlingUnitIds',
  keyFlag: 'keyFlag',
  reporterName: 'reporter.name',
  reporterContact: 'reporter.contact',
};
const PATH_FIELD = new Map(Object.entries(FIELD_PATH).map(([f, p]) => [p, f as ImportField]));

function norm(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_（）()【】[\]“”"'’‘·.\-:：]/g, '');
}

let headerIndex: Map<string, ImportField> | undefined;
function headerMap(): Map<string, ImportField> {
  if (headerIndex) return headerIndex;
  const m = new Map<string, ImportField>();
  for (const f of Object.keys(FIELD_PATH) as ImportField[]) {
    m.set(norm(f), f);
    const k = EXPORT_HEADERS[f];
    if (k) for (const loc of LOCALES) m.set(norm(t(loc, k)), f);
    for (const h of EXTRA_HEADERS[f] ?? []) m.set(norm(h), f);
  }
  headerIndex = m;
  return m;
}

const ENUM_FIELDS: Partial<Record<ImportField, LabelKind>> = {
  sourceChannel: 'sourceChannel',
  subjectKind: 'subjectKind',
  keyArea: 'keyArea',
  keyBehaviours: 'keyBehaviour',
  publicOpinion: 'publicOpinion',
  stabilityRisk: 'stabilityRisk',
};

const enumIndex = new Map<LabelKind, Map<string, string>>();
function enumValue(kind: LabelKind, raw: string): string | undefined {
  let m = enumIndex.get(kind);
  if (!m) {
    m = new Map();
    for (const v of LABEL_KINDS[kind]) {
      m.set(norm(v), v);
      for (const loc of LOCALES) m.set(norm(label(loc, kind, v as LabelValue<typeof kind>)), v);
    }
    enumIndex.set(kind, m);
  }
  return m.get(norm(raw));
}

const TRUE = new Set(['true', 'yes', 'y', '1', '是', '有', '√', 'online', '线上']);
const FALSE = new Set(['false', 'no', 'n', '0', '否', '无', '×', 'offline', '线下']);

export type RowStatus = 'registered' | 'already_imported' | 'duplicate_in_file' | 'invalid';

export interface FieldError {
  /** The intake field (dot path), e.g. `subject.creditCode`. */
  field: string;
  /** The column header as written in the file, if the column exists. */
  column: string | null;
  /** In the reader's language, naming the column as the file names it. */
  message: string;
}

/** A field error before it is worded. */
interface RawFieldError {
  field: string;
  column: string | null;
  problem: Said;
}

export interface RowReport {
  /** The row number a spreadsheet shows. */
  row: number;
  /** The line of the file the row starts on (CSV: a quoted cell may span lines; XLSX: the row). */
  line: number;
  status: RowStatus;
  clueId?: string;
  ref?: string;
  grade?: string;
  keyClue?: boolean;
  /** The intake linked the clue to an open clue about the same subject. */
  duplicateOfId?: string | null;
  duplicateOfRef?: string | null;
  /** For `duplicate_in_file`: the earlier row it repeats. */
  sameAsRow?: number;
  errors?: FieldError[];
}

export interface ImportReport {
  file: { name: string; format: 'csv' | 'xlsx'; sha256: string; headerRow: number; rows: number };
  summary: Record<RowStatus, number> & { linkedToOpenClue: number };
  rows: RowReport[];
}

/** The file itself is unusable; `said` words it in the reader's language. */
export class ImportFileError extends Error {
  constructor(readonly said: Said) {
    super(lt('en', said.key, said.params));
  }
}

/** 2D table of cell strings with their spreadsheet row numbers and the file lines they start on. */
export interface Table {
  rows: { number: number; line: number; cells: string[] }[];
}

export function detectFormat(filename: string, buf: Buffer): 'csv' | 'xlsx' {
  if (buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04)
    return 'xlsx';
  if (/\.xlsx$/i.test(filename)) throw new ImportFileError({ key: 'ledger.import.file.xlsxNotWorkbook' });
  if (/\.xls$/i.test(filename)) throw new ImportFileError({ key: 'ledger.import.file.xls' });
  return 'csv';
}

export function decodeText(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    return new TextDecoder('gb18030').decode(buf);
  }
}

/**
 * RFC 4180 CSV (quotes, doubled quotes, CR/LF/CRLF, embedded newlines); row number = record number,
 * line = the physical line the record starts on.
 */
export function parseCsv(text: string): Table {
  const rows: Table['rows'] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  let line = 1;
  let rowLine = 1;
  const s = text.replace(/^\uFEFF/, '');
  const endRow = () => {
    cells.push(cell);
    rows.push({ number: rows.length + 1, line: rowLine, cells });
    cells = [];
    cell = '';
  };
  while (i < s.length) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        cell += c;
        if (c === '\n' || (c === '\r' && s[i + 1] !== '\n')) line += 1;
      }
      i += 1;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\r' || c === '\n') {
      endRow();
      if (c === '\r' && s[i + 1] === '\n') i += 1;
      line += 1;
      rowLine = line;
    } else cell += c;
    i += 1;
  }
  if (quoted)
    throw new ImportFileError({
      key: 'ledger.import.file.unterminated',
      params: { record: rows.length + 1, line: rowLine },
    });
  if (cell !== '' || cells.length > 0) endRow();
  return { rows };
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in v) return String((v as { text: unknown }).text);
    if ('error' in v) return '';
  }
  return String(v as unknown as string);
}

export async function parseXlsx(buf: Buffer): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (err) {
    throw new ImportFileError({
      key: 'ledger.import.file.unreadable',
      params: { reason: (err as Error).message.slice(0, 200) },
    });
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new ImportFileError({ key: 'ledger.import.file.noSheet' });
  const rows: Table['rows'] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    rows.push({ number: row.number, line: row.number, cells });
  });
  return { rows };
}

interface Converted {
  intake: Record<string, unknown>;
  businessKey?: string;
  errors: RawFieldError[];
}

/**
 * Our CSV export starts long digit strings with a TAB so spreadsheets keep them as text
 * (src/ledger/export.ts); the value is the digits without it.
 */
export function stripTextMarker(cell: string): string {
  return cell.startsWith('\t') ? cell.slice(1) : cell;
}

function setPath(o: Record<string, unknown>, path: string, v: unknown): void {
  const parts = path.split('.');
  let cur = o;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
  cur[parts[parts.length - 1]!] = v;
}

function parseAmount(raw: string): number | undefined {
  let s = raw
    .normalize('NFKC')
    .replace(/[\s,，¥￥]/g, '')
    .replace(/(人民币|元|cny|rmb)/gi, '');
  let mult = 1;
  const unit = /[万亿]$/.exec(s)?.[0];
  if (unit) {
    mult = unit === '万' ? 1e4 : 1e8;
    s = s.slice(0, -1);
  }
  if (!/^\d+(\.\d+)?$/.test(s)) return undefined;
  return Math.round(Number(s) * mult * 100) / 100;
}

function parseCount(raw: string): number | undefined {
  const s = raw
    .normalize('NFKC')
    .replace(/[\s,，]/g, '')
    .replace(/(人|persons?|people)$/i, '');
  return /^\d+$/.test(s) ? Number(s) : undefined;
}

function unitLookup(units: Map<string, UnitName>): (raw: string) => string | undefined {
  const m = new Map<string, string>();
  for (const u of units.values()) {
    m.set(norm(u.id), u.id);
    m.set(norm(u.nameZh), u.id);
    m.set(norm(u.nameEn), u.id);
  }
  return (raw) => m.get(norm(raw));
}

const LIST_SPLIT = /[,，、;；\n]+/;

function convertRow(
  cols: (ImportField | undefined)[],
  headersAsWritten: string[],
  cells: string[],
  findUnit: (raw: string) => string | undefined,
): Converted {
  const intake: Record<string, unknown> = {};
  const errors: RawFieldError[] = [];
  let businessKey: string | undefined;
  const err = (f: ImportField, problem: Said, col: number) =>
    errors.push({ field: FIELD_PATH[f], column: headersAsWritten[col] ?? null, problem });
  const said = (key: Said['key'], value: string): Said => ({ key, params: { value } });
  cols.forEach((f, i) => {
    if (!f) return;
    const raw = stripTextMarker(cells[i] ?? '').trim();
    if (raw === '') return;
    const kind = ENUM_FIELDS[f];
    switch (f) {
      case 'businessKey':
        if (raw.length > 100) err(f, { key: 'ledger.import.err.tooLong', params: { max: 100 } }, i);
        else businessKey = raw;
        return;
      case 'keyBehaviours': {
        const out: string[] = [];
        for (const part of raw
          .split(LIST_SPLIT)
          .map((p) => p.trim())
          .filter(Boolean)) {
          const v = enumValue('keyBehaviour', part);
          if (v) out.push(v);
          else err(f, said('ledger.import.err.unknownBehaviour', part), i);
        }
        setPath(intake, FIELD_PATH[f], [...new Set(out)]);
        return;
      }
      case 'frequentChanges':
      case 'online':
      case 'keyFlag': {
        const n = norm(raw);
        if (TRUE.has(n)) setPath(intake, FIELD_PATH[f], true);
        else if (FALSE.has(n)) setPath(intake, FIELD_PATH[f], false);
        else err(f, said('ledger.import.err.notYesNo', raw), i);
        return;
      }
      case 'amountCny': {
        const v = parseAmount(raw);
        if (v === undefined) err(f, said('ledger.import.err.notAmount', raw), i);
        else setPath(intake, FIELD_PATH[f], v);
        return;
      }
      case 'participants': {
        const v = parseCount(raw);
        if (v === undefined) err(f, said('ledger.import.err.notCount', raw), i);
        else setPath(intake, FIELD_PATH[f], v);
        return;
      }
      case 'leadUnitId': {
        const v = findUnit(raw);
        if (!v) err(f, said('ledger.import.err.unknownUnit', raw), i);
        else setPath(intake, FIELD_PATH[f], v);
        return;
      }
      case 'coHandlingUnitIds': {
        const out: string[] = [];
        for (const part of raw
          .split(LIST_SPLIT)
          .map((p) => p.trim())
          .filter(Boolean)) {
          const v = findUnit(part);
          if (v) out.push(v);
          else err(f, said('ledger.import.err.unknownUnit', part), i);
        }
        setPath(intake, FIELD_PATH[f], out);
        return;
      }
      case 'creditCode': {
        const v = validateCreditCode(raw);
        if (!v.ok) err(f, creditCodeSaid(v.problem), i);
        else setPath(intake, FIELD_PATH[f], v.normalized);
        return;
      }
      default:
        if (kind) {
          const v = enumValue(kind, raw);
          if (!v) err(f, said('ledger.import.err.unknownValue', raw), i);
          else setPath(intake, FIELD_PATH[f], v);
        } else setPath(intake, FIELD_PATH[f], raw);
    }
  });
  return { intake, businessKey, errors };
}

function findHeader(table: Table): { index: number; cols: (ImportField | undefined)[] } {
  const hm = headerMap();
  const limit = Math.min(table.rows.length, 30);
  for (let i = 0; i < limit; i++) {
    const cols = table.rows[i]!.cells.map((c) => hm.get(norm(stripTextMarker(c))));
    if (cols.filter(Boolean).length >= 3) {
      const seen = new Set<ImportField>();
      cols.forEach((f, k) => {
        if (f && seen.has(f))
          throw new ImportFileError({
            key: 'ledger.import.file.duplicateColumn',
            params: { column: table.rows[i]!.cells[k] ?? '', row: table.rows[i]!.number },
          });
        if (f) seen.add(f);
      });
      return { index: i, cols };
    }
  }
  throw new ImportFileError({ key: 'ledger.import.file.noHeader' });
}

const TOTALS = new Set(LOCALES.map((l: Locale) => norm(t(l, 'ledger.totals'))));

export interface ImportOptions {
  filename: string;
  content: Buffer;
  createdBy: string;
  /** The API's intake schema (passed in so src/ does not depend on api/). */
  schema: z.ZodType;
  /** The reader's language for row errors (default Chinese). */
  locale?: Locale;
}

/** A zod issue about one intake field, as a problem the reader can act on. */
function zodProblem(issue: z.core.$ZodIssue): Said {
  const i = issue as z.core.$ZodIssue & {
    input?: unknown;
    origin?: string;
    minimum?: unknown;
    maximum?: unknown;
  };
  switch (i.code) {
    case 'invalid_type':
      return { key: i.input === undefined ? 'ledger.import.err.required' : 'ledger.import.err.invalid' };
    case 'too_small':
      if (i.origin === 'string' && Number(i.minimum) <= 1) return { key: 'ledger.import.err.required' };
      if (i.origin === 'array' && Number(i.minimum) <= 1) return { key: 'ledger.import.err.required' };
      return { key: 'ledger.import.err.tooSmall', params: { min: Number(i.minimum) } };
    case 'too_big':
      if (i.origin === 'string')
        return { key: 'ledger.import.err.tooLong', params: { max: Number(i.maximum) } };
      if (i.origin === 'array')
        return { key: 'ledger.import.err.tooManyItems', params: { max: Number(i.maximum) } };
      return { key: 'ledger.import.err.tooBig', params: { max: Number(i.maximum) } };
    case 'invalid_format':
      return { key: 'ledger.import.err.blank' };
    default:
      return { key: 'ledger.import.err.invalid' };
  }
}

/** Parses, validates and registers; returns the per-row report. Throws ImportFileError when the file itself is unusable. */
export async function importClues(ctx: AppContext, o: ImportOptions): Promise<ImportReport> {
  const format = detectFormat(o.filename, o.content);
  const sha256 = createHash('sha256').update(o.content).digest('hex');
  const table = format === 'xlsx' ? await parseXlsx(o.content) : parseCsv(decodeText(o.content));
  const { index, cols } = findHeader(table);
  const header = table.rows[index]!;
  const body = table.rows.slice(index + 1).filter((r) => r.cells.some((c) => c.trim() !== ''));
  const end = body.findIndex((r) => TOTALS.has(norm(r.cells[0] ?? '')));
  const dataRows = end >= 0 ? body.slice(0, end) : body;
  if (dataRows.length > IMPORT_MAX_ROWS)
    throw new ImportFileError({
      key: 'ledger.import.file.tooManyRows',
      params: { max: IMPORT_MAX_ROWS, rows: dataRows.length },
    });
  const locale: Locale = o.locale ?? 'zh-CN';
  /** Names the column as the file does; a column the file lacks by our header in the reader's language. */
  const word = (e: RawFieldError): FieldError => {
    const problem = lt(locale, e.problem.key, e.problem.params);
    if (e.column !== null && e.column.trim() !== '')
      return {
        field: e.field,
        column: e.column,
        message: lt(locale, 'ledger.import.cell', { column: e.column, problem }),
      };
    const f = PATH_FIELD.get(e.field) ?? PATH_FIELD.get(e.field.split('.').slice(0, 2).join('.'));
    const ours = f ? EXPORT_HEADERS[f] : undefined;
    const column = ours ? t(locale, ours) : (f ?? e.field);
    return {
      field: e.field,
      column: null,
      message: lt(locale, 'ledger.import.noColumn', { column, problem }),
    };
  };

  const em = ctx.orm.em.fork() as EntityManager;
  const units = await unitNames(em);
  const findUnit = unitLookup(units);
  const reports: RowReport[] = [];
  const seenKeys = new Map<string, number>();
  const seenContent = new Map<string, number>();

  for (const r of dataRows) {
    const conv = convertRow(cols, header.cells, r.cells, findUnit);
    const columnOf = (field: string): string | null => {
      const f = PATH_FIELD.get(field);
      const k = f ? cols.indexOf(f) : -1;
      return k >= 0 ? (header.cells[k] ?? null) : null;
    };
    const errors: RawFieldError[] = [...conv.errors];
    const parsed = o.schema.safeParse(conv.intake);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join('.') || '(row)';
        // Keys the converter already reported on (or their parent object) are not reported twice.
        if (
          errors.some(
            (e) => e.field === field || field.startsWith(`${e.field}.`) || e.field.startsWith(`${field}.`),
          )
        )
          continue;
        errors.push({
          field,
          column: columnOf(field) ?? columnOf(field.split('.').slice(0, 2).join('.')),
          problem: zodProblem(issue),
        });
      }
    }
    if (errors.length > 0) {
      reports.push({ row: r.number, line: r.line, status: 'invalid', errors: errors.map(word) });
      continue;
    }
    const intake = parsed.data as ClueIntake;
    const contentKey = JSON.stringify(intake);
    const earlier =
      (conv.businessKey ? seenKeys.get(conv.businessKey) : undefined) ?? seenContent.get(contentKey);
    if (earlier !== undefined) {
      reports.push({ row: r.number, line: r.line, status: 'duplicate_in_file', sameAsRow: earlier });
      continue;
    }
    if (conv.businessKey) seenKeys.set(conv.businessKey, r.number);
    seenContent.set(contentKey, r.number);
    const importKey = conv.businessKey ? `import:key:${conv.businessKey}` : `import:${sha256}:${r.number}`;
    try {
      const reg = await registerClue(ctx, intake, { createdBy: o.createdBy, importKey });
      const [dupRef] = reg.duplicateOfId
        ? await em
            .getConnection()
            .execute<{ ref: string }[]>('select ref from clues where id = ?', [reg.duplicateOfId])
        : [];
      reports.push({
        row: r.number,
        line: r.line,
        status: reg.created ? 'registered' : 'already_imported',
        clueId: reg.id,
        ref: reg.ref,
        grade: reg.grade,
        keyClue: reg.keyClue,
        duplicateOfId: reg.duplicateOfId,
        duplicateOfRef: dupRef?.ref ?? null,
      });
    } catch (err) {
      if (err instanceof IntakeError) {
        const field = err.path.map(String).join('.');
        const problem: Said = err.said ?? { key: 'ledger.import.err.invalid' };
        reports.push({
          row: r.number,
          line: r.line,
          status: 'invalid',
          errors: [word({ field, column: columnOf(field) ?? columnOf(String(err.path[0])), problem })],
        });
      } else throw err;
    }
  }
  const count = (s: RowStatus) => reports.filter((x) => x.status === s).length;
  return {
    file: { name: o.filename, format, sha256, headerRow: header.number, rows: dataRows.length },
    summary: {
      registered: count('registered'),
      already_imported: count('already_imported'),
      duplicate_in_file: count('duplicate_in_file'),
      invalid: count('invalid'),
      linkedToOpenClue: reports.filter((x) => x.status === 'registered' && x.duplicateOfId).length,
    },
    rows: reports,
  };
}
