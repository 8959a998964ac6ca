/**
 * The workbench (the web app at `/`) in a real browser (Chromium through playwright-core, found by
 * helpers/chromium.ts) against the running app: API + worker on a Temporal dev server, PostgreSQL and
 * SMTP, serving the built web app from web/dist (`npm run build:web`; npm install builds it).
 *
 * The unit officer signs in through the form, opens a clue from "My work" and takes it through
 * verification, classification and the disposal plan with the clue page's forms; another unit's clue
 * and a clue that does not exist show the same "not found"; a deep link opened signed out goes
 * through sign-in and back. Screenshots (zh and en, desktop 1280 and phone 390) go to
 * artifacts/screenshots/ (git-ignored). No console errors are allowed, apart from Chromium's own
 * "Failed to load resource" line for the 401/404 answers these journeys ask for on purpose.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { eventually, type TestDb } from '../helpers/services';
import { intakeBody, type TestApp } from '../helpers/app';
import {
  DESKTOP,
  PHONE,
  fitsWidth,
  pick,
  pickTime,
  submitStep,
  shot,
  signIn as signInAs,
  stageOf,
  startWorkbench,
  type Person,
  type Workbench,
} from '../helpers/browser';

const OFFICER: Person = { username: 'u-tushan', password: 'tushan officer passphrase 1' };

let wb: Workbench;
let db: TestDb;
let app: TestApp;
let ours: { id: string; ref: string };
let theirs: { id: string; ref: string };
/** A second clue of the officer's unit that stays in verification: My work always has a row. */
let waiting: { id: string; ref: string };

beforeAll(async () => {
  wb = await startWorkbench({ database: 'workbench_test', taskQueue: 'workbench-it', people: [OFFICER] });
  ({ db, app } = wb);

  const a = await app.call('u-coordinator', 'POST', '/api/v1/clues', intakeBody());
  expect(a.status).toBe(201);
  ours = { id: a.body.id, ref: a.body.ref };
  const b = await app.call(
    'u-coordinator',
    'POST',
    '/api/v1/clues',
    intakeBody({
      subject: { name: 'Changhuai Mutual Aid Platform', kind: 'online_platform' },
      leadUnitId: 'changhuai-town',
    }),
  );
  expect(b.status).toBe(201);
  theirs = { id: b.body.id, ref: b.body.ref };
  const c = await app.call(
    'u-coordinator',
    'POST',
    '/api/v1/clues',
    intakeBody({ subject: { name: 'Tushan Lakeside Investment Club', kind: 'organization' } }),
  );
  expect(c.status).toBe(201);
  waiting = { id: c.body.id, ref: c.body.ref };
  // Both workflows have opened their verification clocks.
  await eventually(async () => {
    const rows = await db.q(`select 1 from clocks where owner_id in (?, ?, ?) and status = 'open'`, [
      ours.id,
      theirs.id,
      waiting.id,
    ]);
    expect(rows).toHaveLength(3);
  }, 30_000);
});

afterAll(async () => {
  await wb?.close();
});

const newPage = (viewport = DESKTOP) => wb.newPage(viewport);
const signIn = (page: Page, who: Person = OFFICER) => signInAs(page, who);

describe('workbench: serving', () => {
  const get = (p: string, accept = 'text/html,application/xhtml+xml') =>
    fetch(app.url + p, { headers: { accept } });

  test('the app is served at / and at every page path a browser navigates to, revalidated, under a CSP without inline scripts; its hashed assets are immutable', async () => {
    const root = await get('/');
    expect(root.status).toBe(200);
    expect(root.headers.get('content-type')).toMatch(/^text\/html/);
    expect(root.headers.get('cache-control')).toBe('no-cache');
    const csp = root.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const html = await root.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await get(asset!, '*/*');
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const p of [
      '/my-work',
      `/clues/${ours.id}`,
      '/reviews/plans',
      '/campaigns/x/units/y',
      '/no-such-page',
    ]) {
      const r = await get(p);
      expect([p, r.status, r.headers.get('content-type')]).toEqual([p, 200, 'text/html; charset=utf-8']);
    }
  });

  test('the API, health and metrics paths never answer with the page, and a non-browser request for an unknown path keeps the problem+json 404', async () => {
    // Without credentials the API answers 401 (before routing), as problem+json, never the page.
    const api = await get('/api/v1/no-such-route');
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await get('/healthz')).headers.get('content-type')).toMatch(/^application\/json/);
    expect((await get('/metrics')).headers.get('content-type')).toMatch(/^text\/plain/);
    const plain = await get('/no-such-page', 'application/json');
    expect(plain.status).toBe(404);
    expect(plain.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await get('/assets/missing.js', '*/*')).status).toBe(404);
  });
});

