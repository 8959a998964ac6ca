/**
 * The district summary and the per-unit report as official documents, built from data that went
 * through the real system: the API and the worker on the time-skipping Temporal server, real
 * PostgreSQL, a real SMTP server. Five clues are registered and driven through their plans (one plan
 * returned and resubmitted with other measures, one still under review, one never started); three units
 * take part in a campaign (one files everything on time, one files its plan late and one piece of work
 * information, one files nothing); then time is skipped past the summary report's deadline.
 *
 * The .docx is opened (jszip) and its XML parsed (@xmldom/xmldom): page size and margins, the line
 * grid, heading levels and their faces, page numbers, the signature block and date; the disposal-type
 * figures against the approved plans read back from the API; the missing units named; the on-time rate
 * against the clock rows, an open overdue clock counted late.
 *
 * Set REPORT_SAMPLE_DIR to keep the generated documents (used to render docs/samples/, not in CI).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DOMParser, type Document as XmlDocument, type Element } from '@xmldom/xmldom';
import JSZip from 'jszip';
import { DistrictSummarySchema, UnitReportSchema } from '../../api/routes/reports';
import type { DistrictSummary } from '../../src/reports/district-summary';
import { documentDate } from '../../src/reports/format';
import type { UnitReport } from '../../src/reports/unit-report';
import { unitWorkflowId } from '../../workflows/campaign.messages';
import { intakeBody, startTestApp, type TestApp } from '../helpers/app';
import {
  clearOfTimers,
  eventually,
  freshDatabase,
  startSmtp,
  timeSkippingEnv,
  type TestDb,
  type TestSmtp,
} from '../helpers/services';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const DAY = 86_400_000;
const A = 'tushan-scenic-area';
const B = 'changhuai-town';
const C = 'yanshan-town';

let env: TestWorkflowEnvironment;
let db: TestDb;
let smtp: TestSmtp;
let app: TestApp;
let campaignId: string;
let campaignName: string;
const clue: Record<'a' | 'b' | 'c' | 'd' | 'e', { id: string; ref: string }> = {} as never;

const iso = (ms: number) => new Date(ms).toISOString();
async function sleepUntil(target: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (target > now) await env.sleep(target - now);
}
async function ok(p: Promise<{ status: number; body: unknown }>, what: string, status = 200) {
  const r = await p;
  if (r.status !== status) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}

async function register(name: string, o: Record<string, unknown>): Promise<{ id: string; ref: string }> {
  const body = intakeBody({ subject: { name, kind: 'enterprise' }, ...o });
  const r = await ok(app.call('u-coordinator', 'POST', '/api/v1/clues', body), `register ${name}`, 201);
  const c = r.body as { id: string; ref: string };
  await eventually(async () => {
    const [row] = await db.q<{ stage: string }[]>('select stage from clues where id = ?', [c.id]);
    expect(row?.stage).toBe('verifying');
  });
  return { id: c.id, ref: c.ref };
}

/** Verify, classify and submit a plan, as the lead unit's officer (or the coordinator for a unit without one). */
async function plan(
  user: string,
  id: string,
  strategies: string[],
  nature = 'suspected_illegal_fundraising',
) {
  const now = await env.currentTimeMs();
  await ok(
    app.call(user, 'POST', `/api/v1/clues/${id}/verification`, {
      findings: 'On-site check.',
      factsConfirmed: true,
    }),
    'verify',
  );
  await ok(
    app.call(user, 'POST', `/api/v1/clues/${id}/classification`, {
      nature,
      repaymentAbility: 'partial',
      repaymentWillingness: 'high',
      reasoning: 'Deposits taken from the public with promised returns.',
    }),
    'classify',
  );
  await submitPlan(user, id, strategies, now);
}
async function submitPlan(user: string, id: string, strategies: string[], now: number) {
  await ok(
    app.call(user, 'POST', `/api/v1/clues/${id}/plan`, {
      strategies,
      measures: 'Interview the principals; order the scheme to stop.',
      responsiblePerson: 'Wang Fang',
      milestones: [
        { title: 'first step', dueAt: iso(now + 5 * DAY) },
        { title: 'second step', dueAt: iso(now + 40 * DAY) },
      ],
    }),
    'plan',
  );
}
const review = (id: string, decision: 'approve' | 'return', comment = '') =>
  ok(app.call('u-coordinator', 'POST', `/api/v1/clues/${id}/plan-review`, { decision, comment }), 'review');

