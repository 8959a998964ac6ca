/**
 * Benchmark — the workbench with N clues (default 10,000) on the embedded stack (`npm start`: dev
 * server, PGlite, local mail outbox), measured in Chromium.
 *
 * 1. `npm start` on a new data directory (migrates and seeds the demo district; its first start prints
 *    each user's password), then stopped.
 * 2. N clues written straight into its PGlite database (the ledger benchmark's generate_series seed:
 *    grades, units, stages and overdue levels skewed as in a real district) and one open clock per clue
 *    not closed (due dates spread over -10 … +30 days), so "My work" has thousands of rows to choose
 *    from. No workflows: this measures the pages, not the engine.
 * 3. `npm start` again on that data; a unit officer (Tushan, ~30 % of the clues) opens "My work", a
 *    coordinator opens the risk ledger. Each page is opened `--runs` times (default 5) in the same
 *    signed-in browser context; a run is the time from navigation start to the first row drawn and
 *    the next idle frame after it (the page answers input), read from the page's own clock.
 *
 * Baselines in the same run: the sign-in page (the same app shell and bundle, no data) and the API
 * answer alone (the request each page makes, timed in the page with fetch).
 *
 *   npx tsx bench/web.ts [--n=10000] [--runs=5] [--trace=<dir>]  (--trace: one more load per page, traced, not counted)
 */
import fs from 'node:fs';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { startEmbeddedPg } from '../src/db/embedded-pg';
import { launchChromium } from '../test/helpers/chromium';
import { seedLedger } from './ledger';
import { npmStart } from './startup';
import { args, fmtSummary, header, line, loadAvg, num, summarize, tempDir, type Summary } from './lib';

const OFFICER = 'u-tushan';
const COORDINATOR = 'u-coordinator';

/** The demo seed's "user token password" lines from the first start. */
function passwords(output: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of output.split('\n')) {
    const m = /^\s+(u-[\w-]+)\s+\S+\s+(\S.*)$/.exec(l);
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

/** One open clock per clue that is not closed, at its lead unit, the task its stage waits on. */
async function seedClocks(q: (sql: string) => Promise<unknown>): Promise<void> {
  await q(
    `insert into clocks (key, owner_type, owner_id, clock_id, task, unit_id, started_at, due_at, status, level)
     select 'clue:' || c.id || ':' || t.task || '-1', 'clue', c.id, t.task || '-1', t.task, c.lead_unit_id,
            c.created_at, c.next_due_at, 'open', c.overdue_level
       from clues c,
            lateral (select case c.stage when 'verifying' then 'verification' when 'classifying' then 'classification'
                                         when 'planning' then 'plan' when 'plan_review' then 'plan_review'
                                         when 'referred' then 'referral_ack' else 'milestone' end as task) t
      where c.stage not in ('closed', 'registered')`,
  );
  await q('analyze clocks');
}

async function seed(dataDir: string, n: number): Promise<{ clues: number; clocks: number; ms: number }> {
  const t0 = Date.now();
  const db = await startEmbeddedPg(dataDir);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    // seedLedger writes `?` placeholders (MikroORM style); number them for pg.
    const q = async (sql: string, params: unknown[] = []) => {
      let i = 0;
      const r = await client.query(
        sql.replace(/\?/g, () => `$${++i}`),
        params,
      );
      return r.rows as never;
    };
    await seedLedger({ q }, n);
    await seedClocks(q);
    const r = await client.query<{ c: number; k: number }>(
      `select (select count(*)::int from clues) c, (select count(*)::int from clocks where status = 'open') k`,
    );
    return { clues: r.rows[0]!.c, clocks: r.rows[0]!.k, ms: Date.now() - t0 };
  } finally {
    await client.end();
    await db.stop();
  }
}

/**
 * Watches, inside the page from its first script on, for `selector` to be drawn; records that frame's
 * time and the next idle moment after it (a task queued behind the frame: the page answers input).
 * Read from the page's own clock, so the test driver's round trips to the browser are not counted.
 */
function watchInteractive(selector: string): string {
  // A string, so the page runs exactly this (no transpiler helpers).
  return `(() => {
    const check = () => {
      if (!document.querySelector(${JSON.stringify(selector)})) return requestAnimationFrame(check);
      const drawn = performance.now();
      requestAnimationFrame(() => setTimeout(() => { window.__interactive = { drawn, idle: performance.now() }; }, 0));
    };
    requestAnimationFrame(check);
  })();`;
}

/** Milliseconds from navigation start to the first `selector` drawn plus the idle frame after it. */
async function timeToInteractive(page: Page, url: string, selector: string, trace?: string): Promise<number> {
  await page.goto('about:blank');
  const browser = page.context().browser();
  if (trace && browser)
    await browser.startTracing(page, {
      path: trace,
      categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'loading'],
    });
  const cdp = trace ? await page.context().newCDPSession(page) : undefined;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector(selector, { timeout: 60_000 });
  await page.waitForFunction(() => '__interactive' in globalThis, undefined, { timeout: 60_000 });
  if (trace && browser) await browser.stopTracing();
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop');
    fs.writeFileSync(trace!.replace(/\.json$/, '.cpuprofile'), JSON.stringify(profile));
    await cdp.detach();
  }
  return page.evaluate(
    () => (globalThis as unknown as { __interactive: { idle: number } }).__interactive.idle,
  );
}

