/**
 * Shared set-up of the workbench browser tests: the whole deployment (API + worker on a Temporal dev
 * server, PostgreSQL, SMTP) serving the built web app, Chromium (helpers/chromium.ts), passwords for
 * the seeded users, pages that collect console errors, sign-in through the 用户名/密码 form, antd
 * picker and select helpers, the phone-width check and screenshots to artifacts/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { devServerEnv, freshDatabase, startSmtp, type TestDb, type TestSmtp } from './services';
import { startTestApp, type TestApp } from './app';
import { launchChromium } from './chromium';
import { setPassword } from '../../src/auth/passwords';
import { WEB_DIST } from '../../api/pages/web';

export const SHOTS = path.resolve(__dirname, '..', '..', 'artifacts', 'screenshots');
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export interface Person {
  username: string;
  password: string;
}

/** A password for a seeded user (the seed's ids are the usernames). */
export const person = (username: string): Person => ({
  username,
  password: `${username} browser passphrase 1`,
});

export interface Workbench {
  env: TestWorkflowEnvironment;
  db: TestDb;
  smtp: TestSmtp;
  app: TestApp;
  browser: Browser;
  /** Console errors and uncaught exceptions of every page opened with newPage. */
  consoleErrors: string[];
  newPage(viewport?: { width: number; height: number }): Promise<{ ctx: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/** Starts everything; sets the passwords of `people` (Person.password) for the sign-in form. */
export async function startWorkbench(o: {
  database: string;
  taskQueue: string;
  people: Person[];
  /** Configuration for the app (e.g. a seconds-scale DEADLINE_POLICY, SIGN_IN_BACKOFF_MS). */
  configEnv?: Record<string, string>;
}): Promise<Workbench> {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html')))
    throw new Error(`the web app is not built (${WEB_DIST}): run npm run build:web`);
  const [env, db, smtp] = await Promise.all([devServerEnv(), freshDatabase(o.database), startSmtp()]);
  const app = await startTestApp({ env, db, smtp, taskQueue: o.taskQueue, configEnv: o.configEnv });
  for (const p of o.people) {
    if (!(await setPassword(db.orm.em.fork() as EntityManager, p.username, p.password)))
      throw new Error(`no seeded user ${p.username}`);
  }
  const browser = await launchChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
  const consoleErrors: string[] = [];
  return {
    env,
    db,
    smtp,
    app,
    browser,
    consoleErrors,
    async newPage(viewport = DESKTOP) {
      // Reduced motion, as a reader may set it: menus and lists appear at once instead of sliding in,
      // so a click never lands on an option still moving (the app follows the setting; locale.tsx).
      const ctx = await browser.newContext({
        viewport,
        locale: 'zh-CN',
        acceptDownloads: true,
        reducedMotion: 'reduce',
      });
      const page = await ctx.newPage();
      page.on('console', (m) => {
        // Chromium's own line for a 4xx answer a journey asks for on purpose is not the page's error.
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
          consoleErrors.push(`${page.url()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
      return { ctx, page };
    },
    async close() {
      await browser?.close();
      await app?.close();
      await Promise.all([env?.teardown(), db?.close(), smtp?.close()]);
    },
  };
}

/** Signs in through the form (labels 用户名 / 密码: the page must be in Chinese). */
export async function signIn(page: Page, who: Person): Promise<void> {
  await page.getByLabel('用户名').fill(who.username);
  await page.getByLabel('密码').fill(who.password);
  await page.locator('button[type=submit]').click();
}

/**
 * Types a date and time into a DueTimePicker and tabs on, as an officer at a keyboard would.
 * Checked after the picker closes and the field loses focus, when antd would put back a value it did
 * not take: then it is typed again.
 */
export async function pickTime(page: Page, label: string, value: string): Promise<void> {
  const input = page.getByLabel(label);
  const open = page.locator('.ant-picker-dropdown:visible');
  for (let attempt = 0; attempt < 3; attempt++) {
    await input.click();
    await input.fill(value);
    // The field takes a typed time when focus moves on (no OK button to hit while the panel moves).
    await input.press('Tab');
    for (let i = 0; i < 20 && (await open.count()) > 0; i++) await page.waitForTimeout(100);
    // A value the field did not take is put back a render or two after the blur: read it twice.
    await page.waitForTimeout(300);
    if ((await input.inputValue()) !== value) continue;
    await page.waitForTimeout(700);
    if ((await input.inputValue()) === value) return;
  }
  throw new Error(`pickTime: "${label}" does not keep "${value}" after three tries`);
}

/**
 * Submits a clue step form and waits for the server's answer, failing with what the page said
 * instead (a field left empty, a refusal) rather than a stage that only never moves.
 */
export async function submitStep(page: Page, testId: string): Promise<void> {
  // The previous step's answer may still be on screen, and leave it while this one appears: mark it,
  // and wait for an answer that is not marked (counting them could stay level).
  await page
    .locator('[data-testid=step-saved], [data-testid=step-refused]')
    .evaluateAll((els) => els.forEach((el) => el.setAttribute('data-seen', '')));
  const saved = page.locator('[data-testid=step-saved]:not([data-seen])');
  await page.getByTestId(testId).click();
  const said = page.locator('[data-testid=step-refused]:not([data-seen]), .ant-form-item-has-error');
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if ((await saved.count()) > 0) return;
    if ((await said.count()) > 0) break;
    await page.waitForTimeout(100);
  }
  const button = page.getByTestId(testId);
  const waiting =
    (await button.count()) > 0 && (await button.evaluate((b) => b.classList.contains('ant-btn-loading')));
  // What the page looked like, beside the other screenshots (CI keeps them as artifacts).
  await page.screenshot({ path: path.join(SHOTS, `failed-${testId}.png`), fullPage: true });
  throw new Error(
    `${testId}: not saved; the page says: ${(await said.allInnerTexts()).join(' | ') || '(nothing)'}` +
      (waiting ? ' (still waiting for the server)' : ''),
  );
}

/** Opens an antd Select by its label and picks the option with that text (typed first when searchable). */
export async function pick(page: Page, label: string, option: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  const shows = () =>
    input.evaluate((el, o) => el.closest('.ant-select')?.textContent?.includes(o) ?? false, option);
  for (let attempt = 0; attempt < 4; attempt++) {
    await input.click();
    // A searchable select narrows to the option (a long list renders only what is in view).
    if (await input.isEditable()) await input.fill(option);
    // The list may close under the pointer while it still moves in (the option is "not stable", then
    // "not visible"): give the click a few seconds, not the whole test's, and open the list again.
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
      .first()
      .click({ timeout: 5_000 })
      .catch(() => page.keyboard.press('Escape'));
    // A click the select did not take (its list was still opening) leaves it as it was: pick again.
    for (let i = 0; i < 10; i++) {
      if (await shows()) return;
      await page.waitForTimeout(100);
    }
  }
  throw new Error(`pick: "${label}" does not show "${option}" after four tries`);
}

/** The stage the clue page shows. */
export const stageOf = (page: Page) => page.getByTestId('stage').getAttribute('data-stage');

/** Nothing on the page is wider than the window: every action is reachable without sideways scrolling. */
export async function fitsWidth(page: Page, width: number): Promise<void> {
  const scroll = await page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
        .documentElement.scrollWidth,
  );
  expect(scroll).toBeLessThanOrEqual(width);
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}