beforeAll(async () => {
  [env, db, smtp] = await Promise.all([timeSkippingEnv(), freshDatabase('official_doc'), startSmtp()]);
  app = await startTestApp({ env, db, smtp, taskQueue: 'official-document' });

  const t0 = await env.currentTimeMs();
  const created = await ok(
    app.call('u-coordinator', 'POST', '/api/v1/campaigns', {
      name: '非法集资风险专项排查活动',
      phases: {
        mobilization: { start: iso(t0 - 3_600_000), end: iso(t0 + 3 * DAY) },
        implementation: { start: iso(t0 + 3 * DAY), end: iso(t0 + 10 * DAY) },
        summaryReportDue: iso(t0 + 12 * DAY),
      },
      unitIds: [A, B, C],
      policy: {
        mode: 'calendar',
        calendar: 'weekdays',
        reminders: ['P1D'],
        escalation: ['PT0S', 'P1D', 'P2D'],
      },
    }),
    'campaign',
    201,
  );
  campaignId = (created.body as { id: string }).id;
  campaignName = (created.body as { name: string }).name;

  // 151,900,000 yuan in all: "1.52亿元".
  clue.a = await register('涂山福寿养老服务有限公司', {
    leadUnitId: A,
    keyArea: 'elderly_care',
    keyBehaviours: ['targets_elderly'],
    amountCny: 120_000_000,
    participants: 600,
    publicOpinion: 'regional',
    stabilityRisk: 'high',
  });
  clue.b = await register('淮河互助网络平台', {
    leadUnitId: B,
    keyArea: 'p2p_lending',
    keyBehaviours: ['mutual_aid'],
    online: true,
    amountCny: 25_000_000,
    participants: 1200,
  });
  clue.c = await register('涂山旅游消费返利商城', {
    leadUnitId: A,
    keyArea: 'e_commerce',
    keyBehaviours: ['consumer_rebate'],
    online: true,
    amountCny: 3_900_000,
    participants: 150,
  });
  clue.d = await register('燕山养牛托管合作社', {
    leadUnitId: C,
    keyArea: 'agricultural_cooperative',
    keyBehaviours: ['livestock_custody'],
    amountCny: 2_000_000,
    participants: 80,
  });
  clue.e = await register('燕山茶叶众筹工作室', {
    leadUnitId: C,
    keyArea: 'crowdfunding',
    keyBehaviours: ['other'],
    amountCny: 1_000_000,
    participants: 30,
  });

  // A: warning interview + rectification, approved.
  await plan('u-tushan', clue.a.id, ['warning_interview', 'standardized_rectification']);
  await review(clue.a.id, 'approve');
  // B: penalty + online cleanup returned; warning interview + online cleanup approved.
  await plan('u-changhuai', clue.b.id, ['administrative_penalty', 'online_cleanup']);
  await review(clue.b.id, 'return', 'A penalty is not proportionate; interview first.');
  await submitPlan(
    'u-changhuai',
    clue.b.id,
    ['warning_interview', 'online_cleanup'],
    await env.currentTimeMs(),
  );
  await review(clue.b.id, 'approve');
  // C: criminal referral + warning interview, approved (goes to public security).
  await plan('u-tushan', clue.c.id, ['criminal_referral', 'warning_interview'], 'suspected_crime');
  await review(clue.c.id, 'approve');
  // D: a penalty plan still under review. E: never verified.
  await plan('u-coordinator', clue.d.id, ['administrative_penalty']);

  // Campaign deliverables: Tushan everything on time, with clue A as its typical case.
  const base = `/api/v1/campaigns/${campaignId}/units`;
  await ok(
    app.call('u-tushan', 'POST', `${base}/${A}/implementation-plan`, {
      riskPoints: ['“养老公寓”高息返利'],
      measures: ['逐户走访养老机构'],
      responsibilities: [{ duty: '网格排查', responsible: '王芳' }],
    }),
    'tushan plan',
  );
  for (const n of [1, 2, 3])
    await ok(
      app.call('u-tushan', 'POST', `${base}/${A}/information`, {
        type: 'highlights',
        title: `工作动态${n}`,
        content: `第${n}期工作动态。`,
      }),
      'tushan information',
    );
  await ok(
    app.call('u-tushan', 'POST', `${base}/${A}/summary-report`, {
      overallSituation: '涂山风景区共排查养老机构12家，发现风险线索2条。',
      regionalDistribution: '风险主要分布在景区北部养老社区。',
      causes: '老年人金融知识欠缺。',
      difficultiesAndOutlook: '部分机构资金链紧张，存在兑付风险。',
      nextSteps: '开展养老领域专项宣传。',
      typicalCases: [
        { clue: clue.a.ref, title: '“养老公寓”高息返利案', summary: '以预售养老床位为名承诺年化12%返利。' },
      ],
    }),
    'tushan report',
  );
  // Changhuai: one piece of information now, its plan after the deadline, no summary report.
  await ok(
    app.call('u-changhuai', 'POST', `${base}/${B}/information`, {
      type: 'risks_found',
      title: '发现网络互助平台',
      content: '以互助名义发展会员。',
    }),
    'changhuai information',
  );
  // A day after the plan's deadline, an hour before its ladder's next rung: filing the plan cancels
  // that rung's timer, which must not be about to fire (clearOfTimers).
  await sleepUntil(t0 + 4 * DAY - 3_600_000);
  await clearOfTimers(env, [app.ctx.temporal.workflow.getHandle(unitWorkflowId(campaignId, B))]);
  await ok(
    app.call('u-changhuai', 'POST', `${base}/${B}/implementation-plan`, {
      riskPoints: ['网络互助平台'],
      measures: ['网络监测'],
      responsibilities: [{ duty: '监测', responsible: '李强' }],
    }),
    'changhuai plan',
  );
  // Past the summary report's deadline and its whole ladder, and past E's verification time limit
  // (15 working days at most, grade IV).
  await sleepUntil(t0 + 25 * DAY);
  await eventually(async () => {
    const [row] = await db.q<{ n: number }[]>(
      `select count(*)::int as n from clocks where owner_type = 'campaign' and owner_id = ? and unit_id = ? and task = 'summary_report' and level >= 1`,
      [campaignId, C],
    );
    expect(row?.n).toBe(1);
  }, 60_000);
}, 300_000);

