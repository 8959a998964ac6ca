/**
 * The District Office's and the police liaison's pages in a real browser (Chromium through
 * playwright-core) against the whole deployment on one Temporal dev server: a clue from the intake
 * form to closure, every step through the pages (coordinator registers it, the unit officer verifies,
 * classifies and plans with a criminal referral, the coordinator approves from the plan queue, public
 * security accepts in its referral inbox, the officer completes the milestone and a follow-up and asks
 * for closure, the coordinator closes it from the closure queue); an import with a bad row; a reporter
 * unmask with its reason in the audit log; screenshots of every coordinator and police page, zh and en,
 * desktop 1280 and phone 390 (artifacts/screenshots/coordinator-*.png, police-*.png).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { eventually } from '../helpers/services';
import { intakeBody } from '../helpers/app';
import {
  DESKTOP,
  PHONE,
  fitsWidth,
  person,
  pick,
  pickTime,
  submitStep,
  shot,
  signIn,
  stageOf,
  startWorkbench,
  type Workbench,
} from '../helpers/browser';

const COORDINATOR = person('u-coordinator');
const OFFICER = person('u-tushan');
const POLICE = person('u-police');

let w: Workbench;
/** A clue already on file with the code the intake form is given: the duplicate warning names it. */
let earlier: { id: string; ref: string };
/** The clue the journey registers through the form. */
let clue: { id: string; ref: string };

beforeAll(async () => {
  w = await startWorkbench({
    database: 'coordinator_journey',
    taskQueue: 'coordinator-journey',
    people: [COORDINATOR, OFFICER, POLICE],
  });
  const r = await w.app.call('u-coordinator', 'POST', '/api/v1/clues', intakeBody());
  expect(r.status).toBe(201);
  earlier = { id: r.body.id, ref: r.body.ref };
});

afterAll(async () => {
  await w?.close();
});

/** A signed-in page for one person, opened at `path` (sign-in on the way, back to the path). */
async function as(who: typeof COORDINATOR, path: string, viewport = DESKTOP) {
  const { ctx, page } = await w.newPage(viewport);
  await page.goto(`${w.app.url}${path}`);
  await page.waitForURL(/\/sign-in/);
  await signIn(page, who);
  await page.waitForURL(`${w.app.url}${path}`);
  return { ctx, page };
}

const formsOn = (page: Page) =>
  page.locator('[data-testid^=form-]').evaluateAll((els) => els.map((e) => e.dataset.testid));

/** Opens one stage form's panel (the first is open already). */
async function openForm(page: Page, kind: string) {
  const form = page.locator(`form#${kind}`);
  if (!(await form.isVisible())) await page.getByTestId(`form-${kind}`).click();
  await form.waitFor();
  return form;
}

