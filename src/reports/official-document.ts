/**
 * An official document (公文) in the layout of GB/T 9704-2012 《党政机关公文格式》, built from a small
 * model (title, numbered headings, paragraphs, tables, annex note, issuing office and date, annexes)
 * and rendered as .docx (the `docx` package; what the District Office edits, signs and files) or HTML.
 *
 * The standard's numbers used here:
 * - §5.1 A4, 210 mm × 297 mm; §5.2.1 top margin (天头) 37 mm ± 1, left (订口) 28 mm ± 1, type area
 *   (版心) 156 mm × 225 mm — so bottom 297 − 37 − 225 = 35 mm and right 210 − 28 − 156 = 26 mm;
 * - §5.2.2 elements in 3号仿宋 (16 pt) unless said otherwise; §5.2.3 22 lines of 28 characters;
 * - §7.3.1 title in 2号小标宋 (22 pt), centred;
 * - §7.3.3 heading levels 一、（一）1.（(1)): level 1 黑体, level 2 楷体, levels 3–4 仿宋;
 * - §7.3.4 annex note: a blank line under the body, indented two characters, "附件：<name>";
 * - §7.3.5.2 (no seal): a blank line under the body, the issuing office two characters from the right,
 *   the date on the next line starting two characters right of the office's first character (if the
 *   date is the longer, the office moves right and the date keeps two characters from the right);
 *   §7.3.5.4 date in Arabic numerals with 年月日, the year in full, no leading zeros;
 * - §7.3.7 annex on a new page, "附件" in 3号黑体 top left on line 1, its title centred on line 3;
 * - §7.5 page numbers in 4号 (14 pt) half-width 宋体 Arabic numerals with a one-em dash on each side
 *   ("— 1 —"), 7 mm below the type area; odd pages right, even pages left, one character in.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type IRunOptions,
} from 'docx';
import type { Locale } from '../domain/enums';
import { headingNumber } from './format';

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string; body?: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; columns: { title: string; numeric?: boolean }[]; rows: string[][] };

export interface Annex {
  /** "附件" / "Annex" */
  label: string;
  title: string;
  blocks: Block[];
}

export interface OfficialDocument {
  locale: Locale;
  title: string;
  /**
   * The title in the pieces it may break between (e.g. unit | campaign | 工作情况报告): a title longer
   * than one line breaks there, not inside a word (GB/T 9704-2012 §7.3.1: 回行时词意完整).
   */
  titleParts?: string[];
  blocks: Block[];
  /** "附件：各单位总结报告" under the body, when there is an annex. */
  annexNote?: string;
  /** Issuing office (发文机关署名). */
  issuer: string;
  /** Date of the document (成文日期), already written out: "2026年12月2日". */
  date: string;
  annexes: Annex[];
}

/** Builds the blocks of a document, numbering the headings of each level. */
export class Outline {
  readonly blocks: Block[] = [];
  private n: number[] = [0, 0, 0];
  constructor(private readonly locale: Locale) {}

  heading(level: 1 | 2 | 3, text: string, body?: string): this {
    const k = (this.n[level - 1] ?? 0) + 1;
    this.n = this.n.map((v, i) => (i === level - 1 ? k : i < level - 1 ? v : 0));
    const b: Block = { kind: 'heading', level, text: `${headingNumber(this.locale, level, k)}${text}` };
    if (body) b.body = body;
    this.blocks.push(b);
    return this;
  }
  h1(text: string): this {
    return this.heading(1, text);
  }
  h2(text: string, body?: string): this {
    return this.heading(2, text, body);
  }
  h3(text: string, body?: string): this {
    return this.heading(3, text, body);
  }
  /** One paragraph per non-empty line of each text. */
  p(...texts: (string | undefined | false)[]): this {
    for (const t of texts) {
      if (!t) continue;
      for (const line of t.split(/\r?\n/))
        if (line.trim() !== '') this.blocks.push({ kind: 'paragraph', text: line.trim() });
    }
    return this;
  }
  table(columns: { title: string; numeric?: boolean }[], rows: string[][]): this {
    if (rows.length) this.blocks.push({ kind: 'table', columns, rows });
    return this;
  }
}

// ── .docx ────────────────────────────────────────────────────────────────────────────────────────

