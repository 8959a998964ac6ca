/**
 * The leader's and the admin's pages in a real browser (Chromium through playwright-core) against the
 * whole deployment (API + worker on a Temporal dev server, PostgreSQL, SMTP) serving the built web app,
 * and the security of the cookie sign-in.
 *
 * A seconds-scale policy lets a real clue workflow run out its verification clock and climb the
 * ladder to level 2 while the test watches (no sleeps: the dev server's timers fire and the test
 * polls). The leader opens the link of the level-2 email, writes an instruction and sees it in the
 * history of instructions. A page of another origin cannot write with the leader's session (CSRF);
 * five wrong passwords lock an account; the session cookie's flags are read from the browser. The admin
 * creates a user, resets its password (shown once) and issues it a token (shown once) through the pages.
 * Screenshots: artifacts/screenshots/leader-*.png and admin-*.png, zh and en, desktop and phone.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { createApp } from '../../api/app';
import { fullApiExtras } from '../../api/extras';
import { eventually } from '../helpers/services';
import { intakeBody } from '../helpers/app';
import {
  DESKTOP,
  PHONE,
  fitsWidth,
  person,
  pick,
  shot,
  signIn,
  startWorkbench,
  type Workbench,
} from '../helpers/browser';

const LEADER = person('u-leader');
const ADMIN = person('u-admin');
const OFFICER = person('u-tushan');
/** The account the lockout test locks (nobody else signs in as it). */
const LOCKED = person('u-changhuai');
const INSTRUCTION = '请涂山风景区三日内完成核查并书面报告。';

let wb: Workbench;
let clue: { id: string; ref: string };
/** The level-2 escalation of the clue's verification clock, and the path its email links to. */
let escalationId: number;
let emailPath: string;

beforeAll(async () => {
  wb = await startWorkbench({
    database: 'leader_admin_test',
    taskQueue: 'leader-admin-it',
    people: [LEADER, ADMIN, OFFICER, LOCKED],
    configEnv: {
      // A grade III clue's verification is due 3 s after intake; level 1 at once, level 2 two seconds
      // later, level 3 an hour away. Other grades have an hour.
      DEADLINE_POLICY: JSON.stringify({
        preset: 'seconds',
        tiers: { verification: { III: 'PT3S', default: 'PT1H' } },
        reminders: [],
        escalation: ['PT0S', 'PT2S', 'PT60M'],
      }),
      // Back-off between wrong passwords in milliseconds, so five attempts take no real waiting.
      SIGN_IN_BACKOFF_MS: '10',
    },
  });
  const r = await wb.app.call('u-coordinator', 'POST', '/api/v1/clues', intakeBody());
  expect(r.status).toBe(201);
  expect(r.body.grade).toBe('III');
  clue = { id: r.body.id, ref: r.body.ref };
}, 180_000);

afterAll(async () => {
  await wb?.close();
});

async function leaderPage(viewport = DESKTOP): Promise<{ ctx: BrowserContext; page: Page }> {
  const { ctx, page } = await wb.newPage(viewport);
  await page.goto(`${wb.app.url}/escalations`);
  await signIn(page, LEADER);
  await page.waitForURL(`${wb.app.url}/escalations`);
  return { ctx, page };
}