describe('coordinator journey: a clue from the intake form to closure', () => {
  let coord: { ctx: BrowserContext; page: Page };

  afterAll(async () => {
    await coord?.ctx.close();
  });

  test('given the intake form, when the coordinator types a credit code, then it is checked while typing and a clue with the same code is named as a possible duplicate', async () => {
    coord = await as(COORDINATOR, '/clues/new');
    const { page } = coord;
    const check = page.getByTestId('credit-code-check');
    await page.getByLabel('统一社会信用代码').fill('91440300192203');
    await expect(check.getAttribute('data-ok')).resolves.toBe('false');
    await expect(check.textContent()).resolves.toContain('应为 18 位（当前 14 位）');
    await page.getByLabel('统一社会信用代码').fill('914403001922038217');
    await expect(check.textContent()).resolves.toContain('第 18 位应为“6”');
    await page.getByLabel('统一社会信用代码').fill('914403001922038216');
    await expect(check.getAttribute('data-ok')).resolves.toBe('true');
    await expect(check.textContent()).resolves.toBe('代码校验通过');
    const warning = page.getByTestId('duplicate-warning');
    await warning.waitFor({ timeout: 10_000 });
    await expect(warning.textContent()).resolves.toContain(earlier.ref);
  });

  test('when the coordinator fills every field and registers the clue, then the clue page opens in verification', async () => {
    const { page } = coord;
    await pick(page, '线索来源', '群众举报');
    await page
      .getByLabel('线索描述')
      .fill('Residents of the scenic area report a pension-apartment scheme promising 15% a year.');
    await page.getByLabel('主体名称', { exact: true }).fill('Tushan Evergreen Elderly Apartments Co., Ltd.');
    await pick(page, '主体类型', '企业');
    await page.getByLabel('注册地').fill('Tushan Scenic Area');
    await page.getByLabel('经营地').fill('12 Lakeside Road');
    await pick(page, '重点领域', '养老服务');
    await page.getByLabel('以老年人为主要对象').check();
    await page.getByLabel('不涉网').check();
    await page.getByLabel('涉及金额（万元）').fill('450');
    await page.getByLabel('涉及人数').fill('320');
    await pick(page, '舆情', '本地');
    await pick(page, '维稳风险', '中');
    await pick(page, '牵头单位', '涂山风景区');
    await page.getByLabel('举报人姓名').fill('Li Hua');
    await page.getByLabel('举报人联系方式').fill('+86 139 0000 0001');
    await submitStep(page, 'submit-intake');
    await page.waitForURL(/\/clues\/[0-9a-f-]{36}$/, { timeout: 45_000 });
    const id = page.url().split('/').pop()!;
    await eventually(async () => expect(await stageOf(page)).toBe('verifying'), 45_000);
    clue = { id, ref: (await page.getByTestId('clue-ref').textContent())!.trim() };
    const r = await w.app.call('u-coordinator', 'GET', `/api/v1/clues/${id}`);
    expect(r.body).toMatchObject({
      subjectName: 'Tushan Evergreen Elderly Apartments Co., Ltd.',
      creditCode: '914403001922038216',
      amountCny: 4_500_000,
      participants: 320,
      leadUnitId: 'tushan-scenic-area',
      keyBehaviours: ['targets_elderly'],
      duplicateOfId: earlier.id,
      hasReporter: true,
    });
    // The coordinator has no decision to take while the unit verifies.
    await expect(formsOn(page)).resolves.toEqual([]);
  });

  test('when the officer verifies, classifies it as a suspected crime and plans a criminal referral with a milestone, then the clue waits for plan review', async () => {
    const { ctx, page } = await as(OFFICER, `/clues/${clue.id}`);
    await page.getByLabel('基本属实').check();
    await page.getByLabel('核查情况').fill('Site visit: 320 elderly investors, contracts seen.');
    await submitStep(page, 'submit-verification');
    await eventually(async () => expect(await stageOf(page)).toBe('classifying'), 45_000);
    await page.getByTestId('form-classification').waitFor();
    await pick(page, '性质认定', '涉嫌犯罪');
    await pick(page, '兑付能力', '部分兑付能力');
    await pick(page, '兑付意愿', '兑付意愿低');
    await page
      .getByLabel('认定理由')
      .fill('Public solicitation with fixed returns; funds moved to relatives.');
    await submitStep(page, 'submit-classification');
    await eventually(async () => expect(await stageOf(page)).toBe('planning'), 45_000);
    await page.getByTestId('form-plan').waitFor();
    await page.getByLabel('警示约谈').check();
    await page.getByLabel('移送公安机关').check();
    await page
      .getByLabel('具体措施')
      .fill('Interview the legal representative; hand the case to public security.');
    await page.getByLabel('责任人').fill('Wang Fang');
    await page.getByLabel('节点 1 内容').fill('Warning interview held');
    await pickTime(page, '节点 1 完成时限', '2027-03-15 10:00');
    await submitStep(page, 'submit-plan');
    await eventually(async () => expect(await stageOf(page)).toBe('plan_review'), 45_000);
    await ctx.close();
  });

  test('when the coordinator opens the plan queue, picks the clue and approves the plan, then the clue is referred to public security', async () => {
    const { page } = coord;
    await page.goto(`${w.app.url}/reviews/plans`);
    const row = page.locator(`[data-testid=review-item][data-ref="${clue.ref}"]`);
    await row.waitFor();
    await expect(page.locator(`[data-testid=review-item][data-ref="${earlier.ref}"]`).count()).resolves.toBe(
      0,
    );
    await row.getByTestId('review-item-link').click();
    await page.waitForURL(`${w.app.url}/clues/${clue.id}`);
    await eventually(async () => expect(await stageOf(page)).toBe('plan_review'), 10_000);
    await expect(formsOn(page)).resolves.toEqual(['form-plan-review']);
    const form = await openForm(page, 'plan-review');
    await form.getByLabel('同意', { exact: true }).check();
    await form.getByLabel('说明').fill('Approved: refer at once.');
    await submitStep(page, 'submit-plan-review');
    await eventually(async () => expect(await stageOf(page)).toBe('referred'), 45_000);
    await eventually(async () => {
      const rows = await w.db.q(`select 1 from referrals where clue_id = ?`, [clue.id]);
      expect(rows).toHaveLength(1);
    }, 45_000);
  });

  test('when the police liaison opens the clue from its referral inbox and accepts it with a case number, then the referral shows accepted and disposal goes on', async () => {
    const { ctx, page } = await as(POLICE, '/referrals');
    const row = page.locator(`[data-testid=referral-item][data-ref="${clue.ref}"]`);
    await row.waitFor();
    await row.getByTestId('referral-item-link').click();
    await page.waitForURL(`${w.app.url}/referrals/${clue.id}`);
    await expect(page.getByTestId('referral-status').getAttribute('data-status')).resolves.toBe('awaiting');
    // The package carries the facts and the plan, never the reporter.
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).toContain('Tushan Evergreen Elderly Apartments Co., Ltd.');
    expect(body).toContain('hand the case to public security');
    expect(body).not.toContain('Li Hua');
    await page.getByLabel('立案（受案）编号').fill('A3301062026120001');
    await page.getByTestId('submit-referral-accept').click();
    await eventually(
      async () =>
        expect(await page.getByTestId('referral-status').getAttribute('data-status')).toBe('accepted'),
      45_000,
    );
    await expect(page.getByTestId('case-number').textContent()).resolves.toContain('A3301062026120001');
    await ctx.close();
    await eventually(async () => {
      const r = await w.app.call('u-coordinator', 'GET', `/api/v1/clues/${clue.id}`);
      expect(r.body.stage).toBe('disposing');
    }, 45_000);
  });

  test('when the officer completes the milestone, records a follow-up and asks for closure, then the clue waits for closure review', async () => {
    const { ctx, page } = await as(OFFICER, `/clues/${clue.id}`);
    await page.getByTestId('stage').waitFor();
    await expect(stageOf(page)).resolves.toBe('disposing');
    // The stage's first form (milestone completion) is open.
    await page.getByTestId('complete-m1').click();
    await eventually(async () => expect(await stageOf(page)).toBe('monitoring'), 45_000);
    const followUp = await openForm(page, 'follow-ups');
    await followUp.getByLabel('未复燃').check();
    await followUp.getByLabel('核查情况').fill('No new investors; the office is closed.');
    await submitStep(page, 'submit-follow-ups');
    await eventually(async () => {
      const r = await w.app.call('u-tushan', 'GET', `/api/v1/clues/${clue.id}`);
      expect(r.body.state.followUps).toHaveLength(1);
    }, 45_000);
    const closure = await openForm(page, 'closure');
    await closure
      .getByLabel('办结情况')
      .fill('Referred and accepted (A3301062026120001); interview held; no resurgence.');
    await submitStep(page, 'submit-closure');
    await eventually(async () => expect(await stageOf(page)).toBe('closure_review'), 45_000);
    await ctx.close();
  });

  test('when the coordinator opens the closure queue, picks the clue and approves, then the clue is closed', async () => {
    const { page } = coord;
    await page.goto(`${w.app.url}/reviews/closures`);
    const row = page.locator(`[data-testid=review-item][data-ref="${clue.ref}"]`);
    await row.waitFor();
    await row.getByTestId('review-item-link').click();
    await page.waitForURL(`${w.app.url}/clues/${clue.id}`);
    await eventually(async () => expect(await stageOf(page)).toBe('closure_review'), 10_000);
    await expect(formsOn(page)).resolves.toEqual(['form-closure-decision']);
    const form = await openForm(page, 'closure-decision');
    await expect(form.textContent()).resolves.toContain('no resurgence');
    await form.getByLabel('同意', { exact: true }).check();
    await submitStep(page, 'submit-closure-decision');
    await eventually(async () => expect(await stageOf(page)).toBe('closed'), 45_000);
    await page.getByTestId('no-forms').waitFor();
  });
});