async function apiTime(page: Page, apiPath: string): Promise<number> {
  return page.evaluate(async (p) => {
    const t0 = performance.now();
    const r = await fetch(p, { credentials: 'same-origin' });
    await r.json();
    return performance.now() - t0;
  }, apiPath);
}

export interface WebBenchResult {
  n: number;
  seed: { clues: number; clocks: number; ms: number };
  pages: { name: string; path: string; runs: number[]; s: Summary; api: Summary }[];
  baseline: Summary;
  rows: { myWork: number; ledger: number };
  load: { before: string; after: string };
}

export async function runWeb(o: {
  n: number;
  runs: number;
  ledger?: boolean;
  trace?: string;
}): Promise<WebBenchResult> {
  const before = loadAvg();
  const dataDir = tempDir('bench-web');
  const first = await npmStart(dataDir);
  const pw = passwords(first.output);
  await first.stop();
  if (!pw[OFFICER] || !pw[COORDINATOR]) throw new Error('the first start printed no passwords');
  const seeded = await seed(dataDir, o.n);

  const app = await npmStart(dataDir);
  const browser = await launchChromium();
  try {
    const signedIn = async (user: string) => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
      const page = await ctx.newPage();
      await page.goto(`${app.url}/sign-in`);
      await page.getByLabel('用户名').fill(user);
      await page.getByLabel('密码').fill(pw[user]!);
      await page.locator('button[type=submit]').click();
      await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'), { timeout: 30_000 });
      return { ctx, page };
    };

    // Baseline: the shell with no data (a fresh context each time would include sign-in; the sign-in
    // page is the same bundle's first page).
    const anon = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const anonPage = await anon.newPage();
    await anonPage.addInitScript({ content: watchInteractive('button[type=submit]') });
    const base: number[] = [];
    for (let i = 0; i < o.runs; i++)
      base.push(await timeToInteractive(anonPage, `${app.url}/sign-in`, 'button[type=submit]'));
    await anon.close();

    const pages: WebBenchResult['pages'] = [];
    const rows = { myWork: 0, ledger: 0 };
    const measure = async (
      user: string,
      name: string,
      pagePath: string,
      selector: string,
      api: string,
      count: (p: Page) => Promise<number>,
    ) => {
      const { ctx, page } = await signedIn(user);
      await page.addInitScript({ content: watchInteractive(selector) });
      const runs: number[] = [];
      for (let i = 0; i < o.runs; i++) runs.push(await timeToInteractive(page, app.url + pagePath, selector));
      // One more, traced, when asked (not counted: tracing slows the page).
      if (o.trace)
        await timeToInteractive(
          page,
          app.url + pagePath,
          selector,
          `${o.trace}/${pagePath.replace(/\W+/g, '-')}.json`,
        );
      const n = await count(page);
      const apis: number[] = [];
      for (let i = 0; i < o.runs; i++) apis.push(await apiTime(page, api));
      pages.push({ name, path: pagePath, runs, s: summarize(runs), api: summarize(apis) });
      await ctx.close();
      return n;
    };
    rows.myWork = await measure(
      OFFICER,
      'My work (unit officer)',
      '/my-work',
      '[data-testid=work-item]',
      '/api/v1/clocks?limit=500',
      (p) => p.locator('[data-testid=work-item]').count(),
    );
    if (o.ledger)
      rows.ledger = await measure(
        COORDINATOR,
        'risk ledger (coordinator)',
        '/ledger/risks',
        '[data-testid=ledger-row]',
        '/api/v1/ledger/risks?limit=50',
        (p) => p.locator('[data-testid=ledger-row]').count(),
      );
    return {
      n: o.n,
      seed: seeded,
      pages,
      baseline: summarize(base),
      rows,
      load: { before, after: loadAvg() },
    };
  } finally {
    await browser.close();
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function printWeb(x: WebBenchResult, command: string): void {
  header(`workbench pages with ${x.n} clues on the embedded stack (Chromium)`, command);
  line('seeded', `${x.seed.clues} clues, ${x.seed.clocks} open clocks in ${x.seed.ms} ms`);
  line('baseline: sign-in page', fmtSummary(x.baseline));
  for (const p of x.pages) {
    line(
      `${p.name} ${p.path}`,
      `median ${p.s.p50.toFixed(0)} ms; runs ${p.runs.map((r) => r.toFixed(0)).join(', ')} ms`,
    );
    line('  its API answer alone', fmtSummary(p.api));
    line('  ratio to the sign-in page', `${(p.s.p50 / x.baseline.p50).toFixed(2)}×`);
    line('  target ≤ 1,000 ms (median)', p.s.p50 <= 1000 ? 'met' : 'NOT met');
  }
  line('rows drawn', `My work ${x.rows.myWork}, ledger ${x.rows.ledger}`);
  line('load average before / after', `${x.load.before} / ${x.load.after}`);
}

if (require.main === module) {
  const a = args();
  const o = { n: num(a, 'n', 10_000), runs: num(a, 'runs', 5), ledger: a.ledger !== 'false', trace: a.trace };
  runWeb(o)
    .then((x) => {
      printWeb(x, `npx tsx bench/web.ts --n=${o.n} --runs=${o.runs}`);
      process.exit(0);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    });
}