/** Twentieths of a point (twips): 1 mm = 1440 / 25.4. */
export const LAYOUT = {
  pageWidth: 11906, // 210 mm
  pageHeight: 16838, // 297 mm
  marginTop: 2098, // 37 mm
  marginBottom: 1984, // 35 mm
  marginLeft: 1587, // 28 mm
  marginRight: 1474, // 26 mm
  /** 225 mm / 22 lines, rounded down so that 22 lines fit. */
  linePitch: 579,
  /**
   * 28 characters a line: 156 mm / 28 = 15.795 pt a character, so 16 pt characters are set 0.25 pt
   * closer (w:spacing −5 twips; 28 × 15.75 pt fits, 28 × 15.8 pt would not). A line-and-character
   * docGrid (charSpace −841) does the same in Word, but LibreOffice spreads such a grid to ~18
   * characters a line, so only the line grid is declared and the spacing carries the characters.
   */
  characterSpacing: -5,
  /** Footer bottom 25.8 mm above the page edge: the 14 pt number line's dashes sit ≈ 7 mm under the type area. */
  footer: 1463,
  header: 851,
} as const;
/** One character of the 28-character line, in twips (156 mm / 28). */
const CHAR = 316;
/** The type area's width (156 mm). */
const TYPE_WIDTH = LAYOUT.pageWidth - LAYOUT.marginLeft - LAYOUT.marginRight;

/** Half-points: 2号 22 pt, 3号 16 pt, 4号 14 pt, 小四 12 pt. */
const SIZE = { er: 44, san: 32, si: 28, xiaosi: 24 } as const;

/**
 * Font names as Word and WPS know them. A .docx names one font per script; where the first is missing
 * the fallbacks below are the usual substitutes (they are listed in the HTML font stacks too).
 */
export const FONTS = {
  /** 小标宋: 方正小标宋简体, else 方正小标宋_GBK, 华文中宋 (STZhongsong), 宋体 (SimSun). */
  title: ['方正小标宋简体', '方正小标宋_GBK', '华文中宋', 'STZhongsong', '宋体', 'SimSun'],
  /** 黑体: SimHei, else 方正黑体_GBK, 华文黑体 (STHeiti). */
  hei: ['黑体', 'SimHei', '方正黑体_GBK', 'STHeiti'],
  /** 楷体: KaiTi, else 楷体_GB2312, 方正楷体_GBK, 华文楷体 (STKaiti). */
  kai: ['楷体', 'KaiTi', '楷体_GB2312', '方正楷体_GBK', 'STKaiti'],
  /** 仿宋: FangSong, else 仿宋_GB2312, 方正仿宋_GBK, 华文仿宋 (STFangsong). */
  fang: ['仿宋', 'FangSong', '仿宋_GB2312', '方正仿宋_GBK', 'STFangsong'],
  /** 宋体 for page numbers. */
  song: ['宋体', 'SimSun', 'STSong'],
  latin: ['Times New Roman'],
} as const;

const font = (eastAsia: readonly string[]) => ({
  ascii: FONTS.latin[0],
  hAnsi: FONTS.latin[0],
  cs: FONTS.latin[0],
  eastAsia: eastAsia[0]!,
});
const exact = (line: number) => ({ line, lineRule: LineRuleType.EXACT, before: 0, after: 0 });

/** Width of text in characters of the line: CJK and full-width one, ASCII half. */
function ems(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) < 0x2000 ? 0.5 : 1;
  return w;
}

/** Right indents (in characters) of the issuing office and the date, GB/T 9704-2012 §7.3.5.2. */
export function signatureIndents(issuer: string, date: string): { issuer: number; date: number } {
  const i = ems(issuer);
  const d = ems(date);
  // The date starts two characters right of the office; the office keeps two characters from the right.
  if (i - 2 >= d) return { issuer: 2, date: i - 2 - d + 2 };
  return { issuer: 4 + d - i, date: 2 };
}

function runsOfHeading(b: Extract<Block, { kind: 'heading' }>): TextRun[] {
  const runs = [new TextRun(b.text)];
  // A heading with its text in the same paragraph: the text in the body face (仿宋, not bold).
  if (b.body) runs.push(new TextRun({ text: b.body, font: font(FONTS.fang), bold: false, italics: false }));
  return runs;
}

/** Ems of a 2号 (22 pt) title on the 156 mm line. */
const TITLE_EMS = 20;