describe('coordinator: import, unmask, queues', () => {
  test('given a CSV with two good rows and one bad row, when the coordinator imports it, then two clues are registered and the bad row is listed with its row, line, column and message', async () => {
    const header =
      '线索来源,线索摘要,涉事主体,主体类型,统一社会信用代码,重点领域,线上/线下,涉及金额（元）,涉及人数,舆情等级,维稳风险,牵头单位';
    const rows = [
      '群众举报,Travel club sells "shares",Lakeside Travel Club,社会组织,,旅游,线下,800000,60,本地,低,涂山风景区',
      '网络监测,Online mutual aid platform,Huaihe Mutual Aid,网络平台,,网络借贷,线上,2500000,900,区域性,高,涂山风景区',
      '群众举报,Bad row,Broken Code Co.,企业,914403001922038217,养老服务,线下,100000,10,本地,低,涂山风景区',
    ];
    const csv = [header, ...rows].join('\r\n') + '\r\n';
    const { ctx, page } = await as(COORDINATOR, '/clues/import');
    await page.getByLabel('导入文件').setInputFiles({
      name: '排查线索.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    await page.getByTestId('submit-import').click();
    await page.getByTestId('import-report').waitFor({ timeout: 45_000 });
    await expect(page.getByTestId('import-registered').getAttribute('data-count')).resolves.toBe('2');
    const errors = page.getByTestId('import-error');
    await expect(errors.count()).resolves.toBe(1);
    await expect(errors.first().getAttribute('data-row')).resolves.toBe('4');
    const cells = await errors.first().locator('td').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['4', '4', '统一社会信用代码']);
    expect(cells[3]).toContain('6');
    await expect(page.getByTestId('import-registered-row').count()).resolves.toBe(2);
    const list = await w.app.call('u-coordinator', 'GET', '/api/v1/clues?q=Lakeside%20Travel%20Club');
    expect(list.body.items).toHaveLength(1);
    await ctx.close();
  });

  test('given a clue with a confidential reporter, when the coordinator gives a reason to see the reporter, then the identity shows and the audit log holds the reason', async () => {
    const { ctx, page } = await as(COORDINATOR, `/clues/${clue.id}`);
    await expect(page.getByTestId('reporter').textContent()).resolves.not.toContain('Li Hua');
    await page.getByTestId('open-unmask').click();
    await page
      .getByLabel('查看理由')
      .fill('Witness protection request from public security, case A3301062026120001.');
    await page.getByTestId('submit-unmask').click();
    const identity = page.getByTestId('reporter-identity');
    await identity.waitFor();
    await expect(identity.textContent()).resolves.toContain('Li Hua');
    await expect(identity.textContent()).resolves.toContain('+86 139 0000 0001');
    const audit = await w.app.call(
      'u-coordinator',
      'GET',
      `/api/v1/audit?action=reporter.unmask&target=${encodeURIComponent(`clue:${clue.id}`)}`,
    );
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        actorId: 'u-coordinator',
        clueRef: clue.ref,
        reason: 'Witness protection request from public security, case A3301062026120001.',
      }),
    ]);
    await ctx.close();
  });

  test('given an extension request and a returned referral, when the coordinator opens their queues, then each lists its clue and the clue page offers the decision', async () => {
    const a = await w.app.call(
      'u-coordinator',
      'POST',
      '/api/v1/clues',
      intakeBody({ subject: { name: 'Queue Test Extension Co.', kind: 'enterprise' } }),
    );
    const b = await w.app.call(
      'u-coordinator',
      'POST',
      '/api/v1/clues',
      intakeBody({ subject: { name: 'Queue Test Referral Co.', kind: 'enterprise' } }),
    );
    const ext = { id: a.body.id as string, ref: a.body.ref as string };
    const ret = { id: b.body.id as string, ref: b.body.ref as string };
    await eventually(async () => {
      const s = await w.app.call('u-tushan', 'GET', `/api/v1/clues/${ext.id}`);
      expect(s.body.state?.clocks?.length).toBeGreaterThan(0);
    }, 45_000);
    const s = await w.app.call('u-tushan', 'GET', `/api/v1/clues/${ext.id}`);
    const clock = s.body.state.clocks[0];
    expect(
      (
        await w.app.call('u-tushan', 'POST', `/api/v1/clues/${ext.id}/deadline-extensions`, {
          clockId: clock.clockId,
          newDueAt: new Date(Date.parse(clock.dueAt) + 7 * 86_400_000).toISOString(),
          reason: 'The legal representative is in hospital.',
        })
      ).status,
    ).toBe(200);
    for (const [path, body] of [
      ['verification', { findings: 'Scheme active.', factsConfirmed: true }],
      [
        'classification',
        {
          nature: 'suspected_crime',
          repaymentAbility: 'none',
          repaymentWillingness: 'none',
          reasoning: 'Funds gone.',
        },
      ],
      ['referral', { reason: 'Suspected crime.' }],
    ] as const)
      expect((await w.app.call('u-tushan', 'POST', `/api/v1/clues/${ret.id}/${path}`, body)).status).toBe(
        200,
      );
    await eventually(async () => {
      const rows = await w.db.q(`select 1 from referrals where clue_id = ?`, [ret.id]);
      expect(rows).toHaveLength(1);
    }, 45_000);
    // The police liaison returns it through its page.
    const police = await as(POLICE, `/referrals/${ret.id}`);
    await police.page.getByLabel('需补充的材料').fill('Bank statements of the last two years.');
    await police.page.getByTestId('submit-referral-return').click();
    await eventually(
      async () =>
        expect(await police.page.getByTestId('referral-status').getAttribute('data-status')).toBe('returned'),
      45_000,
    );
    await police.ctx.close();

    const { ctx, page } = await as(COORDINATOR, '/reviews/extensions');
    await page.locator(`[data-testid=review-item][data-ref="${ext.ref}"]`).waitFor();
    await page.goto(`${w.app.url}/clues/${ext.id}`);
    await page.getByTestId('form-extension-decision').waitFor();
    await expect(formsOn(page)).resolves.toEqual(['form-extension-decision']);
    await expect(page.getByTestId('forms').textContent()).resolves.toContain('in hospital');
    await page.getByLabel('同意', { exact: true }).check();
    await page.locator('[data-testid^=submit-extension-decision-]').click();
    await page.getByTestId('no-forms').waitFor({ timeout: 45_000 });

    await page.goto(`${w.app.url}/reviews/referrals`);
    await page.locator(`[data-testid=review-item][data-ref="${ret.ref}"]`).waitFor();
    await page.goto(`${w.app.url}/clues/${ret.id}`);
    await page.getByTestId('form-referral').waitFor();
    await expect(stageOf(page)).resolves.toBe('disposing');
    await expect(formsOn(page)).resolves.toEqual(['form-referral']);
    await ctx.close();
  });
});