describe('leader: an escalation produced by a real workflow', () => {
  test('given a clue whose verification clock ran out, when the workflow climbs to level 2, then the leaders get an email linking to the escalation page', async () => {
    const row = await eventually(async () => {
      const rows = await wb.db.q<{ id: number; level: number; status: string }[]>(
        `select id, level, status from escalations where owner_id = ? order by level`,
        [clue.id],
      );
      expect(rows.map((e) => [e.level, e.status])).toEqual([
        [1, 'resolved'],
        [2, 'open'],
      ]);
      return rows[1]!;
    }, 60_000);
    escalationId = row.id;
    // The leader's message (email and in-app notification alike) links to the escalation's page.
    const body = await eventually(async () => {
      const [n] = await wb.db.q<{ body: string }[]>(
        `select body from notifications where user_id = 'u-leader' and kind = 'escalation' and body like ?`,
        [`%/escalations/${escalationId}%`],
      );
      expect(n).toBeDefined();
      expect(wb.smtp.mails.some((m) => m.to.includes('leader@district.local'))).toBe(true);
      return n!.body;
    }, 30_000);
    emailPath = new URL(/https?:\/\/\S+?\/escalations\/\d+/.exec(body)![0]).pathname;
    expect(emailPath).toBe(`/escalations/${escalationId}`);
  });

  test('when the leader signs in, then the list shows it with subject, grade, amount, participants, unit, stage, working days overdue and level', async () => {
    const { ctx, page } = await leaderPage();
    const row = page.locator(`[data-testid=escalation-item][data-ref="${clue.ref}"]`);
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    for (const part of [
      '区领导',
      'Tushan Happy Elderly Care Co., Ltd.',
      '涂山风景区',
      '线索核查',
      '200',
      // Escalated within the same working day: due, not "0 working days overdue".
      '已到期',
    ])
      expect(text).toContain(part);
    await expect(row.getAttribute('data-escalation-id')).resolves.toBe(String(escalationId));
    await expect(page.getByTestId('who').textContent()).resolves.toContain('Li Na（领导）');
    await shot(page, 'leader-escalations-zh-desktop');
    await ctx.close();
  });

  test('given a page of another origin holding the leader’s session, when it posts the acknowledgement form, then the API refuses it (CSRF) and the escalation stays open', async () => {
    const { ctx } = await leaderPage();
    // The attacker: another local server whose page auto-submits a form to the API. A text/plain form
    // can carry a JSON-looking body; the session cookie goes along (same site, other port).
    const target = `${wb.app.url}/api/v1/escalations/${escalationId}/acknowledgement`;
    const evil = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html><body>
        <form id="f" method="POST" action="${target}" enctype="text/plain">
          <input name='{"instruction":"forged by another site","x":"' value='"}'>
        </form>
        <script>document.getElementById('f').submit();</script></body></html>`);
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
    try {
      const attacker = await ctx.newPage();
      const [answer] = await Promise.all([
        attacker.waitForResponse((r) => r.url() === target && r.request().method() === 'POST'),
        attacker.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`),
      ]);
      // The browser did send the session cookie: the refusal is the CSRF guard's, not a missing session.
      expect(await answer.request().headerValue('cookie')).toContain('dso_session=');
      expect(answer.status()).toBe(403);
      expect(((await answer.json()) as { type: string }).type).toMatch(/\/csrf$/);
    } finally {
      evil.close();
    }
    const [e] = await wb.db.q<{ status: string; instruction: string | null }[]>(
      `select status, instruction from escalations where id = ?`,
      [escalationId],
    );
    expect(e).toEqual({ status: 'open', instruction: null });
    await ctx.close();
  });

  test('the old dashboard address leads to the escalations page', async () => {
    const r = await fetch(`${wb.app.url}/dashboard`, { redirect: 'manual' });
    expect([r.status, r.headers.get('location')]).toEqual([301, '/escalations']);
  });

  test('when the leader opens the email’s link, writes an instruction and submits, then the escalation is acknowledged and the history of instructions shows it', async () => {
    const { ctx, page } = await wb.newPage();
    // Signed out: the link goes through sign-in and back to the escalation.
    await page.goto(`${wb.app.url}${emailPath}`);
    await page.waitForURL(`${wb.app.url}/sign-in?next=${encodeURIComponent(emailPath)}`);
    await signIn(page, LEADER);
    await page.waitForURL(`${wb.app.url}${emailPath}`);
    await page.getByTestId('form-acknowledgement').waitFor();
    await expect(page.getByTestId('escalation-status').getAttribute('data-status')).resolves.toBe('open');
    await expect(page.getByTestId('escalation-clue').textContent()).resolves.toBe(clue.ref);
    // The clock's rungs so far: level 1 superseded, level 2 awaiting.
    const history = page.getByTestId('escalation-history');
    await expect(history.textContent()).resolves.toMatch(
      /单位负责人及区处非办.*已升级或办结.*区领导.*待阅示/,
    );
    await shot(page, 'leader-escalation-zh-desktop');
    // An empty instruction is refused on the page.
    await page.getByTestId('submit-acknowledgement').click();
    await page.getByText('请先填写批示意见。').waitFor();
    await page.getByLabel('批示意见').fill(INSTRUCTION);
    await page.getByTestId('submit-acknowledgement').click();
    await eventually(
      async () =>
        expect(await page.getByTestId('escalation-status').getAttribute('data-status')).toBe('acknowledged'),
      20_000,
    );
    const given = page.getByTestId('instruction');
    await given.first().waitFor();
    await expect(given.count()).resolves.toBe(1);
    await expect(given.first().textContent()).resolves.toContain(INSTRUCTION);
    await expect(given.first().textContent()).resolves.toContain('Li Na');
    await expect(page.getByTestId('form-acknowledgement').count()).resolves.toBe(0);
    const [e] = await wb.db.q<{ status: string; instruction: string; acknowledged_by: string }[]>(
      `select status, instruction, acknowledged_by from escalations where id = ?`,
      [escalationId],
    );
    expect(e).toEqual({ status: 'acknowledged', instruction: INSTRUCTION, acknowledged_by: 'u-leader' });
    await shot(page, 'leader-escalation-acknowledged-zh-desktop');
    // It has left the open list.
    await page.goto(`${wb.app.url}/escalations`);
    await page.getByText('暂无逾期督办事项。').waitFor();
    await ctx.close();
  });
});

