/**
 * Ledger statistics and the district summary report (notice VI.4) over a ledger, clocks, escalations
 * and units' summary reports written straight into a real PostgreSQL database (the campaign tables
 * are the campaign migration's). The .docx is opened with a zip reader and its document.xml read.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import JSZip from 'jszip';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { ledgerRoutes } from '../../api/routes/ledger';
import { reportRoutes } from '../../api/routes/reports';
import { loadConfig } from '../../src/config';
import type { AppContext } from '../../src/context';
import type { Statistics } from '../../src/ledger/statistics';
import type { DistrictSummary } from '../../src/reports/district-summary';
import { insertClue } from '../helpers/fixtures';
import { freshDatabase, startSmtp, type TestDb, type TestSmtp } from '../helpers/services';

let db: TestDb;
let smtp: TestSmtp;
let server: Server;
let url: string;
let connection: Connection;

const CAMPAIGN = 'camp-2026';
const clue: Record<string, { id: string; ref: string }> = {};

async function seedLedger() {
  const add = async (
    name: string,
    o: {
      unit: string;
      co?: string[];
      area: string;
      behaviours: string[];
      amount: number;
      people: number;
      grade: string;
      score: number;
      key: boolean;
      stage: string;
      createdAt?: string;
    },
  ) => {
    const c = await insertClue(db.em(), { leadUnitId: o.unit, coHandlingUnitIds: o.co, grade: o.grade });
    await db.q(
      `update clues set subject_name = ?, key_area = ?, key_behaviours = ?::text[], amount_cny = ?, participants = ?, risk_score = ?, key_clue = ?, stage = ?,
              referred_to_unit_id = case when ? = 'referred' then 'public-security' else null end, created_at = coalesce(?::timestamptz, created_at) where id = ?`,
      [
        name,
        o.area,
        `{${o.behaviours.join(',')}}`,
        o.amount,
        o.people,
        o.score,
        o.key,
        o.stage,
        o.stage,
        o.createdAt ?? null,
        c.id,
      ],
    );
    clue[name] = c;
  };
  await add('涂山福寿养老服务有限公司', {
    unit: 'tushan-scenic-area',
    area: 'elderly_care',
    behaviours: ['targets_elderly'],
    amount: 120_000_000,
    people: 600,
    grade: 'I',
    score: 85,
    key: true,
    stage: 'disposing',
  });
  await add('淮河互助平台', {
    unit: 'changhuai-town',
    co: ['market-regulation'],
    area: 'p2p_lending',
    behaviours: ['mutual_aid', 'virtual_assets'],
    amount: 12_500_000,
    people: 1200,
    grade: 'II',
    score: 69,
    key: true,
    stage: 'referred',
  });
  await add('燕山养牛托管合作社', {
    unit: 'yanshan-town',
    area: 'agricultural_cooperative',
    behaviours: ['livestock_custody'],
    amount: 2_000_000,
    people: 80,
    grade: 'IV',
    score: 22,
    key: false,
    stage: 'closed',
  });
  await add('涂山旅游消费返利店', {
    unit: 'tushan-scenic-area',
    area: 'elderly_care',
    behaviours: ['consumer_rebate', 'targets_elderly'],
    amount: 3_000_000,
    people: 200,
    grade: 'III',
    score: 42,
    key: false,
    stage: 'verifying',
    createdAt: '2026-01-10T08:00:00+08:00',
  });

  const clock = (owner: string, id: string, unit: string, status: string, level: number, late: boolean) =>
    db.q(
      `insert into clocks (key, owner_type, owner_id, clock_id, task, unit_id, started_at, due_at, status, level, completed_at, late)
       values (?, 'clue', ?, ?, 'verification', ?, now() - interval '10 days', now() - interval '1 day', ?, ?, case when ? = 'done' then now() else null end, ?)`,
      [`clue:${owner}:${id}`, owner, id, unit, status, level, status, late],
    );
  const a = clue['涂山福寿养老服务有限公司']!.id;
  const b = clue['淮河互助平台']!.id;
  await clock(a, 'verification-1', 'tushan-scenic-area', 'done', 0, false);
  await clock(a, 'classification-1', 'tushan-scenic-area', 'done', 0, false);
  await clock(a, 'plan-1', 'tushan-scenic-area', 'done', 1, true);
  await clock(a, 'milestone-1', 'tushan-scenic-area', 'open', 1, false);
  await clock(b, 'verification-1', 'changhuai-town', 'done', 0, false);
  const esc = (
    owner: { id: string; ref: string },
    clockId: string,
    unit: string,
    level: number,
    status: string,
  ) =>
    db.q(
      `insert into escalations (key, owner_type, owner_id, owner_ref, clock_id, task, unit_id, level, due_at, escalated_at, status)
       values (?, 'clue', ?, ?, ?, 'milestone', ?, ?, now() - interval '3 days', now(), ?)`,
      [`${owner.id}:${clockId}:L${level}`, owner.id, owner.ref, clockId, unit, level, status],
    );
  await esc(clue['涂山福寿养老服务有限公司']!, 'milestone-1', 'tushan-scenic-area', 1, 'open');
  await esc(clue['淮河互助平台']!, 'referral-ack-1', 'changhuai-town', 2, 'acknowledged');
}

async function seedCampaign() {
  await db.q(
    `insert into campaigns (id, name, year, mobilization_start, mobilization_end, implementation_start, implementation_end, summary_report_due, phase, status, policy, workflow_id, created_by)
     values (?, '2026年防范和处置非法集资专项排查活动', 2026, now() - interval '30 days', now() - interval '20 days', now() - interval '19 days', now() + interval '10 days', now() + interval '10 days',
             'implementation', 'active', '{}', 'campaign-camp-2026', 'u-coordinator')`,
    [CAMPAIGN],
  );
  for (const u of ['tushan-scenic-area', 'changhuai-town', 'yanshan-town']) {
    await db.q(
      `insert into campaign_units (campaign_id, unit_id, status, joined_at, workflow_id) values (?, ?, 'active', now(), ?)`,
      [CAMPAIGN, u, `campaign-${CAMPAIGN}-${u}`],
    );
  }
  const report = (unit: string, seq: number, content: object, late = false) =>
    db.q(
      `insert into campaign_deliverables (campaign_id, unit_id, kind, seq, content, filed_at, filed_by, late) values (?, ?, 'summary_report', ?, ?, now(), 'u-x', ?)`,
      [CAMPAIGN, unit, seq, JSON.stringify(content), late],
    );
  const tc = (name: string, title: string, summary: string) => ({
    clueId: clue[name]!.id,
    clueRef: clue[name]!.ref,
    title,
    summary,
  });
  // An earlier draft the unit replaced: only the latest filing counts.
  await report('tushan-scenic-area', 1, {
    overallSituation: '草稿',
    regionalDistribution: '',
    causes: '',
    difficultiesAndOutlook: '',
    nextSteps: '',
    typicalCases: [],
  });
  await report('tushan-scenic-area', 2, {
    overallSituation: '涂山风景区共排查养老机构12家，发现风险线索2条。',
    regionalDistribution: '风险主要分布在景区北部养老社区。',
    causes: '老年人金融知识欠缺，养老服务机构监管存在空白。',
    difficultiesAndOutlook: '部分机构资金链紧张，存在兑付风险。',
    nextSteps: '开展养老领域专项宣传，建立月度排查机制。',
    typicalCases: [
      tc(
        '涂山福寿养老服务有限公司',
        '“养老公寓”高息返利案',
        '以预售养老床位为名承诺年化12%返利，涉及老年人600余人。',
      ),
      tc('涂山旅游消费返利店', '旅游消费返利案', '以旅游消费返利为名吸收资金。'),
    ],
  });
  await report(
    'changhuai-town',
    1,
    {
      overallSituation: '长淮街道发现网络互助平台1个。',
      regionalDistribution: '集中在城区。',
      causes: '网络传播速度快。',
      difficultiesAndOutlook: '线上平台取证难。',
      nextSteps: '加强网络监测。',
      typicalCases: [
        tc('淮河互助平台', '网络互助平台案', '以“互助”名义发展会员1200人。'),
        tc('涂山福寿养老服务有限公司', '重复报送的案例', '同一线索。'),
      ],
    },
    true,
  );
}

beforeAll(async () => {
  [db, smtp] = await Promise.all([freshDatabase('reports_test'), startSmtp()]);
  await seedLedger();
  await seedCampaign();
  const config = loadConfig({
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    DATABASE_URL: db.url,
    SMTP_URL: smtp.url,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  // These routes never talk to Temporal; the client is lazy and never connects.
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  const ctx: AppContext = {
    config,
    orm: db.orm,
    temporal: new Client({ connection }),
    reporterKey: randomBytes(32).toString('hex'),
    log: pino({ level: 'silent' }),
  };
  server = createApp(ctx, { routeGroups: [ledgerRoutes, reportRoutes] }).listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await connection?.close().catch(() => undefined);
  await Promise.all([db?.close(), smtp?.close()]);
});

const get = (user: string, path: string) =>
  fetch(url + path, { headers: { authorization: `Bearer ${db.tokens[user]}` } });

describe('ledger statistics', () => {
  test('counts and amounts by area, behaviour, unit, grade, stage and source; on-time rate per unit; escalations by level; towns and communities free of open key clues', async () => {
    const r = await get('u-leader', '/api/v1/ledger/statistics?lang=zh-CN');
    expect(r.status).toBe(200);
    const s = (await r.json()) as Statistics;
    expect(s.totals).toEqual({
      clues: 4,
      open: 3,
      closed: 1,
      keyClues: 2,
      openKeyClues: 2,
      amountCny: 137_500_000,
      participants: 2080,
      overdue: 0,
      referred: 1,
    });
    expect(s.byKeyArea[0]).toMatchObject({
      key: 'elderly_care',
      label: '养老服务',
      count: 2,
      amountCny: 123_000_000,
      participants: 800,
      keyClues: 1,
    });
    expect(s.byBehaviour.find((b: { key: string }) => b.key === 'targets_elderly')).toMatchObject({
      count: 2,
      label: '以老年人为主要对象',
    });
    expect(s.byUnit.map((u: { key: string; count: number }) => [u.key, u.count])).toEqual([
      ['tushan-scenic-area', 2],
      ['changhuai-town', 1],
      ['yanshan-town', 1],
    ]);
    expect(s.byGrade.map((g: { key: string; count: number }) => [g.key, g.count])).toEqual([
      ['I', 1],
      ['II', 1],
      ['III', 1],
      ['IV', 1],
    ]);
    expect(s.byStage.map((g: { key: string }) => g.key)).toEqual([
      'verifying',
      'disposing',
      'referred',
      'closed',
    ]);
    expect(s.bySource).toEqual([
      expect.objectContaining({ key: 'mass_report', label: '群众举报', count: 4 }),
    ]);
    // Tushan: 3 done (1 late) and 1 open overdue → 2 / (3 + 1); Changhuai 1/1. Worst first.
    expect(s.onTimeByUnit.map((u) => [u.unitId, u.done, u.onTime, u.overdueOpen])).toEqual([
      ['tushan-scenic-area', 3, 2, 1],
      ['changhuai-town', 1, 1, 0],
    ]);
    expect(s.onTimeByUnit[0]!.rate).toBeCloseTo(2 / 4);
    expect(s.onTimeOverall).toMatchObject({ counted: 5, done: 4, onTime: 3, openOverdue: 1, rate: 0.6 });
    expect(s.escalationsByLevel).toEqual([
      { level: 1, label: '单位负责人及区处非办', open: 1, acknowledged: 0, total: 1 },
      { level: 2, label: '区领导', open: 0, acknowledged: 1, total: 1 },
      { level: 3, label: '区领导小组', open: 0, acknowledged: 0, total: 0 },
    ]);
    // Tushan leads an open key clue, Changhuai leads one; Yanshan's clue is closed and not key; Donghai has none.
    expect(s.unitsFreeOfOpenKeyClues.map((u: { unitId: string }) => u.unitId).sort()).toEqual([
      'donghai-community',
      'yanshan-town',
    ]);
    expect(s.unitsWithOpenKeyClues.map((u: { unitId: string }) => u.unitId)).toEqual([
      'changhuai-town',
      'market-regulation',
      'tushan-scenic-area',
    ]);
  });

  test('a period filter limits the clue counts; unit officers may not read district statistics', async () => {
    const s = (await (
      await get('u-coordinator', '/api/v1/ledger/statistics?from=2026-01-01&to=2026-01-31&lang=en')
    ).json()) as Statistics;
    expect(s.totals.clues).toBe(1);
    expect(s.byKeyArea).toEqual([
      expect.objectContaining({ key: 'elderly_care', label: 'Elderly care', count: 1 }),
    ]);
    expect((await get('u-tushan', '/api/v1/ledger/statistics')).status).toBe(403);
  });
});

describe('district summary report', () => {
  beforeAll(async () => {
    // The implementation plan, as the unit workflows project it: Tushan on time, Changhuai late after
    // its level-1 escalation, Yanshan never (open, escalated to level 2).
    const plan = (unit: string, status: string, level: number, late: boolean) =>
      db.q(
        `insert into clocks (key, owner_type, owner_id, clock_id, task, unit_id, started_at, due_at, status, level, completed_at, late)
         values (?, 'campaign', ?, ?, 'implementation_plan', ?, now() - interval '30 days', now() - interval '20 days', ?, ?,
                 case when ? = 'done' then now() - interval '19 days' else null end, ?)`,
        [
          `campaign:${CAMPAIGN}:${unit}:implementation_plan:p1`,
          CAMPAIGN,
          `${unit}:implementation_plan:p1`,
          unit,
          status,
          level,
          status,
          late,
        ],
      );
    await plan('tushan-scenic-area', 'done', 0, false);
    await plan('changhuai-town', 'done', 1, true);
    await plan('yanshan-town', 'open', 2, false);
    for (const [unit, late] of [
      ['tushan-scenic-area', false],
      ['changhuai-town', true],
    ] as const)
      await db.q(
        `insert into campaign_deliverables (campaign_id, unit_id, kind, seq, content, filed_at, filed_by, late) values (?, ?, 'implementation_plan', 1, '{}', now(), 'u-x', ?)`,
        [CAMPAIGN, unit, late],
      );
  });

  test('the .docx holds the campaign-span figures in 亿元, the on-time rate with open overdue clocks late, the units that missed a deliverable by name, at most three typical cases (gravest first, each clue once) and the units’ reports in the annex', async () => {
    const r = await get('u-leader', `/api/v1/campaigns/${CAMPAIGN}/district-summary?format=docx`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('wordprocessingml');
    const zip = await JSZip.loadAsync(Buffer.from(await r.arrayBuffer()));
    const xml = await zip.file('word/document.xml')!.async('string');
    const paras = [...xml.matchAll(/<w:p[ >].*?<\/w:p>/gs)].map((m) => m[0].replace(/<[^>]+>/g, ''));
    const text = paras.join('\n');
    const annexAt = paras.indexOf('附件');
    const body = paras.slice(0, annexAt).join('\n');
    expect(paras[0]).toBe('关于2026年防范和处置非法集资专项排查活动的总结报告');
    for (const h of [
      '一、总体情况',
      '二、处置措施',
      '三、各单位工作落实情况',
      '四、区域分布',
      '五、成因分析',
      '六、困难问题及风险研判',
      '七、典型案例',
      '八、下一步工作措施',
    ])
      expect(paras).toContain(h);
    // The January clue lies outside the campaign's span.
    expect(text).toContain(
      '专项排查期间全区新登记非法集资风险线索3条，涉及金额1.35亿元，参与群众1880人。其中重点风险线索2条；按风险等级分，Ⅰ级1条、Ⅱ级1条、Ⅲ级0条、Ⅳ级1条。目前已办结1条，移送公安机关1条，仍在办理2条。',
    );
    // Clue clocks 4 done (1 late) + 1 open overdue; plan clocks 2 done (1 late) + Yanshan's open one.
    expect(text).toContain(
      '其中按时完成4项，逾期完成2项，逾期未完成2项（逾期未完成的计为未按时），按时完成率为50.0%（4÷8）',
    );
    expect(text).toContain('逾期未报备实施方案的单位：燕山乡。');
    expect(text).toContain('逾期报备实施方案的单位：长淮街道。');
    expect(text).toContain(
      '1个单位按时报送总结报告，1个单位逾期报送，0个单位逾期未报送，1个单位尚未到报送时限。',
    );
    expect(text).toContain('逾期报送总结报告的单位：长淮街道。');
    expect(text).toMatch(/目前.*东海社区.*无在办重点风险线索。/);
    // Typical cases: three of the four proposed, by risk score, the duplicate dropped.
    const a = clue['涂山福寿养老服务有限公司']!;
    const b = clue['淮河互助平台']!;
    const d = clue['涂山旅游消费返利店']!;
    expect(paras).toContain(`（一）“养老公寓”高息返利案（线索编号${a.ref}）`);
    expect(paras).toContain(`（二）网络互助平台案（线索编号${b.ref}）`);
    expect(paras).toContain(`（三）旅游消费返利案（线索编号${d.ref}）`);
    const cases = paras.slice(paras.indexOf('七、典型案例'), paras.indexOf('八、下一步工作措施'));
    expect(cases.filter((x) => /^（[一二三四五六七八九十]+）/.test(x))).toHaveLength(3);
    expect(body).not.toContain('重复报送的案例');
    expect(body).toContain('以预售养老床位为名承诺年化12%返利');
    // The units' own words are in the annex only, the latest filing only.
    expect(body).not.toContain('老年人金融知识欠缺');
    expect(paras.slice(annexAt)).toEqual(
      expect.arrayContaining([
        '一、长淮街道',
        '二、涂山风景区',
        '老年人金融知识欠缺，养老服务机构监管存在空白。',
      ]),
    );
    expect(text).toContain('加强网络监测。');
    expect(text).not.toContain('草稿');
    expect(text).not.toMatch(/\d{1,3}(,\d{3})+\.\d\d元/);
    expect(xml).toContain('<w:tbl>');
  });

  test('HTML in English; json for programs; unknown campaign 404; a unit officer 403', async () => {
    const html = await (
      await get('u-coordinator', `/api/v1/campaigns/${CAMPAIGN}/district-summary?format=html&lang=en`)
    ).text();
    expect(html).toContain('<h2>I. Overall situation</h2>');
    expect(html).toContain('involving CNY 134.5 million');
    expect(html).toMatch(/Donghai Community[^<]*currently have no open key risk clue/);
    const json = (await (
      await get('u-leader', `/api/v1/campaigns/${CAMPAIGN}/district-summary?format=json`)
    ).json()) as DistrictSummary;
    expect(json.typicalCases).toHaveLength(3);
    expect(json.deliverables.implementationPlan.missing).toEqual([
      { unitId: 'yanshan-town', unitName: '燕山乡' },
    ]);
    expect(json.deliverables.summaryReport.pending).toEqual([{ unitId: 'yanshan-town', unitName: '燕山乡' }]);
    expect(json.figures.onTime).toMatchObject({
      done: 6,
      onTime: 4,
      lateDone: 2,
      openOverdue: 2,
      counted: 8,
      rate: 0.5,
    });
    expect((await get('u-leader', '/api/v1/campaigns/nope/district-summary')).status).toBe(404);
    expect((await get('u-tushan', `/api/v1/campaigns/${CAMPAIGN}/district-summary`)).status).toBe(403);
  });
});
