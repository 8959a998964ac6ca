/**
 * The risk ledger end to end on real services: bulk import (CSV and XLSX) through the API with a
 * row-exact report, re-import registering nothing, and exports that open (exceljs) and hold exactly
 * the filtered, visible rows. Registering starts real clue workflows on the dev server.
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  devServerEnv,
  eventually,
  freshDatabase,
  startSmtp,
  type TestDb,
  type TestSmtp,
} from '../helpers/services';
import { addDuration } from '../../src/calendar';
import { getCalendar } from '../../src/calendars';
import { DEFAULT_POLICY, tierDuration } from '../../src/policy';
import { startTestApp, type TestApp } from '../helpers/app';
import { parseCsv, type ImportReport, type RowReport } from '../../src/ledger/import';

type ReportRow = RowReport & { clueId: string; ref: string };

let env: TestWorkflowEnvironment;
let db: TestDb;
let smtp: TestSmtp;
let app: TestApp;

beforeAll(async () => {
  [env, db, smtp] = await Promise.all([devServerEnv(), freshDatabase('ledger_test'), startSmtp()]);
  // Default (working-day) policy: nothing falls due while the suite runs.
  app = await startTestApp({ env, db, smtp, taskQueue: 'ledger-it' });
});

afterAll(async () => {
  await app?.close();
  await Promise.all([env?.teardown(), db?.close(), smtp?.close()]);
});

const CODE_A = '91340300MA2N0XXX17';
const CODE_B = '91340303MA2TG1234K';
const CODE_C = '92340300MA2P5K6L7U';

const HEADER = [
  '业务编号',
  '线索来源',
  '线索摘要',
  '涉事主体',
  '主体类型',
  '统一社会信用代码',
  '重点领域',
  '重点行为',
  '线上/线下',
  '涉及金额（元）',
  '涉及人数',
  '舆情等级',
  '维稳风险',
  '牵头单位',
  '协办单位',
];

function csv(rows: string[][]): string {
  return (
    rows
      .map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
      .join('\r\n') + '\r\n'
  );
}

const GOOD_1 = [
  'TS-001',
  '群众举报',
  '居民反映"养老公寓"承诺年化12%返利',
  '涂山福寿养老服务有限公司',
  '企业',
  CODE_A,
  '养老服务',
  '以老年人为主要对象',
  '线下',
  '300万',
  '200',
  '本地',
  '中',
  '涂山风景区',
  '',
];
const GOOD_2 = [
  'TS-002',
  'online_monitoring',
  'An online "mutual aid" platform recruiting members',
  'Huaihe Mutual Aid Platform',
  'online_platform',
  CODE_B,
  'p2p_lending',
  'mutual_aid, virtual_assets',
  'online',
  '12,500,000',
  '1200',
  'regional',
  'high',
  'changhuai-town',
  'market-regulation',
];
const MISSING_DESCRIPTION = [
  'TS-003',
  '群众举报',
  '',
  '某某投资咨询中心',
  '个体工商户',
  '',
  '民间投融资中介',
  '',
  '线下',
  '50000',
  '12',
  '无',
  '低',
  '燕山乡',
  '',
];
const BAD_ENUM = [
  'TS-004',
  '群众举报',
  '赌场集资',
  '某赌场',
  '企业',
  '',
  'gambling',
  '',
  '线下',
  '50000',
  '12',
  '无',
  '低',
  '燕山乡',
  '',
];
const BAD_AMOUNT = [
  'TS-005',
  '群众举报',
  '金额填写错误',
  '某农业合作社',
  '社会组织',
  '',
  '农民专业合作社',
  '养殖托管',
  '线下',
  '约一百万',
  '十几',
  '无',
  '低',
  '燕山乡',
  '',
];
const BAD_CODE = [
  'TS-006',
  '媒体曝光',
  '信用代码校验位错误',
  '淮南某科技有限公司',
  '企业',
  '914403001922038217',
  '电子商务',
  '消费返利',
  '线上',
  '800000',
  '40',
  '本地',
  '中',
  '东海社区',
  '',
];
const BAD_UNIT = [
  'TS-007',
  '网格化排查',
  '单位不存在',
  '某旅游公司',
  '企业',
  '',
  '旅游',
  '',
  '线下',
  '100000',
  '15',
  '无',
  '低',
  '月亮湾街道',
  '',
];
const REPEAT_OF_1 = [
  'TS-001',
  '群众举报',
  '重复行',
  '涂山福寿养老服务有限公司',
  '企业',
  CODE_A,
  '养老服务',
  '',
  '线下',
  '300万',
  '200',
  '本地',
  '中',
  '涂山风景区',
  '',
];
const SAME_SUBJECT_AS_1 = [
  'TS-008',
  '大数据监测',
  '同一主体的新线索：新设分店继续吸收资金',
  '涂山福寿养老服务有限公司',
  '企业',
  CODE_A,
  '养老服务',
  '以老年人为主要对象',
  '线下',
  '1.2亿',
  '600',
  '区域性',
  '极高',
  '涂山风景区',
  '',
];

const FILE = csv([
  HEADER,
  GOOD_1,
  GOOD_2,
  MISSING_DESCRIPTION,
  BAD_ENUM,
  BAD_AMOUNT,
  BAD_CODE,
  BAD_UNIT,
  REPEAT_OF_1,
  SAME_SUBJECT_AS_1,
]);

const importFile = (
  filename: string,
  content: Buffer | string,
  user = 'u-coordinator',
  headers: Record<string, string> = {},
) =>
  app.call(
    user,
    'POST',
    '/api/v1/clues/import',
    { filename, contentBase64: Buffer.from(content).toString('base64') },
    headers,
  );

async function readXlsx(body: ArrayBuffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body);
  const ws = wb.worksheets[0]!;
  const out: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= ws.columnCount; c++) cells.push(row.getCell(c).text);
    out.push(cells);
  });
  return out;
}

async function download(
  user: string,
  path: string,
): Promise<{ status: number; type: string | null; disposition: string | null; body: ArrayBuffer }> {
  const res = await fetch(app.url + path, { headers: { authorization: `Bearer ${db.tokens[user]}` } });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    disposition: res.headers.get('content-disposition'),
    body: await res.arrayBuffer(),
  };
}

/** Rows between the header row (the one starting 序号 / No.) and the totals row. */
function tableOf(
  rows: string[][],
  first: string,
  totals: string,
): { header: string[]; data: string[][]; meta: string[] } {
  const h = rows.findIndex((r) => r[0] === first);
  expect(h).toBeGreaterThan(0);
  const end = rows.findIndex((r, i) => i > h && r[0] === totals);
  return {
    header: rows[h]!,
    data: rows.slice(h + 1, end < 0 ? undefined : end),
    meta: rows.slice(0, h).map((r) => r[0] ?? ''),
  };
}