describe('leader: overview', () => {
  test('given a campaign and a verified clue, then the overview shows each unit’s on-time rate, the campaign’s progress per unit and the district summary download', async () => {
    const c = await wb.app.call('u-coordinator', 'POST', '/api/v1/campaigns', {
      year: 2027,
      unitIds: ['tushan-scenic-area', 'changhuai-town', 'yanshan-town'],
    });
    expect(c.status).toBe(201);
    await eventually(async () => {
      const p = await wb.app.call('u-leader', 'GET', `/api/v1/campaigns/${c.body.id}/progress`);
      expect(p.body.units).toHaveLength(3);
    }, 30_000);
    const { ctx, page } = await leaderPage();
    await page.getByRole('link', { name: '履职概览' }).click();
    await page.waitForURL(`${wb.app.url}/overview`);
    // Tushan's verification was done late (after escalating): 0 of 1 on time.
    const tushan = page.locator('[data-testid=on-time-unit][data-unit="tushan-scenic-area"]');
    await tushan.waitFor();
    await expect(tushan.getByTestId('rate').textContent()).resolves.toMatch(/^\d+\.\d%$/);
    const campaign = page.getByTestId('overview-campaign');
    await campaign.waitFor();
    await expect(campaign.textContent()).resolves.toContain('长淮街道');
    await expect(campaign.textContent()).resolves.toContain('已报送总结报告 0／3 个单位');
    const [docx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-summary').click(),
    ]);
    expect(docx.suggestedFilename()).toMatch(/^关于.+的总结报告\.docx$/);
    expect(fs.statSync((await docx.path())!).size).toBeGreaterThan(5_000);
    await shot(page, 'leader-overview-zh-desktop');
    await ctx.close();
  });

  test('the leader’s pages in English and on a phone: every action within the width; screenshots', async () => {
    for (const [vp, size] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone'],
    ] as const) {
      for (const lang of ['zh', 'en'] as const) {
        const { ctx, page } = await leaderPage(vp);
        if (lang === 'en') {
          await page.getByText('English').click();
          await page.locator('html[lang=en]').waitFor();
        }
        for (const [path, name] of [
          ['/escalations', 'escalations'],
          [`/escalations/${escalationId}`, 'escalation'],
          ['/overview', 'overview'],
        ] as const) {
          await page.goto(`${wb.app.url}${path}`);
          await page.locator('main h1').first().waitFor();
          if (name === 'escalations')
            await expect(page.locator('main h1').first().textContent()).resolves.toBe(
              lang === 'en' ? 'Open overdue escalations' : '逾期督办事项',
            );
          await page.waitForLoadState('networkidle');
          await fitsWidth(page, vp.width);
          // The desktop Chinese list and escalation were shot above, with their data.
          if (!(lang === 'zh' && size === 'desktop' && name !== 'overview'))
            await shot(page, `leader-${name}-${lang}-${size}`);
        }
        await ctx.close();
      }
    }
  });
});