afterAll(async () => {
  await app?.close();
  await Promise.all([env?.teardown(), db?.close(), smtp?.close()]);
});

// ── reading the .docx ──────────────────────────────────────────────────────────────────────────────

interface Para {
  style: string;
  text: string;
  align: string;
  indRight: number;
  pageBreakBefore: boolean;
  inTable: boolean;
}
interface Docx {
  zip: JSZip;
  document: XmlDocument;
  styles: XmlDocument;
  settings: XmlDocument;
  paragraphs: Para[];
  text: string;
}

const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');
const els = (n: XmlDocument | Element, name: string) => Array.from(n.getElementsByTagNameNS(W, name));
const attr = (e: Element | undefined, name: string) => e?.getAttributeNS(W, name) ?? '';
const first = (n: Element, name: string): Element | undefined => els(n, name)[0];

async function openDocx(buf: Buffer): Promise<Docx> {
  const zip = await JSZip.loadAsync(buf);
  const read = async (p: string) => parse(await zip.file(p)!.async('string'));
  const document = await read('word/document.xml');
  const paragraphs = els(document, 'p').map((p) => {
    const pPr = els(p, 'pPr').find((x) => x.parentNode === p);
    let inTable = false;
    for (let n = p.parentNode; n; n = n.parentNode) if ((n as Element).localName === 'tbl') inTable = true;
    return {
      style: attr(pPr && first(pPr, 'pStyle'), 'val'),
      text: els(p, 't')
        .map((t) => t.textContent ?? '')
        .join(''),
      align: attr(pPr && first(pPr, 'jc'), 'val'),
      indRight: Number(attr(pPr && first(pPr, 'ind'), 'right') || 0),
      pageBreakBefore: !!(pPr && first(pPr, 'pageBreakBefore')),
      inTable,
    };
  });
  return {
    zip,
    document,
    styles: await read('word/styles.xml'),
    settings: await read('word/settings.xml'),
    paragraphs,
    text: paragraphs.map((p) => p.text).join('\n'),
  };
}

