/**
 * Each recipient reads the message written for its role (issue 12), checked on the emails a real SMTP
 * server receives from the real activities over real PostgreSQL: for every rung (reminder, level 1, 2,
 * 3) and every role (unit officer, unit mailbox, unit head, District Office, leader; public security
 * for the hand-off), in Chinese and English: subject, salutation, due-time wording, zone and link.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { createSmtpMailer } from '../../src/mail/mailer';
import { createOutboxSender } from '../../src/mail/outbox';
import { insertClue } from '../helpers/fixtures';
import { freshDatabase, startSmtp, type CapturedMail, type TestDb, type TestSmtp } from '../helpers/services';

const PUBLIC_URL = 'https://dso.example.gov.cn/';
const BASE = 'https://dso.example.gov.cn';
/** 2026-12-02 17:00 in Beijing. */
const DUE = Date.parse('2026-12-02T09:00:00Z');
const DUE_ZH = '2026年12月2日 17:00（北京时间）';
const DUE_EN = '2 Dec 2026 17:00 (UTC+8)';
const DAY = 86_400_000;

let db: TestDb;
let smtp: TestSmtp;
let acts: ReturnType<typeof createActivities>;
const env = new MockActivityEnvironment();

/** The text part of a captured email, decoded (nodemailer writes quoted-printable or base64). */
function textOf(m: CapturedMail): string {
  const [head = '', ...rest] = m.raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  const enc = /content-transfer-encoding:\s*(\S+)/i.exec(head)?.[1]?.toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8').replace(/\r\n/g, '\n');
  }
  return body.replace(/\r\n/g, '\n');
}

/** The one email `addr` got whose subject matches. */
function mailTo(addr: string, subject: RegExp): { subject: string; text: string } {
  const found = smtp.mails.filter((m) => m.to.includes(addr) && subject.test(m.subject));
  expect([addr, subject.source, found.length]).toEqual([addr, subject.source, 1]);
  return { subject: found[0]!.subject, text: textOf(found[0]!) };
}

/** Salutation is the first line; the link line and the footer close the message. */
function expectMessage(
  m: { subject: string; text: string },
  o: { subject: string | RegExp; salutation: string; contains: string[]; lacks?: string[]; link: string },
) {
  if (typeof o.subject === 'string') expect(m.subject).toBe(o.subject);
  else expect(m.subject).toMatch(o.subject);
  expect(m.text.split('\n')[0]).toBe(o.salutation);
  for (const c of o.contains) expect(m.text).toContain(c);
  for (const c of o.lacks ?? []) expect(m.text).not.toContain(c);
  expect(m.text).toContain(o.link);
}

beforeAll(async () => {
  [db, smtp] = await Promise.all([freshDatabase(), startSmtp()]);
  const mailer = createSmtpMailer(smtp.url, 'District Office <noreply@district.local>');
  const outbox = createOutboxSender({ orm: db.orm, mailer });
  acts = createActivities({ orm: db.orm, mailer, outbox, publicUrl: PUBLIC_URL });
  // Pilot Town: two officers (one reads English), a contact mailbox, a head contact without an account,
  // and group robots. Ridge Town: its head has an account and reads English. Lake Village: no user at all.
  await db.q(
    `insert into units (id, name_zh, name_en, kind, email, head_name, head_email, wecom_webhook_url, dingtalk_webhook_url, active) values
       ('pilot-town', '试点镇', 'Pilot Town', 'town', 'pilot@units.test', '周敏', 'pilot-head@units.test', 'http://127.0.0.1:9/wecom', 'http://127.0.0.1:9/dingtalk', true),
       ('ridge-town', '岭南镇', 'Ridge Town', 'town', 'ridge@units.test', null, null, null, null, true),
       ('lake-village', '湖滨村', 'Lake Village', 'community', 'lake@units.test', '吴刚', 'lake-head@units.test', null, null, true)`,
  );
  await db.q(
    `insert into users (id, name, email, role, unit_id, is_unit_head, locale, active) values
       ('u-pilot-zh', '孙丽', 'pilot-zh@users.test', 'unit_officer', 'pilot-town', false, 'zh-CN', true),
       ('u-pilot-en', 'Ann Lee', 'pilot-en@users.test', 'unit_officer', 'pilot-town', false, 'en', true),
       ('u-ridge-head', 'Mark Hu', 'ridge-head@users.test', 'unit_officer', 'ridge-town', true, 'en', true),
       ('u-coordinator-en', 'Kate Wu', 'coordinator-en@users.test', 'coordinator', 'district-office', false, 'en', true),
       ('u-leader-en', 'John Ma', 'leader-en@users.test', 'leader', null, false, 'en', true),
       ('u-police-en', 'Tom Xu', 'police-en@users.test', 'police_liaison', 'public-security', false, 'en', true)`,
  );
});
afterAll(async () => {
  await Promise.all([db?.close(), smtp?.close()]);
});