describe('bulk import of clues', () => {
  let firstReport: ImportReport;

  test('given a CSV with good rows, every kind of bad row and duplicates, when imported, then good rows are registered and every other row is reported with its row number and field errors', async () => {
    const r = await importFile('排查线索.csv', FILE);
    expect(r.status).toBe(200);
    firstReport = r.body;
    expect(r.body.file).toMatchObject({ name: '排查线索.csv', format: 'csv', headerRow: 1, rows: 9 });
    expect(r.body.summary).toEqual({
      registered: 3,
      already_imported: 0,
      duplicate_in_file: 1,
      invalid: 5,
      linkedToOpenClue: 1,
    });
    const rows = r.body.rows as ReportRow[];
    expect(rows.map((x) => [x.row, x.status])).toEqual([
      [2, 'registered'],
      [3, 'registered'],
      [4, 'invalid'],
      [5, 'invalid'],
      [6, 'invalid'],
      [7, 'invalid'],
      [8, 'invalid'],
      [9, 'duplicate_in_file'],
      [10, 'registered'],
    ]);
    expect(rows[0]!).toMatchObject({
      ref: expect.stringMatching(/^XS-/),
      grade: 'III',
      keyClue: false,
      duplicateOfId: null,
    });
    // 1200 people, 12.5m CNY, regional opinion, high stability risk, online: 25 + 15 + 10 + 14 + 5 = 69 → II, a key clue.
    expect(rows[1]!).toMatchObject({ grade: 'II', keyClue: true });
    // The coordinator's language (Chinese), naming each column as the file does.
    expect(rows[2]!.errors).toEqual([
      { field: 'description', column: '线索摘要', message: '“线索摘要”列：必填，不能为空' },
    ]);
    expect(rows[3]!.errors).toEqual([
      { field: 'keyArea', column: '重点领域', message: '“重点领域”列：无法识别的取值“gambling”' },
    ]);
    expect(rows[4]!.errors).toEqual([
      {
        field: 'amountCny',
        column: '涉及金额（元）',
        message: '“涉及金额（元）”列：“约一百万”不是人民币金额',
      },
      { field: 'participants', column: '涉及人数', message: '“涉及人数”列：“十几”不是整数人数' },
    ]);
    expect(rows[5]!.errors).toEqual([
      {
        field: 'subject.creditCode',
        column: '统一社会信用代码',
        message: '“统一社会信用代码”列：统一社会信用代码校验位应为“6”',
      },
    ]);
    expect(rows[6]!.errors).toEqual([
      { field: 'leadUnitId', column: '牵头单位', message: '“牵头单位”列：没有名为“月亮湾街道”的单位' },
    ]);
    expect(rows[7]!).toEqual({ row: 9, line: 9, status: 'duplicate_in_file', sameAsRow: 2 });
    // The same subject as row 2 (an open clue): registered, linked as a possible duplicate.
    expect(rows[8]!).toMatchObject({
      status: 'registered',
      grade: 'I',
      keyClue: true,
      duplicateOfId: rows[0]!.clueId,
      duplicateOfRef: rows[0]!.ref,
    });

    const stored = await db.q<
      {
        ref: string;
        amount_cny: number;
        key_behaviours: string[];
        lead_unit_id: string;
        co_handling_unit_ids: string[];
        import_key: string;
        stage: string;
      }[]
    >(
      'select ref, amount_cny, key_behaviours, lead_unit_id, co_handling_unit_ids, import_key, stage from clues order by seq',
    );
    expect(stored.map((s) => s.ref)).toEqual([rows[0]!.ref, rows[1]!.ref, rows[8]!.ref]);
    expect(stored[0]).toMatchObject({
      amount_cny: 3_000_000,
      key_behaviours: ['targets_elderly'],
      lead_unit_id: 'tushan-scenic-area',
      import_key: 'import:key:TS-001',
    });
    expect(stored[1]).toMatchObject({
      amount_cny: 12_500_000,
      key_behaviours: ['mutual_aid', 'virtual_assets'],
      co_handling_unit_ids: ['market-regulation'],
    });
    expect(stored[2]).toMatchObject({ amount_cny: 120_000_000 });
    // Each registered row runs its own disposal workflow.
    for (const x of [rows[0]!, rows[1]!, rows[8]!]) {
      const d = await env.client.workflow.getHandle(`clue-${x.clueId}`).describe();
      expect(d.status.name).toBe('RUNNING');
    }
  });

  test('the grade picks each clue’s deadline tier: the verification clocks the real workflows opened', async () => {
    const cal = getCalendar(DEFAULT_POLICY.calendar);
    for (const [row, grade] of [
      [2, 'III'],
      [3, 'II'],
      [10, 'I'],
    ] as const) {
      const id = firstReport.rows.find((r) => r.row === row)!.clueId!;
      const k = await eventually(async () => {
        const [c] = await db.q<{ started_at: Date; due_at: Date }[]>(
          `select started_at, due_at from clocks where owner_id = ? and task = 'verification'`,
          [id],
        );
        expect(c).toBeDefined();
        return c!;
      });
      const due = addDuration(
        cal,
        new Date(k.started_at).getTime(),
        tierDuration(DEFAULT_POLICY, 'verification', grade),
        DEFAULT_POLICY.mode,
      );
      expect([row, new Date(k.due_at).toISOString()]).toEqual([row, new Date(due).toISOString()]);
    }
  });

  test('given the same file imported again, then nothing new is registered and the report points at the existing clues', async () => {
    const before = await db.q<{ n: number }[]>('select count(*)::int as n from clues');
    const r = await importFile('排查线索-again.csv', FILE);
    expect(r.status).toBe(200);
    expect(r.body.summary).toEqual({
      registered: 0,
      already_imported: 3,
      duplicate_in_file: 1,
      invalid: 5,
      linkedToOpenClue: 0,
    });
    expect(
      (r.body.rows as ReportRow[])
        .filter((x) => x.status === 'already_imported')
        .map((x) => [x.row, x.clueId]),
    ).toEqual(
      (firstReport.rows as ReportRow[])
        .filter((x) => x.status === 'registered')
        .map((x) => [x.row, x.clueId]),
    );
    const after = await db.q<{ n: number }[]>('select count(*)::int as n from clues');
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  test('given an XLSX without business keys, when imported twice, then its rows are registered once (key = file hash + row number)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('线索');
    ws.addRow([
      'sourceChannel',
      'description',
      'subjectName',
      'subjectKind',
      'creditCode',
      'keyArea',
      'keyBehaviours',
      'online',
      'amountCny',
      'participants',
      'publicOpinion',
      'stabilityRisk',
      'leadUnitId',
      'keyFlag',
    ]);
    ws.addRow([
      'grid_inspection',
      'Farm custody scheme promising fixed returns',
      'Yanshan Cattle Custody Co-op',
      'organization',
      CODE_C,
      'agricultural_cooperative',
      'livestock_custody',
      false,
      2_000_000,
      80,
      'none',
      'medium',
      'yanshan-town',
      '是',
    ]);
    ws.addRow([]);
    ws.addRow([
      'advertising_monitoring',
      'Leaflets for a "charity" investment fund',
      'Donghai Love Fund',
      'organization',
      '',
      'other',
      'charity_guise',
      true,
      600_000,
      35,
      'local',
      'low',
      'donghai-community',
    ]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const r1 = await importFile('clues.xlsx', buf);
    expect(r1.status).toBe(200);
    expect(r1.body.file).toMatchObject({ format: 'xlsx', rows: 2 });
    expect((r1.body.rows as ReportRow[]).map((x) => [x.row, x.status, x.grade, x.keyClue])).toEqual([
      // Grade IV, flagged by the coordinator: on the key risk clue account all the same.
      [2, 'registered', 'IV', true],
      [4, 'registered', 'IV', false],
    ]);
    const keys = await db.q<{ import_key: string }[]>(
      `select import_key from clues where import_key like 'import:%' and import_key not like 'import:key:%' order by import_key`,
    );
    expect(keys.map((k) => k.import_key.replace(/^import:[0-9a-f]{64}:/, 'import:<sha256>:'))).toEqual([
      'import:<sha256>:2',
      'import:<sha256>:4',
    ]);
    const r2 = await importFile('clues.xlsx', buf);
    expect(r2.body.summary).toMatchObject({ registered: 0, already_imported: 2 });
  });

  test('given an English file with a cell spanning two lines, when imported with Accept-Language: en, then errors are in English, name the file’s own column header and give row and line', async () => {
    const file = csv([
      ['sourceChannel', 'description', 'subjectName', 'subjectKind', 'creditCode', 'keyArea', 'online'],
      [
        'mass_report',
        'first line\nsecond line',
        'Riverside Wealth Club',
        'enterprise',
        '914403001922038217',
        'private_equity',
        'maybe',
      ],
    ]);
    const r = await importFile('english.csv', file, 'u-coordinator', { 'accept-language': 'en-GB,en;q=0.9' });
    expect(r.status).toBe(200);
    const [row] = r.body.rows as ReportRow[];
    expect(row).toMatchObject({ row: 2, line: 2, status: 'invalid' });
    expect(row!.errors).toEqual(
      expect.arrayContaining([
        {
          field: 'subject.creditCode',
          column: 'creditCode',
          message: 'column "creditCode": unified social credit code check character should be "6"',
        },
        { field: 'online', column: 'online', message: 'column "online": "maybe" is not yes/no (是/否)' },
        // Absent from the file: named by the ledger's own header, in the reader's language.
        { field: 'amountCny', column: null, message: 'column "Amount involved (CNY)" is missing: required' },
      ]),
    );
    // The next record starts on line 4: the quoted cell took two lines.
    const two = await importFile(
      'english-2.csv',
      `${file}mass_report,x,Y Co,enterprise,,other,maybe\r\n`,
      'u-coordinator',
      { 'accept-language': 'en' },
    );
    expect((two.body.rows as ReportRow[]).map((x) => [x.row, x.line])).toEqual([
      [2, 2],
      [3, 4],
    ]);
    // The same file for a Chinese reader.
    const zh = await importFile('english.csv', file, 'u-coordinator', {
      'accept-language': 'zh-CN,zh;q=0.9',
    });
    expect((zh.body.rows as ReportRow[])[0]!.errors).toEqual(
      expect.arrayContaining([
        { field: 'online', column: 'online', message: '“online”列：“maybe”不是“是/否”' },
        { field: 'amountCny', column: null, message: '缺少“涉及金额（元）”列：必填，不能为空' },
      ]),
    );
  });

  test('an unusable file is a 422 problem in the reader’s language; a unit officer may not import', async () => {
    const noHeader = await importFile('x.csv', 'a,b\n1,2\n');
    expect(noHeader.status).toBe(422);
    expect(noHeader.body.detail).toMatch(/^未找到表头行/);
    const noHeaderEn = await importFile('x.csv', 'a,b\n1,2\n', 'u-coordinator', { 'accept-language': 'en' });
    expect(noHeaderEn.body.detail).toMatch(/^no header row found/);
    expect(noHeaderEn.body.errors).toEqual([{ path: ['contentBase64'], message: noHeaderEn.body.detail }]);
    const fakeXlsx = await importFile('x.xlsx', 'not a workbook');
    expect(fakeXlsx.status).toBe(422);
    const officer = await importFile('x.csv', FILE, 'u-tushan');
    expect(officer.status).toBe(403);
  });
});

describe('ledger exports', () => {
  test('the total risk list as XLSX opens and holds exactly the filtered rows, with Chinese headers and the filters written into the file', async () => {
    const want = await db.q<{ ref: string }[]>(
      `select ref from clues where key_area = 'elderly_care' order by seq`,
    );
    expect(want.length).toBe(2);
    const r = await download('u-leader', '/api/v1/ledger/risks?format=xlsx&keyArea=elderly_care');
    expect(r.status).toBe(200);
    expect(r.type).toContain('spreadsheetml');
    expect(r.disposition).toContain("filename*=UTF-8''");
    const { header, data, meta } = tableOf(await readXlsx(r.body), '序号', '合计');
    expect(header.slice(0, 5)).toEqual(['序号', '线索编号', '登记时间', '线索来源', '涉事主体']);
    expect(data.map((d) => d[1])).toEqual(want.map((w) => w.ref));
    expect(data[0]![3]).toBe('群众举报');
    expect(meta[0]).toBe('非法集资风险总台账');
    expect(meta.join('\n')).toContain('筛选条件：重点领域=养老服务 [keyArea=elderly_care]');
    expect(meta.join('\n')).toContain('数据范围：全区');
  });

  test('the key clue account in English holds only key clues; a unit officer’s export holds only its unit’s clues', async () => {
    const keyRefs = await db.q<{ ref: string }[]>(`select ref from clues where key_clue order by seq`);
    const en = await download('u-coordinator', '/api/v1/ledger/key-clues?format=xlsx&lang=en');
    const t = tableOf(await readXlsx(en.body), 'No.', 'Total');
    expect(t.header.slice(0, 3)).toEqual(['No.', 'Clue reference', 'Registered']);
    expect(t.data.map((d) => d[1])).toEqual(keyRefs.map((k) => k.ref));
    expect(t.meta[0]).toBe('Key risk clue management account');
    expect(t.meta.join('\n')).toContain('Filters: none (all clues)');

    const tushan = await db.q<{ ref: string }[]>(
      `select ref from clues where lead_unit_id = 'tushan-scenic-area' or 'tushan-scenic-area' = any(co_handling_unit_ids) order by seq`,
    );
    const mine = await download('u-tushan', '/api/v1/ledger/risks?format=xlsx');
    const m = tableOf(await readXlsx(mine.body), '序号', '合计');
    expect(m.data.map((d) => d[1])).toEqual(tushan.map((x) => x.ref));
    expect(m.meta.join('\n')).toContain('数据范围：涂山风景区牵头或协办的线索');
    // The co-handling unit sees the clue it co-handles and nothing else.
    const market = await app.call('u-market', 'GET', '/api/v1/ledger/risks');
    expect(market.body.items.map((i: { leadUnitId: string }) => i.leadUnitId)).toEqual(['changhuai-town']);
    expect(market.body.totals).toMatchObject({ count: 1, keyClues: 1 });
  });

  test('the CSV export is UTF-8 with a BOM, states its filters and holds exactly the filtered rows', async () => {
    const r = await download('u-coordinator', '/api/v1/ledger/risks?format=csv&grade=III');
    expect(r.type).toContain('text/csv');
    const buf = Buffer.from(r.body);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(buf.toString('utf8')).rows.map((x) => x.cells);
    const h = rows.findIndex((x) => x[0] === '序号');
    expect(
      rows
        .slice(0, h)
        .map((x) => x[0])
        .join('\n'),
    ).toContain('筛选条件：风险等级=Ⅲ级（黄色） [grade=III]');
    const refs = await db.q<{ ref: string }[]>(`select ref from clues where grade = 'III' order by seq`);
    expect(rows.slice(h + 1).map((x) => x[1])).toEqual(refs.map((x) => x.ref));
  });

  test('JSON lists give totals over all matching rows and page with limit/offset; police may not read the ledger', async () => {
    const all = await app.call('u-leader', 'GET', '/api/v1/ledger/risks?limit=2');
    expect(all.status).toBe(200);
    const n = await db.q<{ n: number; amount: number }[]>(
      'select count(*)::int as n, sum(amount_cny)::float as amount from clues',
    );
    expect(all.body.items).toHaveLength(2);
    expect(all.body.totals).toMatchObject({ count: n[0]!.n, amountCny: n[0]!.amount });
    const page2 = await app.call('u-leader', 'GET', '/api/v1/ledger/risks?limit=2&offset=2');
    expect(page2.body.items[0].ref).not.toBe(all.body.items[0].ref);
    expect((await app.call('u-police', 'GET', '/api/v1/ledger/risks')).status).toBe(403);
    expect((await app.call('u-leader', 'GET', '/api/v1/ledger/risks?grade=V')).status).toBe(422);
  });
});

describe('exports that Excel and our own import read right', () => {
  const DIGIT_CODE = '914403001922038216';
  let original: { id: string; ref: string };

  beforeAll(async () => {
    const r = await app.call('u-coordinator', 'POST', '/api/v1/clues', {
      sourceChannel: 'mass_report',
      description: '数字养老平台以“积分返利”吸收资金',
      subject: { name: '淮河数字养老科技有限公司', kind: 'enterprise', creditCode: DIGIT_CODE },
      keyArea: 'elderly_care',
      keyBehaviours: ['targets_elderly'],
      online: true,
      amountCny: 800_000,
      participants: 60,
      publicOpinion: 'local',
      stabilityRisk: 'medium',
      leadUnitId: 'tushan-scenic-area',
    });
    expect(r.status).toBe(201);
    original = r.body;
    // Its verification clock is open, so the next due time is set too.
    await eventually(async () => {
      const [c] = await db.q<{ next_due_at: Date | null }[]>('select next_due_at from clues where id = ?', [
        original.id,
      ]);
      expect(c?.next_due_at).not.toBeNull();
    });
  });

  test('given an 18-digit credit code, when the ledger is exported as CSV, then a CSV parser reads it as text marked with a leading TAB (Excel keeps every digit), and the file name is readable', async () => {
    const r = await download(
      'u-coordinator',
      `/api/v1/ledger/risks?format=csv&q=${encodeURIComponent('淮河数字养老')}`,
    );
    expect(r.status).toBe(200);
    const day = /filename="total-risk-list-(\d{4}-\d\d-\d\d)\.csv"/.exec(r.disposition ?? '')?.[1];
    expect(day).toBeDefined();
    const star = /filename\*=UTF-8''([^;]+)/.exec(r.disposition!)![1]!;
    expect(decodeURIComponent(star)).toBe(`非法集资风险总台账-${day}.csv`);

    const rows = parse(Buffer.from(r.body), { bom: true, relax_column_count: true }) as string[][];
    const h = rows.findIndex((x) => x[0] === '序号');
    const col = rows[h]!.indexOf('统一社会信用代码');
    const [data] = rows.slice(h + 1);
    expect(data![col]).toBe(`\t${DIGIT_CODE}`);
    expect(data![col]!.trim()).toBe(DIGIT_CODE);
    // Nothing in the row is a bare long number a spreadsheet would round.
    expect(data!.filter((c) => /^\d{11,}$/.test(c))).toEqual([]);
  });

  test('given that CSV export, when imported through our own import, then the marker is stripped and the code arrives intact (the new clue links to the original)', async () => {
    const r = await download(
      'u-coordinator',
      `/api/v1/ledger/risks?format=csv&q=${encodeURIComponent('淮河数字养老')}`,
    );
    const imported = await importFile('非法集资风险总台账.csv', Buffer.from(r.body));
    expect(imported.status).toBe(200);
    expect(imported.body.summary).toMatchObject({ registered: 1, invalid: 0 });
    const [row] = imported.body.rows as ReportRow[];
    expect(row).toMatchObject({
      status: 'registered',
      duplicateOfId: original.id,
      duplicateOfRef: original.ref,
    });
    const [stored] = await db.q<{ credit_code: string; subject_name: string; online: boolean }[]>(
      'select credit_code, subject_name, online from clues where id = ?',
      [row!.clueId],
    );
    expect(stored).toEqual({
      credit_code: DIGIT_CODE,
      subject_name: '淮河数字养老科技有限公司',
      online: true,
    });
  });

  test('given the XLSX export, then registration and due times are Excel dates (China wall clock, yyyy-mm-dd hh:mm), not text and not UTC', async () => {
    const r = await download(
      'u-coordinator',
      `/api/v1/ledger/risks?format=xlsx&q=${encodeURIComponent(original.ref)}`,
    );
    expect(r.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.body);
    const ws = wb.worksheets[0]!;
    let header = 0;
    ws.eachRow((row, n) => {
      if (row.getCell(1).value === '序号') header = n;
    });
    const names: string[] = [];
    ws.getRow(header).eachCell((c, i) => (names[i] = String(c.value)));
    const data = ws.getRow(header + 1);
    expect(data.getCell(names.indexOf('线索编号')).value).toBe(original.ref);
    const [c] = await db.q<{ created_at: Date; next_due_at: Date }[]>(
      'select created_at, next_due_at from clues where id = ?',
      [original.id],
    );
    const china = (d: Date) => new Date(new Date(d).getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
    for (const [name, at] of [
      ['登记时间', c!.created_at],
      ['最近到期时间', c!.next_due_at],
    ] as const) {
      const cell = data.getCell(names.indexOf(name));
      expect([name, cell.type]).toEqual([name, ExcelJS.ValueType.Date]);
      expect(cell.numFmt).toBe('yyyy-mm-dd hh:mm');
      expect((cell.value as Date).toISOString().slice(0, 16)).toBe(china(at));
    }
    expect(r.disposition).toMatch(/filename="total-risk-list-\d{4}-\d\d-\d\d\.xlsx"/);
  });
});