function style(d: Docx, id: string): { eastAsia: string; bold: boolean; size: number; outline: string } {
  const s = els(d.styles, 'style').find((x) => attr(x, 'styleId') === id)!;
  expect(s).toBeDefined();
  const b = first(s, 'b');
  return {
    eastAsia: attr(first(s, 'rFonts'), 'eastAsia'),
    bold: !!b && attr(b, 'val') !== 'false' && attr(b, 'val') !== '0',
    size: Number(attr(first(s, 'sz'), 'val') || 0),
    outline: attr(first(s, 'outlineLvl'), 'val'),
  };
}

/** The table whose header row starts with `head`, as rows of cell texts. */
function table(d: Docx, head: string): string[][] {
  const t = els(d.document, 'tbl').find((x) => (first(x, 'tc')?.textContent ?? '') === head);
  if (!t) throw new Error(`no table headed ${head}`);
  return els(t, 'tr').map((tr) => els(tr, 'tc').map((tc) => tc.textContent ?? ''));
}

const twipsToMm = (tw: number) => (tw * 25.4) / 1440;

async function download(user: string, path: string) {
  const r = await fetch(app.url + path, { headers: { authorization: `Bearer ${db.tokens[user]}` } });
  return { status: r.status, headers: r.headers, buf: Buffer.from(await r.arrayBuffer()) };
}

function keep(name: string, buf: Buffer) {
  const dir = process.env.REPORT_SAMPLE_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), buf);
}

let zhDoc: Docx;
let summary: DistrictSummary;