describe('security of the cookie sign-in', () => {
  test('a signed-in officer opening another unit’s clue sees the same page as for one that does not exist (the workbench test checks the texts)', async () => {
    const other = await wb.app.call(
      'u-coordinator',
      'POST',
      '/api/v1/clues',
      intakeBody({
        subject: { name: 'Market Rebate Mall', kind: 'online_platform' },
        leadUnitId: 'market-regulation',
      }),
    );
    expect(other.status).toBe(201);
    const { ctx, page } = await wb.newPage();
    await page.goto(`${wb.app.url}/clues/${other.body.id}`);
    await signIn(page, OFFICER);
    await page.getByTestId('not-found').waitFor();
    await expect(page.getByRole('main').innerText()).resolves.not.toContain(other.body.ref);
    // The leader's pages are not an officer's: the escalations page says so, it shows nothing.
    await page.goto(`${wb.app.url}/escalations`);
    await page.getByText('您无权办理此事项。').waitFor();
    await expect(page.locator('[data-testid=escalation-item]').count()).resolves.toBe(0);
    await ctx.close();
  });

  test('five wrong passwords through the sign-in page lock the account: the sixth attempt, with the right password, is refused with the lockout message', async () => {
    const { ctx, page } = await wb.newPage();
    await page.goto(`${wb.app.url}/sign-in`);
    const error = page.getByTestId('sign-in-error');
    for (let i = 1; i <= 5; i++) {
      await signIn(page, { username: LOCKED.username, password: `wrong password ${i}` });
      await eventually(async () =>
        expect(await error.textContent()).toMatch(/用户名或密码不正确|登录失败次数过多/),
      );
      // Let the page settle between attempts (the error is cleared and shown again).
      await page.locator('button[type=submit]:not(.ant-btn-loading)').waitFor();
    }
    await signIn(page, LOCKED);
    await eventually(async () =>
      expect(await error.textContent()).toContain('登录失败次数过多，账号已锁定至'),
    );
    expect(page.url()).toContain('/sign-in');
    const [u] = await wb.db.q<{ locked_until: string | null }[]>(
      `select locked_until from users where id = ?`,
      [LOCKED.username],
    );
    expect(new Date(u!.locked_until!).getTime()).toBeGreaterThan(Date.now());
    await shot(page, 'leader-sign-in-locked-zh-desktop');
    await ctx.close();
  });

  test('the session cookie is HttpOnly, SameSite=Lax, Path=/ and not Secure over plain http by default; with COOKIE_SECURE=true it is Secure (__Host- name)', async () => {
    const { ctx } = await leaderPage();
    const plain = (await ctx.cookies(wb.app.url)).find((c) => c.name === 'dso_session');
    expect(plain).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
    await ctx.close();

    // The same deployment behind a server configured COOKIE_SECURE=true, reached as localhost (where
    // Chromium keeps Secure cookies over http).
    const secureApp = createApp(
      { ...wb.app.ctx, config: { ...wb.app.config, auth: { ...wb.app.config.auth, cookieSecure: 'true' } } },
      fullApiExtras,
    );
    const server = secureApp.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    const base = `http://localhost:${(server.address() as AddressInfo).port}`;
    try {
      const { ctx: c2, page } = await wb.newPage();
      await page.goto(`${base}/sign-in`);
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url() === `${base}/api/v1/session` && r.request().method() === 'POST'),
        signIn(page, LEADER),
      ]);
      expect(answer.status()).toBe(200);
      const cookie = (await c2.cookies(base)).find((c) => c.name.endsWith('dso_session'));
      expect(cookie).toMatchObject({
        name: '__Host-dso_session',
        httpOnly: true,
        sameSite: 'Lax',
        path: '/',
        secure: true,
      });
      await c2.close();
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('admin', () => {
  let ctx: BrowserContext;
  let page: Page;

  afterAll(async () => {
    await ctx?.close();
  });

  test('when the admin creates a user through the users page, then it is listed, and a password reset shows the new password once, which signs the user in', async () => {
    ({ ctx, page } = await wb.newPage());
    await page.goto(`${wb.app.url}/`);
    await signIn(page, ADMIN);
    await page.waitForURL(`${wb.app.url}/admin/users`);
    await page.getByText('新增用户').click();
    await page.getByLabel('用户名').fill('u-zhao');
    await page.getByLabel('姓名').fill('Zhao Min');
    await page.getByLabel('邮箱').fill('zhao.min@district.local');
    await pick(page, '角色', '单位联络员');
    await pick(page, '所属单位', '燕山乡');
    await page.getByTestId('submit-new-user').click();
    const row = page.locator('[data-testid=user-row][data-user="u-zhao"]');
    await row.waitFor({ timeout: 20_000 });
    await expect(row.textContent()).resolves.toContain('单位联络员');
    await shot(page, 'admin-users-zh-desktop');
    await row.getByTestId('reset-password').click();
    const secret = page.getByTestId('one-time-secret');
    await secret.waitFor();
    const password = ((await secret.textContent()) ?? '').trim();
    expect(password.length).toBeGreaterThanOrEqual(12);
    await shot(page, 'admin-password-zh-desktop');
    await page.getByTestId('close-secret').click();
    await secret.waitFor({ state: 'detached' });
    // Shown once: nowhere on the page any more.
    await expect(page.locator('body').textContent()).resolves.not.toContain(password);
    const [audit] = await wb.db.q<{ actor_id: string }[]>(
      `select actor_id from audit_log where action = 'password.set' and target = 'user:u-zhao'`,
    );
    expect(audit?.actor_id).toBe('u-admin');
    const { ctx: c2, page: p2 } = await wb.newPage();
    await p2.goto(`${wb.app.url}/sign-in`);
    await signIn(p2, { username: 'u-zhao', password });
    await p2.waitForURL(`${wb.app.url}/my-work`);
    await c2.close();
  });

  test('when the admin issues a token for the new user on the tokens page, then the token is shown once and works; revoking it stops it', async () => {
    await page.getByRole('link', { name: '接口令牌' }).click();
    await page.waitForURL(`${wb.app.url}/admin/tokens`);
    await page.getByText('签发令牌').click();
    await pick(page, '令牌所属用户', 'Zhao Min');
    await page.getByLabel('用途说明').fill('ledger sync');
    await page.getByTestId('submit-new-token').click();
    const secret = page.getByTestId('one-time-secret');
    await secret.waitFor();
    const token = ((await secret.textContent()) ?? '').trim();
    expect(token).toMatch(/^dso_/);
    await shot(page, 'admin-token-zh-desktop');
    await page.getByTestId('close-secret').click();
    await secret.waitFor({ state: 'detached' });
    const me = () => fetch(`${wb.app.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await (await me()).json()) as { userId: string }).userId).toBe('u-zhao');
    const row = page.locator('[data-testid=token-row][data-label="ledger sync"]');
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(token.slice(0, 10));
    await expect(page.locator('body').textContent()).resolves.not.toContain(token);
    await row.getByTestId('revoke-token').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await eventually(async () => expect(await row.getByTestId('token-state').textContent()).toBe('已吊销'));
    expect((await me()).status).toBe(401);
    await shot(page, 'admin-tokens-zh-desktop');
  });

  test('the units page lists units and edits a unit’s contacts', async () => {
    await page.getByRole('link', { name: '单位管理' }).click();
    await page.waitForURL(`${wb.app.url}/admin/units`);
    const row = page.locator('[data-testid=unit-row][data-unit="yanshan-town"]');
    await row.getByTestId('edit-unit').click();
    await page.getByLabel('负责人姓名').fill('刘洋');
    await page.getByLabel('负责人邮箱').fill('liu.yang@district.local');
    await page.getByTestId('submit-unit').click();
    await eventually(async () => {
      const [u] = await wb.db.q<{ head_name: string }[]>(
        `select head_name from units where id = 'yanshan-town'`,
      );
      expect(u?.head_name).toBe('刘洋');
    });
    await shot(page, 'admin-units-zh-desktop');
  });

  test('the admin pages in English and on a phone: every action within the width; screenshots', async () => {
    for (const [vp, size] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone'],
    ] as const) {
      for (const lang of ['zh', 'en'] as const) {
        if (lang === 'zh' && size === 'desktop') continue;
        const { ctx: c, page: p } = await wb.newPage(vp);
        await p.goto(`${wb.app.url}/admin/users`);
        await signIn(p, ADMIN);
        await p.waitForURL(`${wb.app.url}/admin/users`);
        if (lang === 'en') {
          await p.getByText('English').click();
          await p.locator('html[lang=en]').waitFor();
        }
        for (const name of ['units', 'users', 'tokens']) {
          await p.goto(`${wb.app.url}/admin/${name}`);
          await p
            .locator(`[data-testid=${name.slice(0, -1)}-row]`)
            .first()
            .waitFor();
          await fitsWidth(p, vp.width);
          await shot(p, `admin-${name}-${lang}-${size}`);
        }
        await c.close();
      }
    }
  });

  test('no page logged a console error or threw', () => {
    expect(wb.consoleErrors).toEqual([]);
  });
});
