/**
 * The leadership page in a real browser (Chromium through playwright-core, found by helpers/chromium.ts)
 * against the running app: API + worker on a Temporal dev server, PostgreSQL and SMTP. A seconds-scale policy
 * lets a real clue workflow escalate its overdue verification clock while the test watches; the
 * leader signs in, sees it, acknowledges it with an instruction and sees it leave the list; the page
 * switches language. Screenshots go to artifacts/ (git-ignored).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  devServerEnv,
  eventually,
  freshDatabase,
  startSmtp,
  type TestDb,
  type TestSmtp,
} from '../helpers/services';
import { intakeBody, startTestApp, type TestApp } from '../helpers/app';
import { launchChromium } from '../helpers/chromium';

const ARTIFACTS = path.resolve(__dirname, '..', '..', 'artifacts');
let env: TestWorkflowEnvironment;
let db: TestDb;
let smtp: TestSmtp;
let app: TestApp;
let browser: Browser;
let page: Page;
let overdue: { id: string; ref: string };
let second: { id: string; ref: string };

beforeAll(async () => {
  [env, db, smtp] = await Promise.all([devServerEnv(), freshDatabase('dashboard_test'), startSmtp()]);
  app = await startTestApp({
    env,
    db,
    smtp,
    taskQueue: 'dashboard-it',
    // A grade III clue's verification is due 3 s after intake and escalates to level 1 at once (later
    // rungs are far away); other grades have an hour.
    configEnv: {
      DEADLINE_POLICY: JSON.stringify({
        preset: 'seconds',
        tiers: { verification: { III: 'PT3S', default: 'PT1H' } },
        reminders: [],
        escalation: ['PT0S', 'PT30M', 'PT60M'],
      }),
    },
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 1000 }, locale: 'zh-CN' });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await Promise.all([env?.teardown(), db?.close(), smtp?.close()]);
});

const text = async (selector: string) => ((await page.locator(selector).textContent()) ?? '').trim();
const sees = (selector: string, expected: string) =>
  eventually(async () => expect(await text(selector)).toBe(expected), 10_000);
const seesPart = (selector: string, expected: string) =>
  eventually(async () => expect(await text(selector)).toContain(expected), 10_000);
const seesMatch = (selector: string, expected: RegExp) =>
  eventually(async () => expect(await text(selector)).toMatch(expected), 10_000);

describe('leadership dashboard', () => {
  test('given a clue whose verification clock ran out, when the leader signs in, then the open escalation is listed by level with the unit and days overdue', async () => {
    const r = await app.call('u-coordinator', 'POST', '/api/v1/clues', intakeBody());
    expect(r.status).toBe(201);
    overdue = { id: r.body.id, ref: r.body.ref };
    // Two more clues (not yet due) so the statistics have something to chart.
    const r2 = await app.call(
      'u-coordinator',
      'POST',
      '/api/v1/clues',
      intakeBody({
        subject: { name: 'Huaihe Mutual Aid Platform', kind: 'online_platform' },
        keyArea: 'p2p_lending',
        keyBehaviours: ['mutual_aid'],
        online: true,
        amountCny: 12_500_000,
        participants: 1200,
        publicOpinion: 'regional',
        stabilityRisk: 'high',
        leadUnitId: 'changhuai-town',
      }),
    );
    second = { id: r2.body.id, ref: r2.body.ref };
    await eventually(async () => {
      const e = await db.q<{ level: number; status: string }[]>(
        `select level, status from escalations where owner_id = ?`,
        [overdue.id],
      );
      expect(e).toEqual([{ level: 1, status: 'open' }]);
    }, 30_000);

    // `/` is the workbench now; this page stays at /dashboard until the workbench has the leader's pages.
    await page.goto(`${app.url}/dashboard`);
    await page.locator('#sign-in').waitFor({ state: 'visible' });
    await page.fill('#token', db.tokens['u-leader']!);
    await page.click('#sign-in-button');
    const row = page.locator(`tr[data-ref="${overdue.ref}"]`);
    await row.waitFor({ state: 'visible' });
    expect(await row.locator('td').nth(0).textContent()).toBe('单位负责人及区处非办');
    expect(await row.locator('td').nth(2).textContent()).toBe('线索核查');
    expect(await row.locator('td').nth(3).textContent()).toBe('涂山风景区');
    await sees('#who', '当前用户：Li Na（领导）');
    // No campaign yet.
    await sees('#campaign', '暂无专项行动。');
    // Statistics and charts from the ledger.
    await page.locator('#chart-grade svg').waitFor();
    await seesMatch('#totals', /^线索2条，重点线索1条，在办2条/);
    await seesPart('#chart-area', '养老服务');
  });

  test('given a running campaign, when the page refreshes, then its per-unit progress is shown; the screenshot is saved', async () => {
    // Changhuai verifies its clue in time: an on-time rate to show.
    const v = await app.call('u-changhuai', 'POST', `/api/v1/clues/${second.id}/verification`, {
      findings: 'Platform visited; facts confirmed.',
      factsConfirmed: true,
    });
    expect(v.status).toBe(200);
    await eventually(async () =>
      expect(
        await db.q(`select 1 from clocks where owner_id = ? and status = 'done' and not late`, [second.id]),
      ).toHaveLength(1),
    );
    const c = await app.call('u-coordinator', 'POST', '/api/v1/campaigns', {
      year: 2027,
      unitIds: ['tushan-scenic-area', 'changhuai-town', 'yanshan-town'],
    });
    expect(c.status).toBe(201);
    await page.click('#refresh');
    await page.locator('#campaign-table').waitFor();
    await expect(page.locator('#campaign-table tbody tr').count()).resolves.toBe(3);
    await seesPart('#campaign-name', '2027');
    await page.locator('#download-summary').waitFor();
    await seesPart('#ontime', '长淮街道');
    await seesPart('#ontime', '100.0%');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    // The downloads carry the token (fetch + blob), so they work from the page.
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('#download-risks')]);
    expect(xlsx.suggestedFilename()).toMatch(/^非法集资风险总台账-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const [docx] = await Promise.all([page.waitForEvent('download'), page.click('#download-summary')]);
    expect(docx.suggestedFilename()).toMatch(/^关于.+的总结报告\.docx$/);
    expect(fs.statSync(await docx.path()).size).toBeGreaterThan(5_000);
    expect(fs.statSync(path.join(ARTIFACTS, 'dashboard.png')).size).toBeGreaterThan(10_000);
  });

  test('when the leader acknowledges the escalation with an instruction, then it leaves the list and the instruction is recorded', async () => {
    const ack = page.locator(
      `#ack-${await page.locator(`tr[data-ref="${overdue.ref}"]`).getAttribute('data-escalation-id')}`,
    );
    await ack.click();
    await sees('#flash', '请先填写批示意见。');
    const id = await page.locator(`tr[data-ref="${overdue.ref}"]`).getAttribute('data-escalation-id');
    await page.fill(`#instruction-${id}`, '请涂山风景区三日内完成核查并书面报告。');
    await ack.click();
    await page.locator(`tr[data-ref="${overdue.ref}"]`).waitFor({ state: 'detached' });
    await sees('#flash', `已阅示：${overdue.ref}`);
    await sees('#escalations', '暂无逾期督办事项。');
    const [e] = await db.q<{ status: string; instruction: string; acknowledged_by: string }[]>(
      `select status, instruction, acknowledged_by from escalations where owner_id = ?`,
      [overdue.id],
    );
    expect(e).toEqual({
      status: 'acknowledged',
      instruction: '请涂山风景区三日内完成核查并书面报告。',
      acknowledged_by: 'u-leader',
    });
  });

  test('the language switch turns the whole page into English and back, and survives a reload', async () => {
    await page.click('#lang-en');
    await page.locator('#app[data-loaded="en"]').waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await sees('#escalations-card h2', 'Open overdue escalations');
    await sees('#escalations', 'No open overdue escalations.');
    await seesPart('#chart-area', 'Elderly care');
    await sees('#who', 'Signed in as Li Na (Leader)');
    await seesPart('#campaign-table thead', 'Implementation plan');
    await expect(page.title()).resolves.toBe('Leadership dashboard — illegal fund-raising disposal');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-en.png'), fullPage: true });

    await page.reload();
    await page.locator('#app[data-loaded="en"]').waitFor();
    await page.click('#lang-zh');
    await page.locator('#app[data-loaded="zh-CN"]').waitFor();
    await sees('#escalations-card h2', '逾期督办事项');
  });

  test('signing out forgets the token; a bad token or a unit officer’s token is refused', async () => {
    await page.click('#sign-out');
    await page.locator('#sign-in').waitFor({ state: 'visible' });
    await expect(
      page.evaluate(() =>
        (
          globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }
        ).sessionStorage.getItem('dashboard.token'),
      ),
    ).resolves.toBeNull();
    await page.fill('#token', 'dso_not-a-real-token');
    await page.click('#sign-in-button');
    await sees('#sign-in-error', '令牌无效、已过期或已被吊销。');
    await page.fill('#token', db.tokens['u-tushan']!);
    await page.click('#sign-in-button');
    await sees('#sign-in-error', '本页面供区领导和区处非办使用。');
    await expect(page.locator('#app').isHidden()).resolves.toBe(true);
  });
});