describe('given five clues and a three-unit campaign run past its summary report deadline', () => {
  test('when the district summary is downloaded, then it is an A4 .docx with the GB/T 9704-2012 margins, 22-line grid, page numbers outside, and a readable file name', async () => {
    const r = await download('u-leader', `/api/v1/campaigns/${campaignId}/district-summary?format=docx`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('wordprocessingml');
    keep('district-summary.zh-CN.docx', r.buf);
    const cd = r.headers.get('content-disposition')!;
    const star = /filename\*=UTF-8''([^;]+)/.exec(cd)![1]!;
    expect(decodeURIComponent(star)).toBe(`关于${campaignName}的总结报告.docx`);
    expect(cd).toContain(`filename="district-summary-${campaignId}.docx"`);
    zhDoc = await openDocx(r.buf);

    const sectPr = els(zhDoc.document, 'sectPr').at(-1)!;
    const pgSz = first(sectPr, 'pgSz')!;
    expect([attr(pgSz, 'w'), attr(pgSz, 'h')].map((v) => Math.round(twipsToMm(Number(v))))).toEqual([
      210, 297,
    ]);
    const mar = first(sectPr, 'pgMar')!;
    const mm = (k: string) => twipsToMm(Number(attr(mar, k)));
    expect(mm('top')).toBeCloseTo(37, 0);
    expect(mm('bottom')).toBeCloseTo(35, 0);
    expect(mm('left')).toBeCloseTo(28, 0);
    expect(mm('right')).toBeCloseTo(26, 0);
    // Type area 156 mm × 225 mm.
    expect(
      twipsToMm(Number(attr(pgSz, 'w')) - Number(attr(mar, 'left')) - Number(attr(mar, 'right'))),
    ).toBeCloseTo(156, 0);
    // 22 lines: the line grid and the body's exact line height.
    const grid = first(sectPr, 'docGrid')!;
    expect(attr(grid, 'type')).toBe('lines');
    const typeHeight = Number(attr(pgSz, 'h')) - Number(attr(mar, 'top')) - Number(attr(mar, 'bottom'));
    expect(Math.floor(typeHeight / Number(attr(grid, 'linePitch')))).toBe(22);
    // Body default: 3号 (16 pt) 仿宋, set so that exactly 28 characters fill the 156 mm line.
    const defaults = els(zhDoc.styles, 'docDefaults')[0]!;
    expect(attr(first(defaults, 'sz'), 'val')).toBe('32');
    expect(attr(first(defaults, 'rFonts'), 'eastAsia')).toBe('仿宋');
    const spacing = els(defaults, 'spacing');
    const line = spacing.find((x) => x.getAttributeNS(W, 'line'));
    expect([attr(line, 'line'), attr(line, 'lineRule')]).toEqual([attr(grid, 'linePitch'), 'exact']);
    const charTwips =
      16 * 20 +
      Number(
        attr(
          spacing.find((x) => x.getAttributeNS(W, 'val')),
          'val',
        ),
      );
    const typeWidth = Number(attr(pgSz, 'w')) - Number(attr(mar, 'left')) - Number(attr(mar, 'right'));
    expect(Math.floor(typeWidth / charTwips)).toBe(28);

    // Page numbers "— n —": odd pages right, even pages left, different footers switched on.
    expect(els(zhDoc.settings, 'evenAndOddHeaders')).toHaveLength(1);
    const refs = els(sectPr, 'footerReference').map((f) => [attr(f, 'type'), f.getAttribute('r:id')]);
    expect(refs.map(([t]) => t).sort()).toEqual(['default', 'even']);
    const rels = await zhDoc.zip.file('word/_rels/document.xml.rels')!.async('string');
    for (const [type, rid] of refs) {
      const target = new RegExp(`Id="${rid}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? '';
      const footer = parse(await zhDoc.zip.file(`word/${target}`)!.async('string'));
      expect(els(footer, 't').map((x) => x.textContent)).toEqual(['— ', ' —']);
      expect(els(footer, 'instrText').map((x) => x.textContent?.trim())).toContain('PAGE');
      expect(attr(els(footer, 'jc')[0], 'val')).toBe(type === 'even' ? 'left' : 'right');
      expect(attr(els(footer, 'sz')[0], 'val')).toBe('28');
    }
  });

  test('then the title is 2号小标宋 centred, headings are 一、 in 黑体, （一） in 楷体 and 1. in bold 仿宋, numbered in order', () => {
    expect(zhDoc.paragraphs[0]).toMatchObject({ style: 'Title', text: `关于${campaignName}的总结报告` });
    expect(style(zhDoc, 'Title')).toMatchObject({ eastAsia: '方正小标宋简体', size: 44 });
    const jc = els(
      els(zhDoc.styles, 'style').find((x) => attr(x, 'styleId') === 'Title')!,
      'jc',
    )[0];
    expect(attr(jc, 'val')).toBe('center');
    expect(style(zhDoc, 'Heading1')).toMatchObject({ eastAsia: '黑体', bold: false, outline: '0' });
    expect(style(zhDoc, 'Heading2')).toMatchObject({ eastAsia: '楷体', bold: false, outline: '1' });
    expect(style(zhDoc, 'Heading3')).toMatchObject({ eastAsia: '仿宋', bold: true, outline: '2' });

    const body = zhDoc.paragraphs.slice(
      0,
      zhDoc.paragraphs.findIndex((p) => p.pageBreakBefore),
    );
    const h1 = body.filter((p) => p.style === 'Heading1').map((p) => p.text);
    expect(h1).toEqual([
      '一、总体情况',
      '二、处置措施',
      '三、各单位工作落实情况',
      '四、区域分布',
      '五、成因分析',
      '六、困难问题及风险研判',
      '七、典型案例',
      '八、下一步工作措施',
    ]);
    const h2 = body.filter((p) => p.style === 'Heading2').map((p) => p.text);
    expect(h2.slice(0, 2)).toEqual(['（一）线索排查情况', '（二）分类统计']);
    for (const t of h2) expect(t).toMatch(/^（[一二三四五六七八九十]+）/);
    const h3 = body.filter((p) => p.style === 'Heading3').map((p) => p.text);
    expect(h3.map((t) => t.slice(0, 7))).toEqual(['1.按重点领域', '2.按行为特征', '3.按风险等级']);
  });

  test('then it ends with the annex note, the issuing office and the date written 年月日 right-aligned, and no generation stamp', () => {
    const i = zhDoc.paragraphs.findIndex((p) => p.pageBreakBefore);
    const body = zhDoc.paragraphs.slice(0, i).filter((p) => p.text !== '');
    const [note, issuer, date] = body.slice(-3);
    expect(note!.text).toBe('附件：各单位总结报告');
    expect(issuer).toMatchObject({ text: '区处置非法集资工作领导小组办公室', align: 'right' });
    const today = documentDate(Date.now(), 'zh-CN');
    expect(today).toMatch(/^\d{4}年[1-9]\d?月[1-9]\d?日$/);
    expect(date).toMatchObject({ text: today, align: 'right' });
    // Office two characters from the right; the date starts two characters right of the office's start.
    const CHAR = 316;
    expect(issuer!.indRight / CHAR).toBeCloseTo(2, 1);
    expect((issuer!.indRight + 16 * CHAR - (date!.indRight + 6.5 * CHAR)) / CHAR).toBeCloseTo(2, 1);
    expect(zhDoc.text).not.toMatch(/生成时间|Generated|\d{4}-\d{2}-\d{2}/);
    // The annex: "附件" on a new page, its title, the units' own words.
    const annex = zhDoc.paragraphs.slice(i).filter((p) => p.text !== '');
    expect(annex[0]).toMatchObject({ text: '附件', pageBreakBefore: true });
    expect(annex[1]).toMatchObject({ text: '各单位总结报告', style: 'Title' });
    expect(annex.map((p) => p.text)).toContain('一、涂山风景区');
    expect(zhDoc.text).toContain('老年人金融知识欠缺。');
  });

  test('then the figures by disposal type are those of the approved plans only, and amounts are written in 亿元 / 万元', async () => {
    const expected = new Map<string, number>();
    for (const c of Object.values(clue)) {
      const r = await ok(app.call('u-coordinator', 'GET', `/api/v1/clues/${c.id}`), 'clue');
      const p = (r.body as { state: { plan: { strategies: string[]; approvedAt: string | null } | null } })
        .state.plan;
      if (p?.approvedAt) for (const s of p.strategies) expected.set(s, (expected.get(s) ?? 0) + 1);
    }
    // A: interview + rectification; B: the resubmitted interview + cleanup; C: referral + interview.
    expect(Object.fromEntries(expected)).toEqual({
      warning_interview: 3,
      standardized_rectification: 1,
      online_cleanup: 1,
      criminal_referral: 1,
    });
    const rows = table(zhDoc, '处置方式').slice(1);
    const labels: Record<string, string> = {
      warning_interview: '警示约谈',
      standardized_rectification: '规范整改',
      administrative_penalty: '行政处罚',
      online_cleanup: '网上信息清理',
      criminal_referral: '移送公安机关',
    };
    expect(rows.map((r) => r.slice(0, 2))).toEqual(
      Object.entries(labels).map(([k, l]) => [l, String(expected.get(k) ?? 0)]),
    );
    // Warning interviews: A + B + C = 148,900,000 yuan = 14890.00 万元.
    expect(rows[0]![2]).toBe('14890.00');
    expect(zhDoc.text).toContain(
      '3条线索的处置方案经区处置非法集资工作领导小组办公室审核同意，1条正在审核，1条尚未形成经审核同意的方案。按经审核同意的方案统计（一条线索可采取多种处置方式）：警示约谈3条、规范整改1条、行政处罚0条、网上信息清理1条、移送公安机关1条。',
    );
    expect(zhDoc.text).toContain('对3条线索涉及的主体开展警示约谈');
    expect(zhDoc.text).toContain(
      '专项排查期间全区新登记非法集资风险线索5条，涉及金额1.52亿元，参与群众2060人。',
    );
    expect(zhDoc.text).not.toMatch(/\d{1,3}(,\d{3})+\.\d\d元/);
    expect(table(zhDoc, '重点领域')[1]).toEqual(['养老服务', '1', expect.any(String), '12000.00', '600']);
  });

  test('then the units that missed the implementation plan, work information or summary report are named', async () => {
    expect(zhDoc.text).toContain('逾期未报备实施方案的单位：燕山乡。');
    expect(zhDoc.text).toContain('逾期报备实施方案的单位：长淮街道。');
    expect(zhDoc.text).toContain('逾期未报足工作信息的单位：长淮街道（已报1篇）、燕山乡（已报0篇）。');
    expect(zhDoc.text).toContain('逾期未报送总结报告的单位：长淮街道、燕山乡。');
    expect(table(zhDoc, '单位').slice(1)).toEqual(
      expect.arrayContaining([
        ['涂山风景区', '按时', '3/3篇 按时', '按时'],
        ['长淮街道', '逾期报送', '1/3篇 逾期未报', '逾期未报'],
        ['燕山乡', '逾期未报', '0/3篇 逾期未报', '逾期未报'],
      ]),
    );
    expect(zhDoc.text).toContain('一、涂山风景区');
    expect(zhDoc.text).toContain('（一）“养老公寓”高息返利案');
  });

  test('then the on-time rate is over every clock of the span, open overdue clocks counted late, with the counts it comes from', async () => {
    const [k] = await db.q<{ done: number; on_time: number; open_overdue: number; open_not_due: number }[]>(
      `select count(*) filter (where status = 'done')::int as done,
              count(*) filter (where status = 'done' and not late)::int as on_time,
              count(*) filter (where status in ('open','paused') and (level > 0 or due_at <= now()))::int as open_overdue,
              count(*) filter (where status in ('open','paused') and not (level > 0 or due_at <= now()))::int as open_not_due
         from clocks where (owner_type = 'clue' and owner_id = any(?::text[])) or (owner_type = 'campaign' and owner_id = ?)`,
      [
        `{${Object.values(clue)
          .map((c) => c.id)
          .join(',')}}`,
        campaignId,
      ],
    );
    // E's verification was never done: open, overdue, and late in the rate.
    const [e] = await db.q<{ status: string; level: number }[]>(
      `select status, level from clocks where owner_id = ? and task = 'verification'`,
      [clue.e.id],
    );
    expect(e).toMatchObject({ status: 'open' });
    expect(e!.level).toBeGreaterThan(0);
    expect(k!.open_overdue).toBeGreaterThan(0);
    const counted = k!.done + k!.open_overdue;
    const rate = `${((k!.on_time / counted) * 100).toFixed(1)}%`;
    expect(zhDoc.text).toContain(`按时完成率为${rate}（${k!.on_time}÷${counted}）`);
    expect(zhDoc.text).toContain(`逾期未完成${k!.open_overdue}项（逾期未完成的计为未按时）`);
    expect(zhDoc.text).toContain(`另有${k!.open_not_due}项尚在办理时限内，不计入。`);
    // Done-only counting would have hidden every open overdue clock.
    expect(k!.on_time / k!.done).toBeGreaterThan(k!.on_time / counted);

    summary = (
      await ok(
        app.call('u-coordinator', 'GET', `/api/v1/campaigns/${campaignId}/district-summary?format=json`),
        'json',
      )
    ).body as DistrictSummary;
    DistrictSummarySchema.parse(summary);
    expect(summary.figures.onTime).toMatchObject({
      done: k!.done,
      onTime: k!.on_time,
      openOverdue: k!.open_overdue,
      counted,
    });
    expect(summary.typicalCases.map((c) => c.ref)).toEqual([clue.a.ref]);
  });

  test('then the English version has the same structure, dates like "2 December 2026" and amounts in CNY million', async () => {
    const r = await download('u-coordinator', `/api/v1/campaigns/${campaignId}/district-summary?lang=en`);
    keep('district-summary.en.docx', r.buf);
    const en = await openDocx(r.buf);
    const h1 = (d: Docx) => d.paragraphs.filter((p) => p.style === 'Heading1' && !p.text.match(/^[一-龥]/));
    expect(
      h1(en)
        .slice(0, 8)
        .map((p) => p.text.split(' ')[0]),
    ).toEqual(['I.', 'II.', 'III.', 'IV.', 'V.', 'VI.', 'VII.', 'VIII.']);
    expect(en.text).toContain('involving CNY 151.9 million');
    const i = en.paragraphs.findIndex((p) => p.pageBreakBefore);
    const tail = en.paragraphs.slice(0, i).filter((p) => p.text !== '');
    expect(tail.at(-1)!.text).toBe(documentDate(Date.now(), 'en'));
    expect(tail.at(-1)!.text).toMatch(/^[1-9]\d? [A-Z][a-z]+ \d{4}$/);
    const html = (
      await download('u-leader', `/api/v1/campaigns/${campaignId}/district-summary?format=html`)
    ).buf.toString();
    expect(html).toContain('<h2>一、总体情况</h2>');
    expect(html).toContain('@page{size:A4;margin:37mm 26mm 35mm 28mm}');
  });
});

describe('given the same campaign, the per-unit report', () => {
  test('when a unit’s report is downloaded, then it lists its clues with their approved disposal types, its deliverables and on-time rate in the same layout; the unit’s officer may read only its own', async () => {
    const r = await download('u-coordinator', `/api/v1/campaigns/${campaignId}/units/${A}/report`);
    expect(r.status).toBe(200);
    keep('unit-report.zh-CN.docx', r.buf);
    const title = `涂山风景区${campaignName}工作情况报告`;
    expect(
      decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(r.headers.get('content-disposition')!)![1]!),
    ).toBe(`${title}.docx`);
    const d = await openDocx(r.buf);
    expect(d.paragraphs[0]).toMatchObject({ style: 'Title', text: title });
    expect(d.paragraphs.filter((p) => p.style === 'Heading1').map((p) => p.text)).toEqual([
      '一、线索办理情况',
      '二、处置措施',
      '三、专项行动报送情况',
      '四、办理时限',
      '五、存在问题',
    ]);
    const rows = table(d, '编号').slice(1);
    expect(rows).toEqual(
      expect.arrayContaining([
        [
          clue.a.ref,
          '涂山福寿养老服务有限公司',
          '牵头',
          expect.any(String),
          expect.any(String),
          '警示约谈、规范整改',
        ],
        [
          clue.c.ref,
          '涂山旅游消费返利商城',
          '牵头',
          expect.any(String),
          expect.any(String),
          '警示约谈、移送公安机关',
        ],
      ]),
    );
    expect(d.text).toContain('实施方案：按时；工作信息：已报送3篇（应报不少于3篇），按时；总结报告：按时。');
    expect(d.text).toMatch(/按时完成率为\d+\.\d%（\d+÷\d+）/);
    const last = d.paragraphs.filter((p) => p.text !== '').slice(-2);
    expect(last.map((p) => p.text)).toEqual([
      '区处置非法集资工作领导小组办公室',
      documentDate(Date.now(), 'zh-CN'),
    ]);
    expect(els(d.document, 'pgMar')).toHaveLength(1);

    const json = (
      await ok(
        app.call('u-coordinator', 'GET', `/api/v1/campaigns/${campaignId}/units/${C}/report?format=json`),
        'c',
      )
    ).body as UnitReport;
    UnitReportSchema.parse(json);
    expect(json.deliverables).toMatchObject({
      implementationPlan: 'missing',
      summaryReport: 'missing',
      workInformation: { state: 'missing', filed: 0 },
    });
    expect(json.clues.map((c) => c.ref).sort()).toEqual([clue.d.ref, clue.e.ref].sort());
    // D's plan is under review: no disposal type yet.
    expect(json.clues.find((c) => c.ref === clue.d.ref)!.disposal).toEqual([]);
    expect(json.overdue.open).toBeGreaterThan(0);

    expect(
      (await download('u-tushan', `/api/v1/campaigns/${campaignId}/units/${A}/report?format=html`)).status,
    ).toBe(200);
    expect((await download('u-tushan', `/api/v1/campaigns/${campaignId}/units/${B}/report`)).status).toBe(
      403,
    );
    expect(
      (await download('u-market', `/api/v1/campaigns/${campaignId}/units/market-regulation/report`)).status,
    ).toBe(404);
    expect(
      (await download('u-leader', `/api/v1/campaigns/${campaignId}/units/no-such-unit/report`)).status,
    ).toBe(404);
    expect((await download('u-police', `/api/v1/campaigns/${campaignId}/units/${A}/report`)).status).toBe(
      403,
    );
  });
});