describe('workbench: the unit officer', () => {
  let ctx: BrowserContext;
  let page: Page;

  afterAll(async () => {
    await ctx?.close();
  });

  test('given a signed-out visitor, when the officer signs in with the 用户名 and 密码 form, a wrong password first and the right one at once (inside the server’s pause after a failure), then "My work" lists the clue with its step, working days left and level', async () => {
    ({ ctx, page } = await newPage());
    await page.goto(`${app.url}/`);
    await page.waitForURL(/\/sign-in/);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
    await shot(page, 'sign-in-zh-desktop');
    await signIn(page, { username: OFFICER.username, password: 'not the password at all' });
    await expect(page.getByTestId('sign-in-error').textContent()).resolves.toContain('用户名或密码不正确');
    // Sent well inside the 1 s pause the failure opened: the page sits it out rather than refuse.
    await signIn(page);
    await page.waitForURL(`${app.url}/my-work`);
    const row = page.locator(`[data-testid=work-item][data-ref="${ours.ref}"]`);
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('线索核查');
    expect(text).toContain('Tushan Happy Elderly Care Co., Ltd.');
    expect(text).toMatch(/剩 \d+ 个工作日|今日到期/);
    expect(text).toContain('未督办');
    // Another unit's clue is not on this unit's list.
    await expect(page.locator(`[data-ref="${theirs.ref}"]`).count()).resolves.toBe(0);
    await expect(page.getByTestId('who').textContent()).resolves.toContain('（单位联络员）');
    await shot(page, 'my-work-zh-desktop');
  });

  test('when the officer opens the clue from "My work" and records the verification, then the stage moves to classification', async () => {
    await page.locator(`[data-testid=work-item][data-ref="${ours.ref}"] a[data-testid=work-link]`).click();
    await page.waitForURL(`${app.url}/clues/${ours.id}`);
    await expect(page.getByTestId('clue-ref').textContent()).resolves.toContain(ours.ref);
    await expect(stageOf(page)).resolves.toBe('verifying');
    // Exactly the form the stage allows the lead unit (plus an extension request for its open clock).
    await expect(
      page.locator('[data-testid^=form-]').evaluateAll((els) => els.map((e) => e.dataset.testid)),
    ).resolves.toEqual(['form-verification', 'form-deadline-extensions']);
    await page.getByLabel('基本属实').check();
    await page.getByLabel('核查情况').fill('Site visited on 1 Dec; the pension-apartment offer is real.');
    await submitStep(page, 'submit-verification');
    await eventually(async () => expect(await stageOf(page)).toBe('classifying'), 20_000);
    await page.getByTestId('form-classification').waitFor();
  });

  test('when the officer classifies the clue, then the stage moves to planning and the record shows the nature', async () => {
    await pick(page, '性质认定', '涉嫌非法集资');
    await pick(page, '兑付能力', '部分兑付能力');
    await pick(page, '兑付意愿', '兑付意愿低');
    await page
      .getByLabel('认定理由')
      .fill('Public solicitation with promised returns; funds partly traceable.');
    await submitStep(page, 'submit-classification');
    await eventually(async () => expect(await stageOf(page)).toBe('planning'), 20_000);
    await expect(page.locator('body').textContent()).resolves.toContain('涉嫌非法集资');
  });

  test('given the officer typing the plan, when a refresh of the clue fails, then the page stays with what was typed and says it could not refresh until a refresh succeeds', async () => {
    await page.getByTestId('form-plan').waitFor();
    const typed = 'Typed before the refresh failed.';
    // Back online: the page reads the clue again at once.
    const reconnect = () =>
      page.evaluate("window.dispatchEvent(new Event('offline')); window.dispatchEvent(new Event('online'))");
    await page.getByLabel('具体措施').fill(typed);
    const clueApi = new RegExp(`/api/v1/clues/${ours.id}$`);
    await page.route(clueApi, (r) =>
      r.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503 }),
      }),
    );
    // Back online: the page reads the clue again (and fails, three times with its retries).
    await reconnect();
    await page.getByTestId('stale').waitFor();
    await expect(page.getByLabel('具体措施').inputValue()).resolves.toBe(typed);
    await expect(stageOf(page)).resolves.toBe('planning');
    // Answering again: the next read clears the notice and the text is still there.
    await page.unroute(clueApi);
    await reconnect();
    await page.getByTestId('stale').waitFor({ state: 'detached' });
    await expect(page.getByLabel('具体措施').inputValue()).resolves.toBe(typed);
  });

  test('when the officer submits the plan with strategies and two milestones, then the clue waits for plan review and the workflow holds the plan', async () => {
    await page.getByTestId('form-plan').waitFor();
    await page.getByLabel('警示约谈').check();
    await page.getByLabel('规范整改').check();
    await page.getByLabel('具体措施').fill('Interview the legal representative; order the offer withdrawn.');
    await page.getByLabel('责任人').fill('Wang Fang');
    await page.getByLabel('节点 1 内容').fill('Warning interview held');
    await pickTime(page, '节点 1 完成时限', '2027-01-15 10:00');
    await page.getByTestId('add-milestone').click();
    await page.getByLabel('节点 2 内容').fill('Rectification checked');
    await pickTime(page, '节点 2 完成时限', '2027-02-26 17:00');
    await submitStep(page, 'submit-plan');
    await eventually(async () => expect(await stageOf(page)).toBe('plan_review'), 20_000);
    const r = await app.call('u-coordinator', 'GET', `/api/v1/clues/${ours.id}`);
    expect(r.body.state.plan).toMatchObject({
      strategies: ['warning_interview', 'standardized_rectification'],
      responsiblePerson: 'Wang Fang',
    });
    expect(r.body.state.milestones.map((m: { title: string; dueAt: string }) => [m.title, m.dueAt])).toEqual([
      ['Warning interview held', '2027-01-15T02:00:00.000Z'],
      ['Rectification checked', '2027-02-26T09:00:00.000Z'],
    ]);
    // Plan review is the coordinator's: the officer has no stage form left.
    await expect(page.locator('[data-testid^=form-]').count()).resolves.toBeLessThanOrEqual(1);
    await page.getByTestId('timeline').getByText('提交处置方案').first().waitFor();
    await shot(page, 'clue-zh-desktop');
  });

  test("given a signed-in officer, when it opens another unit's clue URL or one that does not exist, then both show the same not-found page", async () => {
    await page.goto(`${app.url}/clues/${theirs.id}`);
    await page.getByTestId('not-found').waitFor();
    const other = await page.getByRole('main').innerText();
    await page.goto(`${app.url}/clues/c-does-not-exist`);
    await page.getByTestId('not-found').waitFor();
    const missing = await page.getByRole('main').innerText();
    expect(other).toBe(missing);
    expect(other).toContain('未找到该页面');
    expect(other).not.toContain(theirs.ref);
  });

  test('when the officer signs out, then the session ends and the workbench asks for sign-in again', async () => {
    await page.goto(`${app.url}/my-work`);
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(`${app.url}/my-work`);
    await page.waitForURL(/\/sign-in\?next=%2Fmy-work/);
  });
});