const clock = (unitId: string) => ({
  clockId: 'verification-1',
  task: 'verification' as const,
  unitId,
  label: null,
  startedAt: DUE - 10 * DAY,
  dueAt: DUE,
  status: 'open' as const,
  level: 0,
  completedAt: null,
  late: false,
  pendingExtensionId: null,
});

async function escalate(clueId: string, ref: string, unitId: string, level: number, daysOverdue: number) {
  const key = `clue:${clueId}:verification-1:g0:L${level}`;
  await env.run(acts.recordEscalation, {
    key,
    owner: { type: 'clue' as const, id: clueId, ref },
    clock: clock(unitId),
    level,
    topLevel: 3,
    at: DUE + daysOverdue * DAY,
    daysOverdue,
  });
  const [row] = await db.q<{ id: number }[]>(`select id from escalations where key = ?`, [key]);
  return row!.id;
}

describe('the reminder before the due time', () => {
  test('given a clue step of Pilot Town due 2 Dec 17:00, when the reminder goes out, then each officer and the unit mailbox read the order with the zoned due time, the next rung and the clue link', async () => {
    await env.run(acts.sendReminder, {
      key: 'clue:c-rem:verification-1:g0:r0',
      owner: { type: 'clue' as const, id: 'c-rem', ref: 'XS-REM-1' },
      clock: clock('pilot-town'),
    });
    const zh = {
      subject: `【到期提醒】线索XS-REM-1“线索核查”将于${DUE_ZH}到期`,
      salutation: '试点镇：',
      contains: [`办理时限为${DUE_ZH}`, '到期未办结的，将启动一级督办，由单位负责人及区处非办督办。'],
      link: `办理入口：${BASE}/clues/c-rem`,
    };
    expectMessage(mailTo('pilot-zh@users.test', /XS-REM-1/), zh);
    expectMessage(mailTo('pilot@units.test', /XS-REM-1/), zh);
    expectMessage(mailTo('pilot-en@users.test', /XS-REM-1/), {
      subject: `[Reminder] Clue XS-REM-1: "Verification" is due ${DUE_EN}`,
      salutation: 'To Pilot Town:',
      contains: [`is due ${DUE_EN}`, 'If it is not done by then, Level 1 supervision by'],
      link: `Act on it here: ${BASE}/clues/c-rem`,
    });
    // Reminders are the unit's: no head, office or leader is told.
    expect(smtp.mails.filter((m) => m.subject.includes('XS-REM-1'))).toHaveLength(3);
  });
});