/** The title's lines: its parts packed greedily into lines of at most one line's width. */
export function titleLines(d: Pick<OfficialDocument, 'title' | 'titleParts'>): string[] {
  const parts = d.titleParts?.length ? d.titleParts : [d.title];
  const lines: string[] = [];
  for (const p of parts) {
    const last = lines[lines.length - 1];
    if (last !== undefined && ems(last + p) <= TITLE_EMS) lines[lines.length - 1] = last + p;
    else lines.push(p);
  }
  return lines;
}

/** A title cut into pieces around the names it contains (each name stays whole on a line). */
export function titlePartsAround(title: string, names: string[]): string[] {
  let parts = [title];
  for (const n of names.filter(Boolean))
    parts = parts.flatMap((p) => (p === n ? [p] : p.split(n).flatMap((x, i) => (i === 0 ? [x] : [n, x]))));
  return parts.filter((p) => p !== '');
}

/**
 * Column widths in twips, from the widest cell of each column at the table's 12 pt (headers may wrap
 * onto two lines): narrow columns (codes, counts, short labels) get all they need, the wide text
 * columns share the rest of the 156 mm.
 */
function columnWidths(b: Extract<Block, { kind: 'table' }>): number[] {
  const EM = 240; // 12 pt
  const avail = TYPE_WIDTH / EM;
  const needs = (header: number) =>
    b.columns.map(
      (c, i) => Math.min(14, Math.max(2, ems(c.title) * header, ...b.rows.map((r) => ems(r[i] ?? '')))) + 0.6,
    );
  const sumOf = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
  // Headers on one line when everything fits that way, else on two.
  const need = sumOf(needs(1)) <= avail ? needs(1) : needs(0.5);
  const total = sumOf(need);
  if (total <= avail) return need.map((w) => Math.floor((w / total) * TYPE_WIDTH));
  const rigid = need.map((w) => w <= 8);
  const fixed = need.reduce((a, w, i) => a + (rigid[i] ? w : 0), 0);
  const flex = total - fixed;
  const scale = flex > 0 ? Math.max(0, avail - fixed) / flex : 0;
  const widths = need.map((w, i) => (rigid[i] ? w : w * scale));
  const sum = sumOf(widths);
  return widths.map((w) => Math.floor((w / sum) * TYPE_WIDTH));
}

function docxTable(b: Extract<Block, { kind: 'table' }>): Table {
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const widths = columnWidths(b);
  const cell = (text: string, head: boolean, numeric: boolean, i: number) =>
    new TableCell({
      width: { size: widths[i] ?? 0, type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.CENTER,
      margins: { left: 60, right: 60 },
      children: [
        new Paragraph({
          alignment: head ? AlignmentType.CENTER : numeric ? AlignmentType.RIGHT : AlignmentType.LEFT,
          spacing: exact(360),
          indent: { firstLine: 0 },
          children: [
            new TextRun({
              text,
              size: SIZE.xiaosi,
              font: head ? font(FONTS.hei) : font(FONTS.fang),
            }),
          ],
        }),
      ],
    });
  return new Table({
    width: { size: TYPE_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: {
      top: border,
      bottom: border,
      left: border,
      right: border,
      insideHorizontal: border,
      insideVertical: border,
    },
    rows: [
      new TableRow({
        tableHeader: true,
        children: b.columns.map((c, i) => cell(c.title, true, false, i)),
      }),
      ...b.rows.map(
        (r) =>
          new TableRow({
            cantSplit: true,
            children: r.map((v, i) => cell(v, false, !!b.columns[i]?.numeric, i)),
          }),
      ),
    ],
  });
}

function docxBlocks(blocks: Block[]): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading') {
      out.push(new Paragraph({ style: `Heading${b.level}`, children: runsOfHeading(b) }));
    } else if (b.kind === 'paragraph') {
      out.push(new Paragraph({ style: 'BodyText', children: [new TextRun(b.text)] }));
    } else {
      out.push(docxTable(b));
      // A table is followed by a blank line so the next paragraph does not stick to it.
      out.push(new Paragraph({ style: 'BodyText', children: [] }));
    }
  }
  return out;
}