describe('workbench: deep links, language and the phone', () => {
  test('given a link from an email opened signed out, when the officer signs in, then it lands on that clue page', async () => {
    const { ctx, page } = await newPage();
    await page.goto(`${app.url}/clues/${ours.id}`);
    await page.waitForURL(`${app.url}/sign-in?next=${encodeURIComponent(`/clues/${ours.id}`)}`);
    await signIn(page);
    await page.waitForURL(`${app.url}/clues/${ours.id}`);
    await expect(page.getByTestId('clue-ref').textContent()).resolves.toContain(ours.ref);
    await ctx.close();
  });

  test('given a page chunk that is gone (a new release since the tab opened), when the officer opens that page, then it says the page could not load and its reload button brings the page', async () => {
    const { ctx, page } = await newPage();
    await page.goto(`${app.url}/my-work`);
    await signIn(page);
    await page.waitForURL(`${app.url}/my-work`);
    const gone = /\/assets\/Clue-[^/]*\.js$/;
    await page.route(gone, (r) => r.fulfill({ status: 404, body: '' }));
    await page.goto(`${app.url}/clues/${ours.id}`);
    await page.getByTestId('reload').waitFor();
    await expect(page.getByRole('alert').innerText()).resolves.toContain('页面未能加载');
    await page.unroute(gone);
    await page.getByTestId('reload').click();
    await expect(page.getByTestId('clue-ref').textContent()).resolves.toContain(ours.ref);
    await ctx.close();
  });

  test('the English switch turns the pages into English and is remembered; screenshots in both languages on desktop and phone', async () => {
    for (const [vp, name] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone'],
    ] as const) {
      const { ctx, page } = await newPage(vp);
      await page.goto(`${app.url}/sign-in`);
      await page.getByText('English').click();
      await page.getByLabel('Username').waitFor();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
      await shot(page, `sign-in-en-${name}`);
      await page.getByLabel('Username').fill(OFFICER.username);
      await page.getByLabel('Password').fill(OFFICER.password);
      await page.locator('button[type=submit]').click();
      await page.waitForURL(`${app.url}/my-work`);
      await page.locator(`[data-testid=work-item]`).first().waitFor();
      await expect(page.locator('h1').textContent()).resolves.toBe('My work');
      await fitsWidth(page, vp.width);
      await shot(page, `my-work-en-${name}`);
      await page.goto(`${app.url}/clues/${ours.id}`);
      await page.getByTestId('stage').waitFor();
      // The stage label in English (the officer journey above left it at plan review).
      await expect(page.getByTestId('stage').textContent()).resolves.toMatch(/^(Plan review|Verifying)$/);
      await fitsWidth(page, vp.width);
      await shot(page, `clue-en-${name}`);
      // Remembered: a reload stays in English.
      await page.reload();
      await page.getByTestId('stage').waitFor();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
      await ctx.close();
    }
  });

  test('at 390 px the menu is a drawer reached by a labelled button, and the Chinese pages fit the width', async () => {
    const { ctx, page } = await newPage(PHONE);
    await page.goto(`${app.url}/my-work`);
    await signIn(page);
    await page.waitForURL(`${app.url}/my-work`);
    await page.locator(`[data-testid=work-item][data-ref="${waiting.ref}"]`).waitFor();
    await fitsWidth(page, PHONE.width);
    await shot(page, 'my-work-zh-phone');
    await page.getByRole('button', { name: '打开菜单' }).click();
    await page.getByRole('link', { name: '专项行动' }).click();
    await page.waitForURL(`${app.url}/campaigns`);
    await page.goto(`${app.url}/clues/${ours.id}`);
    await page.getByTestId('stage').waitFor();
    await fitsWidth(page, PHONE.width);
    await shot(page, 'clue-zh-phone');
    // Keyboard: the sign-out button in the drawer is reachable and works with Enter.
    await page.getByRole('button', { name: '打开菜单' }).click();
    await page.getByTestId('sign-out').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/sign-in/);
    await ctx.close();
  });

  test("given another unit's clue the officer's unit co-handles, when it files the information exchange from My work, then that is the only step offered and the item leaves My work", async () => {
    const r = await app.call(
      'u-coordinator',
      'POST',
      '/api/v1/clues',
      intakeBody({
        subject: { name: 'Cross-district Travel Club', kind: 'organization' },
        leadUnitId: 'changhuai-town',
        coHandlingUnitIds: ['tushan-scenic-area'],
      }),
    );
    expect(r.status).toBe(201);
    const shared = { id: r.body.id as string, ref: r.body.ref as string };
    await eventually(async () => {
      const clocks = await app.call('u-tushan', 'GET', '/api/v1/clocks');
      expect(
        clocks.body.items.map((c: { ownerRef: string; task: string }) => [c.ownerRef, c.task]),
      ).toContainEqual([shared.ref, 'exchange']);
    }, 30_000);
    const { ctx, page } = await newPage();
    await page.goto(`${app.url}/my-work`);
    await signIn(page);
    const row = page.locator(`[data-testid=work-item][data-ref="${shared.ref}"]`);
    await page.waitForURL(`${app.url}/my-work`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('信息互通');
    await row.locator('a[data-testid=work-link]').click();
    await page.waitForURL(`${app.url}/clues/${shared.id}`);
    await page.getByTestId('form-information-exchange').waitFor();
    await expect(
      page.locator('[data-testid^=form-]').evaluateAll((els) => els.map((e) => e.dataset.testid)),
    ).resolves.toEqual(['form-information-exchange', 'form-deadline-extensions']);
    await page
      .getByLabel('协办信息')
      .fill('Two residents of the scenic area joined the club; contacts attached.');
    await page.getByTestId('submit-information-exchange').click();
    await page.getByTestId('form-information-exchange').waitFor({ state: 'detached', timeout: 20_000 });
    await page.goto(`${app.url}/my-work`);
    await page.locator(`[data-testid=work-item][data-ref="${waiting.ref}"]`).waitFor();
    await expect(row.count()).resolves.toBe(0);
    await ctx.close();
  });

  test('given a campaign the unit takes part in, when the officer files the implementation plan and the summary report with a typical case from its own clues, then both show as filed', async () => {
    const c = await app.call('u-coordinator', 'POST', '/api/v1/campaigns', {
      year: 2027,
      unitIds: ['tushan-scenic-area', 'changhuai-town'],
    });
    expect(c.status).toBe(201);
    const campaignId: string = c.body.id;
    await eventually(async () => {
      const p = await app.call('u-tushan', 'GET', `/api/v1/campaigns/${campaignId}/progress`);
      expect(p.body.units?.[0]?.unitId).toBe('tushan-scenic-area');
    }, 30_000);
    const { ctx, page } = await newPage();
    await page.goto(`${app.url}/campaigns`);
    await signIn(page);
    await page.waitForURL(`${app.url}/campaigns`);
    await page.getByTestId('campaign-link').first().click();
    await page.waitForURL(`${app.url}/campaigns/${campaignId}/units/tushan-scenic-area`);
    const status = (n: number) => page.getByTestId('deliverable-status').nth(n).getAttribute('data-status');
    await expect(status(0)).resolves.toBe('pending');

    await page
      .getByLabel('风险点')
      .fill('Pension-apartment offers in the scenic area\nTravel clubs selling "shares"');
    await page.getByLabel('工作措施').fill('Door-to-door checks of elderly care businesses');
    await page.getByLabel('职责 1').fill('Screening of elderly care businesses');
    await page.getByLabel('责任人 1').fill('Wang Fang');
    await page.getByTestId('submit-implementation-plan').click();
    await eventually(async () => expect(await status(0)).toBe('filed'), 20_000);

    await page.locator('.ant-collapse-header', { hasText: '总结报告' }).click();
    for (const [label, text] of [
      ['总体情况', 'Three clues registered, one disposed.'],
      ['区域分布', 'All in the scenic area.'],
      ['原因分析', 'Elderly residents targeted by promised returns.'],
      ['困难与形势研判', 'Online promotion is hard to trace.'],
      ['下一步工作', 'Keep monitoring travel clubs.'],
    ])
      await page.getByLabel(label!).fill(text!);
    await page.getByRole('button', { name: /增加典型案例/ }).click();
    await page.getByLabel('案例 1 线索').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: ours.ref }).click();
    await page.getByLabel('案例 1 标题').fill('Pension apartments promising 12%');
    await page.getByLabel('案例 1 简介').fill('Verified, classified and planned within the time limits.');
    await page.getByTestId('submit-summary-report').click();
    await eventually(async () => expect(await status(2)).toMatch(/^filed/), 20_000);
    const d = await app.call(
      'u-tushan',
      'GET',
      `/api/v1/campaigns/${campaignId}/units/tushan-scenic-area/deliverables`,
    );
    const report = d.body.items.find((x: { kind: string }) => x.kind === 'summary_report');
    expect(report.content.typicalCases).toEqual([
      expect.objectContaining({ clueRef: ours.ref, title: 'Pension apartments promising 12%' }),
    ]);
    await shot(page, 'campaign-unit-zh-desktop');
    await ctx.close();
  });

  test('no page logged a console error or threw', () => {
    expect(wb.consoleErrors).toEqual([]);
  });
});