describe('coordinator and police pages: screenshots, languages, the phone', () => {
  const COORD_PAGES: [string, () => string, string][] = [
    ['intake', () => '/clues/new', 'submit-intake'],
    ['import', () => '/clues/import', 'submit-import'],
    ['reviews-plans', () => '/reviews/plans', 'queue-plans'],
    ['reviews-extensions', () => '/reviews/extensions', 'queue-extensions'],
    ['reviews-closures', () => '/reviews/closures', 'queue-closures'],
    ['reviews-referrals', () => '/reviews/referrals', 'queue-referrals'],
    ['ledger-risks', () => '/ledger/risks', 'ledger-totals'],
    ['ledger-key-clues', () => '/ledger/key-clues', 'ledger-totals'],
    ['campaign-new', () => '/campaigns/new', 'submit-campaign'],
    ['clue', () => `/clues/${clue.id}`, 'reporter'],
  ];
  const POLICE_PAGES: [string, () => string, string][] = [
    ['referrals', () => '/referrals', 'main'],
    ['referral', () => `/referrals/${clue.id}`, 'referral-status'],
  ];

  async function tour(who: typeof COORDINATOR, prefix: string, pages: typeof COORD_PAGES) {
    for (const [vp, size] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone'],
    ] as const) {
      for (const lang of ['zh', 'en'] as const) {
        const { ctx, page } = await w.newPage(vp);
        await page.goto(`${w.app.url}/sign-in`);
        if (lang === 'en') {
          await page.getByText('English').click();
          await page.getByLabel('Username').fill(who.username);
          await page.getByLabel('Password').fill(who.password);
          await page.locator('button[type=submit]').click();
        } else {
          await signIn(page, who);
        }
        await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
        for (const [name, path, ready] of pages) {
          await page.goto(`${w.app.url}${path()}`);
          if (ready === 'main') await page.locator('main .ant-list').waitFor();
          else await page.getByTestId(ready).waitFor();
          await page.waitForLoadState('networkidle');
          await expect(page.locator('html').getAttribute('lang')).resolves.toBe(
            lang === 'en' ? 'en' : 'zh-CN',
          );
          await fitsWidth(page, vp.width);
          await shot(page, `${prefix}-${name}-${lang}-${size}`);
        }
        await ctx.close();
      }
    }
  }

  test('every coordinator page fits the phone and is shot in Chinese and English on desktop and phone', async () => {
    await tour(COORDINATOR, 'coordinator', COORD_PAGES);
  }, 600_000);

  test('the police liaison pages fit the phone and are shot in Chinese and English on desktop and phone', async () => {
    await tour(POLICE, 'police', POLICE_PAGES);
  }, 300_000);

  test('the ledger filters by stage and its export links carry the filters; the menu lists the coordinator pages', async () => {
    const { ctx, page } = await as(COORDINATOR, '/ledger/risks');
    await page.getByTestId('ledger-totals').waitFor();
    await page.getByLabel('办理阶段', { exact: true }).selectOption({ label: '已办结' });
    await page.getByTestId('apply-filters').click();
    await page.waitForURL(/stage=closed/);
    await eventually(async () => {
      const refs = await page
        .getByTestId('ledger-row')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-ref')));
      expect(refs).toEqual([clue.ref]);
    }, 10_000);
    const csv = await page.getByTestId('export-csv').getAttribute('href');
    expect(csv).toMatch(/^\/api\/v1\/ledger\/risks\?stage=closed&format=csv&lang=zh-CN$/);
    const res = await page.request.get(`${w.app.url}${csv}`);
    expect(res.status()).toBe(200);
    expect(await res.text()).toContain(clue.ref);
    const menu = await page.locator('nav a').allTextContents();
    expect(menu).toEqual([
      '线索登记',
      '批量导入',
      '方案审核',
      '延期审批',
      '办结审核',
      '退回的移交',
      '风险总台账',
      '重点线索台账',
      '逾期督办',
      '专项行动',
    ]);
    await ctx.close();
  });

  test('given the campaign list, when the coordinator sets up a campaign for a year with two units, then its progress page lists exactly those units', async () => {
    const { ctx, page } = await as(COORDINATOR, '/campaigns');
    await page.getByTestId('new-campaign').click();
    await page.waitForURL(`${w.app.url}/campaigns/new`);
    await page.getByLabel('名称').fill('2028年涂山片区专项排查');
    await page.getByLabel('年度').fill('2028');
    await pick(page, '参与单位', '涂山风景区');
    await pick(page, '参与单位', '长淮街道');
    await page.keyboard.press('Escape');
    await page.getByTestId('submit-campaign').click();
    await page.waitForURL(/\/campaigns\/(?!new)[^/]+$/, { timeout: 45_000 });
    await page.getByText('2028年涂山片区专项排查').waitFor();
    const id = page.url().split('/').pop()!;
    const c = await w.app.call('u-coordinator', 'GET', `/api/v1/campaigns/${id}`);
    expect(c.body.name).toBe('2028年涂山片区专项排查');
    expect(c.body.phases.summaryReportDue).toMatch(/^2028-07-1[23]T/);
    await eventually(async () => {
      const p = await w.app.call('u-coordinator', 'GET', `/api/v1/campaigns/${id}/progress`);
      expect(p.body.units.map((u: { unitId: string }) => u.unitId).sort()).toEqual([
        'changhuai-town',
        'tushan-scenic-area',
      ]);
    }, 45_000);
    await ctx.close();
  });

  test('no page logged a console error or threw', () => {
    expect(w.consoleErrors).toEqual([]);
  });
});