function pageNumberFooter(side: 'odd' | 'even'): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: 280, firstLine: 0 } : { left: 280, firstLine: 0 },
        spacing: exact(280),
        children: [
          new TextRun({
            children: ['— ', PageNumber.CURRENT, ' —'],
            size: SIZE.si,
            font: { ascii: FONTS.song[0], hAnsi: FONTS.song[0], cs: FONTS.song[0], eastAsia: FONTS.song[0] },
          }),
        ],
      }),
    ],
  });
}

export async function toDocx(d: OfficialDocument): Promise<Buffer> {
  const en = d.locale === 'en';
  const ind = signatureIndents(d.issuer, d.date);
  const blank = () => new Paragraph({ style: 'BodyText', children: [] });
  const heading = (
    id: string,
    name: string,
    level: number,
    run: IRunOptions,
  ): {
    id: string;
    name: string;
    basedOn: string;
    next: string;
    quickFormat: boolean;
    run: IRunOptions;
    paragraph: object;
  } => ({
    id,
    name,
    basedOn: 'Normal',
    next: 'BodyText',
    quickFormat: true,
    run: { size: SIZE.san, color: '000000', ...run },
    paragraph: {
      outlineLevel: level,
      keepNext: true,
      spacing: exact(LAYOUT.linePitch),
      indent: { firstLine: 2 * CHAR, firstLineChars: 200 },
    },
  });

  const annexPages = d.annexes.flatMap((a) => [
    new Paragraph({
      pageBreakBefore: true,
      indent: { firstLine: 0 },
      children: [new TextRun({ text: a.label, font: font(FONTS.hei) })],
    }),
    blank(),
    new Paragraph({ style: 'Title', children: [new TextRun(a.title)] }),
    blank(),
    ...docxBlocks(a.blocks),
  ]);

  const doc = new Document({
    title: d.title,
    creator: d.issuer,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: {
            font: font(FONTS.fang),
            size: SIZE.san,
            color: '000000',
            characterSpacing: LAYOUT.characterSpacing,
          },
          paragraph: { spacing: exact(LAYOUT.linePitch), alignment: AlignmentType.JUSTIFIED },
        },
      },
      paragraphStyles: [
        {
          id: 'Title',
          name: 'Title',
          basedOn: 'Normal',
          next: 'BodyText',
          quickFormat: true,
          run: { font: font(en ? FONTS.latin : FONTS.title), size: SIZE.er, bold: en, color: '000000' },
          paragraph: { alignment: AlignmentType.CENTER, spacing: exact(LAYOUT.linePitch) },
        },
        heading('Heading1', 'heading 1', 0, { font: font(FONTS.hei), bold: en }),
        heading('Heading2', 'heading 2', 1, { font: font(FONTS.kai), bold: false, italics: en }),
        heading('Heading3', 'heading 3', 2, { font: font(FONTS.fang), bold: true }),
        {
          id: 'BodyText',
          name: 'Body Text',
          basedOn: 'Normal',
          quickFormat: true,
          paragraph: {
            indent: { firstLine: 2 * CHAR, firstLineChars: 200 },
            spacing: exact(LAYOUT.linePitch),
          },
        },
      ],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: LAYOUT.pageWidth, height: LAYOUT.pageHeight },
            margin: {
              top: LAYOUT.marginTop,
              bottom: LAYOUT.marginBottom,
              left: LAYOUT.marginLeft,
              right: LAYOUT.marginRight,
              header: LAYOUT.header,
              footer: LAYOUT.footer,
            },
            pageNumbers: { start: 1 },
          },
          grid: {
            type: DocumentGridType.LINES,
            linePitch: LAYOUT.linePitch,
          },
        },
        footers: { default: pageNumberFooter('odd'), even: pageNumberFooter('even') },
        children: [
          new Paragraph({
            style: 'Title',
            children: titleLines(d).map(
              (line, i) => new TextRun({ text: line, ...(i > 0 ? { break: 1 } : {}) }),
            ),
          }),
          blank(),
          ...docxBlocks(d.blocks),
          ...(d.annexNote
            ? [blank(), new Paragraph({ style: 'BodyText', children: [new TextRun(d.annexNote)] })]
            : []),
          blank(),
          new Paragraph({
            alignment: AlignmentType.RIGHT,
            indent: { right: ind.issuer * CHAR, firstLine: 0 },
            children: [new TextRun(d.issuer)],
          }),
          new Paragraph({
            alignment: AlignmentType.RIGHT,
            indent: { right: ind.date * CHAR, firstLine: 0 },
            children: [new TextRun(d.date)],
          }),
          ...annexPages,
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
const stack = (xs: readonly string[], generic: string) => [...xs.map((x) => `"${x}"`), generic].join(', ');

function htmlBlocks(blocks: Block[]): string {
  return blocks
    .map((b) => {
      if (b.kind === 'paragraph') return `<p>${esc(b.text)}</p>`;
      if (b.kind === 'heading') {
        const tag = `h${b.level + 1}`;
        return b.body
          ? `<p class="lead"><${tag === 'h2' ? 'strong' : 'span'} class="h${b.level}">${esc(b.text)}</${tag === 'h2' ? 'strong' : 'span'}>${esc(b.body)}</p>`
          : `<${tag}>${esc(b.text)}</${tag}>`;
      }
      const head = b.columns.map((c) => `<th scope="col">${esc(c.title)}</th>`).join('');
      const rows = b.rows
        .map(
          (r) =>
            `<tr>${r.map((v, i) => `<td${b.columns[i]?.numeric ? ' class="num"' : ''}>${esc(v)}</td>`).join('')}</tr>`,
        )
        .join('');
      return `<div class="table"><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
    })
    .join('\n');
}

export function toHtml(d: OfficialDocument): string {
  const ind = signatureIndents(d.issuer, d.date);
  const serif = d.locale === 'en' ? '"Times New Roman", serif' : stack(FONTS.fang, 'serif');
  return `<!doctype html>
<html lang="${d.locale === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(d.title)}</title>
<style>
@page{size:A4;margin:37mm 26mm 35mm 28mm}
body{font-family:${serif};font-size:16pt;line-height:28.95pt;max-width:156mm;margin:2rem auto;padding:0 1rem;color:#000}
h1{font-family:${d.locale === 'en' ? '"Times New Roman", serif' : stack(FONTS.title, 'serif')};font-size:22pt;font-weight:${d.locale === 'en' ? 'bold' : 'normal'};text-align:center;margin:0 0 28.95pt;line-height:1.4}
h2,.h1{font-family:${stack(FONTS.hei, 'sans-serif')};font-size:16pt;font-weight:${d.locale === 'en' ? 'bold' : 'normal'};margin:0;text-indent:2em}
h3,.h2{font-family:${stack(FONTS.kai, 'serif')};font-size:16pt;font-weight:normal;margin:0;text-indent:2em${d.locale === 'en' ? ';font-style:italic' : ''}}
h4,.h3{font-family:${serif};font-size:16pt;font-weight:bold;margin:0;text-indent:2em}
.lead .h2,.lead .h3{text-indent:0}
p{margin:0;text-indent:2em;text-align:justify}
.table{overflow-x:auto;margin:0 0 28.95pt}
table{border-collapse:collapse;width:100%;font-size:12pt;line-height:1.5}
th{font-family:${stack(FONTS.hei, 'sans-serif')};font-weight:normal}
td,th{border:1px solid #000;padding:.15rem .3rem;text-align:left}
td.num{text-align:right}
.sign{text-indent:0;text-align:right;margin-top:28.95pt}
.annex{page-break-before:always;break-before:page;margin-top:3rem}
.annex-label{font-family:${stack(FONTS.hei, 'sans-serif')};text-indent:0}
@media (max-width:600px){body{font-size:13pt;line-height:1.8}h1{font-size:18pt}}
</style></head>
<body>
<h1>${titleLines(d).map(esc).join('<br>')}</h1>
${htmlBlocks(d.blocks)}
${d.annexNote ? `<p style="margin-top:28.95pt">${esc(d.annexNote)}</p>` : ''}
<p class="sign" style="padding-right:${ind.issuer}em">${esc(d.issuer)}</p>
<p class="sign" style="margin-top:0;padding-right:${ind.date}em">${esc(d.date)}</p>
${d.annexes
  .map(
    (a) =>
      `<section class="annex"><p class="annex-label">${esc(a.label)}</p><h1 style="margin-top:28.95pt">${esc(a.title)}</h1>\n${htmlBlocks(a.blocks)}</section>`,
  )
  .join('\n')}
</body></html>`;
}

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