describe('the escalation ladder', () => {
  test('given the step is still open at its due moment, when level 1 starts, then the unit reads 一级督办 "due now" (never "0 days"), the head and the District Office a supervision notice, and no leader is asked', async () => {
    await escalate('c-l1', 'XS-L1', 'pilot-town', 1, 0);
    await escalate('c-l1b', 'XS-L1B', 'ridge-town', 1, 0);
    const unitZh = {
      subject: '【一级督办】线索XS-L1“线索核查”已到期',
      salutation: '试点镇：',
      contains: [
        `办理时限为${DUE_ZH}，现已到期`,
        '由单位负责人及区处非办督办',
        '仍未办结的，将提级为二级督办，由区领导督办。',
      ],
      lacks: ['逾期0', '0个工作日'],
      link: `办理入口：${BASE}/clues/c-l1`,
    };
    expectMessage(mailTo('pilot-zh@users.test', /XS-L1“/), unitZh);
    expectMessage(mailTo('pilot@units.test', /XS-L1“/), unitZh);
    expectMessage(mailTo('pilot-en@users.test', /XS-L1:/), {
      subject: '[Level 1 supervision] Clue XS-L1: "Verification" is due now',
      salutation: 'To Pilot Town:',
      contains: [
        `It fell due at ${DUE_EN} and is due now`,
        'If it is still not done, it goes up to Level 2 supervision',
      ],
      lacks: ['0 working days', '0 day'],
      link: `Act on it here: ${BASE}/clues/c-l1`,
    });
    expectMessage(mailTo('pilot-head@units.test', /XS-L1“/), {
      subject: '【一级督办】请督促试点镇办理：线索XS-L1“线索核查”已到期',
      salutation: '周敏同志：',
      contains: [
        '试点镇承办的线索XS-L1“线索核查”事项',
        `办理时限为${DUE_ZH}，现已到期`,
        '请督促试点镇立即办理',
      ],
      lacks: ['你单位'],
      link: `查看详情：${BASE}/clues/c-l1`,
    });
    expectMessage(mailTo('ridge-head@users.test', /XS-L1B/), {
      subject:
        '[Level 1 supervision] Please see that Ridge Town acts: Clue XS-L1B: "Verification" is due now',
      salutation: 'Dear Mark Hu,',
      contains: [`It fell due at ${DUE_EN} and is due now`, 'Please see that Ridge Town completes it'],
      lacks: ['Your unit'],
      link: `Details: ${BASE}/clues/c-l1b`,
    });
    expectMessage(mailTo('coordinator@district.local', /XS-L1“/), {
      subject: '【一级督办】试点镇：线索XS-L1“线索核查”已到期',
      salutation: '区处非办：',
      contains: ['试点镇承办的线索XS-L1“线索核查”事项', '现已到期', '督促试点镇限时办结'],
      lacks: ['你单位'],
      link: `办理入口：${BASE}/clues/c-l1`,
    });
    expectMessage(mailTo('coordinator-en@users.test', /XS-L1:/), {
      subject: '[Level 1 supervision] Pilot Town: Clue XS-L1: "Verification" is due now',
      salutation: 'To the District Office:',
      contains: [
        'Pilot Town has not completed the task "Verification" for clue XS-L1',
        `It fell due at ${DUE_EN}`,
      ],
      link: `Open it here: ${BASE}/clues/c-l1`,
    });
    expect(smtp.mails.filter((m) => m.to.some((a) => a.startsWith('leader')))).toHaveLength(0);
  });

  test('given 2 working days have passed, when level 2 starts, then the subject says 二级督办 and a leader gets a 督办 request linking its escalation page', async () => {
    const id = await escalate('c-l2', 'XS-L2', 'pilot-town', 2, 2);
    expectMessage(mailTo('pilot@units.test', /XS-L2/), {
      subject: '【二级督办】线索XS-L2“线索核查”已逾期2个工作日',
      salutation: '试点镇：',
      contains: [
        `办理时限为${DUE_ZH}，现已逾期2个工作日`,
        '由区领导督办',
        '将提级为三级督办，由区领导小组督办，并记录问责。',
      ],
      link: `办理入口：${BASE}/clues/c-l2`,
    });
    expectMessage(mailTo('pilot-en@users.test', /XS-L2/), {
      subject: '[Level 2 supervision] Clue XS-L2: "Verification" is 2 working days overdue',
      salutation: 'To Pilot Town:',
      contains: [
        `It was due ${DUE_EN} and is now 2 working days overdue`,
        ', with an accountability record.',
      ],
      link: `${BASE}/clues/c-l2`,
    });
    expectMessage(mailTo('pilot-head@units.test', /XS-L2/), {
      subject: '【二级督办】请督促试点镇办理：线索XS-L2“线索核查”已逾期2个工作日',
      salutation: '周敏同志：',
      contains: ['现已逾期2个工作日'],
      link: `${BASE}/clues/c-l2`,
    });
    expectMessage(mailTo('coordinator@district.local', /XS-L2/), {
      subject: '【二级督办】试点镇：线索XS-L2“线索核查”已逾期2个工作日',
      salutation: '区处非办：',
      contains: ['现已启动二级督办（区领导督办）'],
      link: `${BASE}/clues/c-l2`,
    });
    expectMessage(mailTo('leader@district.local', /XS-L2/), {
      subject: '【二级督办】请您督办：试点镇线索XS-L2“线索核查”已逾期2个工作日',
      salutation: 'Li Na同志：',
      contains: [`办理时限为${DUE_ZH}，现已逾期2个工作日`, '现提请您督办（二级督办）'],
      link: `一键阅示并作出批示：${BASE}/escalations/${id}`,
    });
    expectMessage(mailTo('leader-en@users.test', /XS-L2/), {
      subject:
        '[Level 2 supervision] For your supervision: Pilot Town, Clue XS-L2: "Verification" is 2 working days overdue',
      salutation: 'Dear John Ma,',
      contains: [`It was due ${DUE_EN} and is now 2 working days overdue`],
      link: `Acknowledge it with your instruction (one click): ${BASE}/escalations/${id}`,
    });
  });

  test('given 5 working days have passed, when the top rung starts, then every subject carries 三级督办 with 问责提示 and the texts say an accountability record was made', async () => {
    const id = await escalate('c-l3', 'XS-L3', 'pilot-town', 3, 5);
    expectMessage(mailTo('pilot-zh@users.test', /XS-L3/), {
      subject: '【三级督办】【问责提示】线索XS-L3“线索核查”已逾期5个工作日',
      salutation: '试点镇：',
      contains: [`办理时限为${DUE_ZH}，现已逾期5个工作日`, '由区领导小组督办，并已记录问责'],
      link: `办理入口：${BASE}/clues/c-l3`,
    });
    expectMessage(mailTo('pilot-en@users.test', /XS-L3/), {
      subject:
        '[Level 3 supervision — accountability notice] Clue XS-L3: "Verification" is 5 working days overdue',
      salutation: 'To Pilot Town:',
      contains: ['is now 5 working days overdue', 'an accountability record has been made for your unit'],
      link: `Act on it here: ${BASE}/clues/c-l3`,
    });
    expectMessage(mailTo('pilot@units.test', /XS-L3/), {
      subject: '【三级督办】【问责提示】线索XS-L3“线索核查”已逾期5个工作日',
      salutation: '试点镇：',
      contains: ['并已记录问责'],
      link: `${BASE}/clues/c-l3`,
    });
    expectMessage(mailTo('pilot-head@units.test', /XS-L3/), {
      subject: '【三级督办】【问责提示】试点镇：线索XS-L3“线索核查”已逾期5个工作日',
      salutation: '周敏同志：',
      contains: ['并已对试点镇记录问责'],
      link: `${BASE}/clues/c-l3`,
    });
    expectMessage(mailTo('coordinator-en@users.test', /XS-L3/), {
      subject:
        '[Level 3 supervision — accountability notice] Pilot Town: Clue XS-L3: "Verification" is 5 working days overdue',
      salutation: 'To the District Office:',
      contains: ['Please start the accountability procedure'],
      link: `${BASE}/clues/c-l3`,
    });
    expectMessage(mailTo('leader@district.local', /XS-L3/), {
      subject: '【三级督办】【问责提示】请您督办：试点镇线索XS-L3“线索核查”已逾期5个工作日',
      salutation: 'Li Na同志：',
      contains: ['并已对试点镇记录问责'],
      link: `${BASE}/escalations/${id}`,
    });
    expect(await db.q(`select 1 from accountability_records where owner_id = 'c-l3'`)).toHaveLength(1);
  });

  test('given Pilot Town has WeCom and DingTalk robots, when a rung is recorded, then one outbox row per robot carries the order as markdown with its link, once per key', async () => {
    await escalate('c-l1', 'XS-L1', 'pilot-town', 1, 0); // the same rung again: no new rows
    const rows = await db.q<
      { key: string; channel: string; to_addr: string; subject: string; body: string }[]
    >(
      `select key, channel, to_addr, subject, body from mail_outbox where key like 'escalation:clue:c-l1:%' and channel <> 'email' order by channel`,
    );
    expect(rows.map((r) => [r.key, r.channel, r.to_addr])).toEqual([
      ['escalation:clue:c-l1:verification-1:g0:L1|unit:pilot-town|dingtalk', 'dingtalk', 'pilot-town'],
      ['escalation:clue:c-l1:verification-1:g0:L1|unit:pilot-town|wecom', 'wecom', 'pilot-town'],
    ]);
    for (const r of rows) {
      expect(r.subject).toBe('【一级督办】线索XS-L1“线索核查”已到期');
      expect(r.body).toMatch(/^### 【一级督办】线索XS-L1“线索核查”已到期\n\n你单位承办的/);
      expect(r.body).toContain(`办理入口：[${BASE}/clues/c-l1](${BASE}/clues/c-l1)`);
    }
  });
});

describe('the hand-off to public security', () => {
  test('given a clue referred to public security, when the hand-off goes out, then each liaison and the bureau mailbox read the hand-off notice linking the referral page', async () => {
    const clue = await insertClue(db.em());
    await env.run(acts.sendReferral, {
      referralId: `${clue.id}-r1`,
      clueId: clue.id,
      seq: 1,
      policeUnitId: 'public-security',
      reason: '涉嫌非法吸收公众存款',
      by: 'u-coordinator',
      disposal: {},
    });
    const zh = {
      subject: `【线索移交】线索${clue.ref}已移交区公安分局，请签收`,
      salutation: '区公安分局：',
      contains: ['现将线索', '移交你单位依法处置。移交理由：涉嫌非法吸收公众存款。', '填写受理（立案）编号'],
      link: `签收入口：${BASE}/referrals/${clue.id}`,
    };
    // u-police's address is also the bureau's mailbox: one email, not two.
    expectMessage(mailTo('police@district.local', new RegExp(clue.ref)), zh);
    expectMessage(mailTo('police-en@users.test', new RegExp(clue.ref)), {
      subject: `[Referral] Clue ${clue.ref} has been referred to Public Security Bureau: please acknowledge`,
      salutation: 'To Public Security Bureau:',
      contains: ['is handed over to your unit', 'accept it with your case number, or return it'],
      link: `Accept or return the referral here: ${BASE}/referrals/${clue.id}`,
    });
  });
  test('given a plan approved with a criminal referral, when the automatic hand-off goes out, then its reason reads in each recipient language, not as the workflow wrote it', async () => {
    const clue = await insertClue(db.em());
    await env.run(acts.sendReferral, {
      referralId: `${clue.id}-r1`,
      clueId: clue.id,
      seq: 1,
      policeUnitId: 'public-security',
      reason: 'plan includes criminal referral',
      by: 'u-coordinator',
      disposal: {},
    });
    expect(mailTo('police@district.local', new RegExp(clue.ref)).text).toContain(
      '移交理由：处置方案经区处非办审核同意，含移送公安机关。',
    );
    expect(mailTo('police-en@users.test', new RegExp(clue.ref)).text).toContain(
      'the disposal plan approved by the District Office includes referral to public security',
    );
  });
});

describe('every unit is reachable', () => {
  test('given Lake Village has no user account, when it is reminded, escalated and told of a stage change, then its mailbox receives each notice, its head contact the supervision notice, and no in-app row is written for it', async () => {
    await env.run(acts.sendReminder, {
      key: 'clue:c-lake:verification-1:g0:r0',
      owner: { type: 'clue' as const, id: 'c-lake', ref: 'XS-LAKE' },
      clock: clock('lake-village'),
    });
    await escalate('c-lake', 'XS-LAKE', 'lake-village', 1, 0);
    await env.run(acts.notify, {
      key: 'clue:c-lake:stage:e7',
      kind: 'stage_changed',
      template: 'stageChanged' as const,
      audience: { unitIds: ['lake-village'] },
      params: { clueRef: 'XS-LAKE', stage: 'classifying' },
      owner: { type: 'clue' as const, id: 'c-lake' },
    });
    const subjects = smtp.mails.filter((m) => m.to.includes('lake@units.test')).map((m) => m.subject);
    expect(subjects).toEqual([
      `【到期提醒】线索XS-LAKE“线索核查”将于${DUE_ZH}到期`,
      '【一级督办】线索XS-LAKE“线索核查”已到期',
      '线索XS-LAKE已进入“定性中”阶段',
    ]);
    expect(textOf(smtp.mails.find((m) => m.subject === '线索XS-LAKE已进入“定性中”阶段')!)).toMatch(
      new RegExp(`^湖滨村：\\n\\n线索XS-LAKE已进入“定性中”阶段[^]*办理入口：${BASE}/clues/c-lake`),
    );
    expectMessage(mailTo('lake-head@units.test', /XS-LAKE/), {
      subject: '【一级督办】请督促湖滨村办理：线索XS-LAKE“线索核查”已到期',
      salutation: '吴刚同志：',
      contains: ['请督促湖滨村立即办理'],
      link: `${BASE}/clues/c-lake`,
    });
    expect(
      await db.q(`select 1 from notifications where key like '%c-lake%' and unit_id = 'lake-village'`),
    ).toHaveLength(0);
    const keys = await db.q<{ key: string }[]>(
      `select key from mail_outbox where key like '%c-lake%' and to_addr = 'lake@units.test' order by id`,
    );
    expect(keys.map((k) => k.key)).toEqual([
      'reminder:clue:c-lake:verification-1:g0:r0|unit:lake-village|email',
      'escalation:clue:c-lake:verification-1:g0:L1|unit:lake-village|email',
      'clue:c-lake:stage:e7|unit:lake-village|email',
    ]);
  });
});
