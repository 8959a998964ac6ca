/**
 * Records the campaign event histories that `test/replay/replay.test.ts` replays against the current
 * workflow code (the clue histories come from `scripts/record-histories.ts`).
 *
 *   npx tsx scripts/record-campaign-histories.ts   # (re)writes test/histories/campaign-*.json
 *
 * Two campaigns for 2027 (the notice's default dates and the default policy) run on the time-skipping
 * server with the real activities, a fresh PostgreSQL database and an in-process SMTP server, driven
 * through `src/services/campaigns.ts` like the API does:
 * - `campaign-*`: Tushan files everything on time (plan, 3 pieces of information, a summary report whose
 *   typical case cites its clue); Changhuai files its plan late (after escalation level 1), one piece of
 *   information and its report, so its information ladder runs to level 3; Market Regulation files
 *   nothing (reminders and every level of all three ladders); Yanshan leaves during implementation and
 *   rejoins (a second participation); Donghai joins during implementation and (through the coordinator) files a plan. Recorded
 *   after every ladder has ended (July 26), before cancellation: the campaign is still open.
 * - `campaign-cancelled-*`: two units, Tushan files its plan, then the coordinator cancels during
 *   mobilization; parent and children run to completion.
 * Files: `<prefix>-parent.json` for the campaign workflow, `<prefix>-unit-<unitId>.json` for each unit's
 * child (a continued-as-new run would add `.run<n>` to the name). Commit them; a later change to these
 * workflows that is not behind `patched()` then fails the replay test.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { AppContext } from '../src/context';
import {
  addUnits,
  cancelCampaign,
  fileDeliverable,
  removeUnit,
  startCampaign,
  type DeliverableRequest,
} from '../src/services/campaigns';
import type { Actor } from '../workflows/clue.messages';
import { campaignStateQuery, campaignWorkflowId, unitWorkflowId } from '../workflows/campaign.messages';
import { startTestApp } from '../test/helpers/app';
import { insertClue } from '../test/helpers/fixtures';
import { freshDatabase, startSmtp, timeSkippingEnv, untilIdle } from '../test/helpers/services';
import { historyToJson } from '../test/replay/history-json';

const OUT = path.resolve(__dirname, '..', 'test', 'histories');

const A = 'tushan-scenic-area';
const B = 'changhuai-town';
const C = 'market-regulation';
const D = 'yanshan-town';
const E = 'donghai-community';

const officer = (userId: string, unitId: string): Actor => ({ userId, role: 'unit_officer', unitId });
const tushan = officer('u-tushan', A);
const changhuai = officer('u-changhuai', B);
const coordinator: Actor = { userId: 'u-coordinator', role: 'coordinator', unitId: 'district-office' };

/** 10:00 China time of a 2027 date. */
const at10 = (md: string) => Date.parse(`2027-${md}T10:00:00+08:00`);

const plan: DeliverableRequest = {
  kind: 'implementation_plan',
  body: {
    riskPoints: ['"pension apartment" schemes around the scenic area'],
    measures: ['grid staff visit every elderly-care business'],
    responsibilities: [{ duty: 'grid inspection', responsible: 'Wang Fang' }],
  },
};
const info = (n: number, type = 'highlights'): DeliverableRequest => ({
  kind: 'work_information',
  body: {
    type: type as 'highlights',
    title: `Work information ${n}`,
    content: `Progress report number ${n}.`,
  },
});
const report = (clue?: string): DeliverableRequest => ({
  kind: 'summary_report',
  body: {
    overallSituation: '12 clues found, 3 key clues.',
    regionalDistribution: 'Mostly around the scenic area.',
    causes: 'High-yield promises to the elderly.',
    difficultiesAndOutlook: 'Cross-regional subjects are hard to trace; risk stable.',
    nextSteps: 'Keep the grid inspection monthly.',
    typicalCases: clue
      ? [{ clue, title: 'Pension apartment scheme', summary: 'Rectified; deposits returned.' }]
      : [],
  },
});

/** Writes every run of a workflow (first run first) as `<name>.json`, or `<name>.run<n>.json` if it continued as new. */
async function writeRuns(env: TestWorkflowEnvironment, workflowId: string, name: string): Promise<void> {
  const latest = env.client.workflow.getHandle(workflowId);
  await untilIdle(latest);
  const firstRunId = (await latest.describe()).raw.workflowExecutionInfo?.firstRunId ?? undefined;
  const runs: string[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push(historyToJson(history));
    const last = history.events?.[history.events.length - 1];
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  if (runs.length === 0) throw new Error(`no history for ${workflowId}`);
  runs.forEach((json, i) => {
    const file = path.join(OUT, runs.length > 1 ? `${name}.run${i + 1}.json` : `${name}.json`);
    fs.writeFileSync(file, json);
    console.log(`wrote ${path.relative(process.cwd(), file)} (${JSON.parse(json).events.length} events)`);
  });
}

async function writeCampaign(env: TestWorkflowEnvironment, campaignId: string, prefix: string) {
  const parent = env.client.workflow.getHandle(campaignWorkflowId(campaignId));
  await untilIdle(parent);
  const state = await parent.query(campaignStateQuery);
  for (const u of state.units)
    await writeRuns(env, unitWorkflowId(campaignId, u.unitId), `${prefix}-unit-${u.unitId}`);
  await writeRuns(env, campaignWorkflowId(campaignId), `${prefix}-parent`);
}

async function main() {
  const [env, db, smtp] = await Promise.all([
    timeSkippingEnv(),
    freshDatabase('disposal_record_campaign'),
    startSmtp(),
  ]);
  const app = await startTestApp({ env, db, smtp, taskQueue: 'record-campaign-histories' });
  const ctx: AppContext = app.ctx;
  const sleepUntil = async (t: number) => {
    const n = await env.currentTimeMs();
    if (t > n) await env.sleep(t - n);
  };
  try {
    fs.mkdirSync(OUT, { recursive: true });
    const tushanClue = await insertClue(db.em(), { leadUnitId: A });
    const main = await startCampaign(
      ctx,
      { year: 2027, unitIds: [A, B, C, D] },
      { createdBy: coordinator.userId },
    );
    const cancelled = await startCampaign(
      ctx,
      { year: 2027, unitIds: [A, B] },
      { createdBy: coordinator.userId },
    );

    // Mobilization: Tushan files its plan in both; the second campaign is cancelled.
    await sleepUntil(at10('05-20'));
    await fileDeliverable(ctx, main.id, A, plan, tushan);
    await fileDeliverable(ctx, cancelled.id, A, plan, tushan);
    await cancelCampaign(ctx, cancelled.id, 'superseded by the provincial campaign', coordinator);

    // Changhuai's plan after escalation level 1 (Friday May 28).
    await sleepUntil(at10('05-31'));
    await fileDeliverable(ctx, main.id, B, plan, changhuai);

    await sleepUntil(at10('06-02'));
    await fileDeliverable(ctx, main.id, A, info(1), tushan);
    await fileDeliverable(ctx, main.id, B, info(1, 'risks_found'), changhuai);

    // Implementation: Yanshan leaves and rejoins, Donghai joins and files its plan.
    await sleepUntil(at10('06-07'));
    await removeUnit(ctx, main.id, D, 'merged into Tushan', coordinator);
    await addUnits(ctx, main.id, [E], coordinator);
    await sleepUntil(at10('06-09'));
    await addUnits(ctx, main.id, [D], coordinator);
    await fileDeliverable(ctx, main.id, E, plan, coordinator); // on Donghai's behalf (no Donghai user in the seed)

    await sleepUntil(at10('06-15'));
    await fileDeliverable(ctx, main.id, A, info(2, 'typical_case'), tushan);
    await sleepUntil(at10('07-01'));
    await fileDeliverable(ctx, main.id, A, info(3, 'suggestions'), tushan);

    await sleepUntil(at10('07-09'));
    await fileDeliverable(ctx, main.id, A, report(tushanClue.ref), tushan);
    await fileDeliverable(ctx, main.id, B, report(), changhuai);

    // Past the end of every ladder (level 3 of the July 13 deadlines is Tuesday July 20).
    await sleepUntil(at10('07-26'));

    await writeCampaign(env, main.id, 'campaign');
    await writeCampaign(env, cancelled.id, 'campaign-cancelled');
    const final = await env.client.workflow.getHandle(campaignWorkflowId(cancelled.id)).describe();
    if (final.status.name !== 'COMPLETED') throw new Error(`cancelled campaign is ${final.status.name}`);
  } finally {
    await app.close();
    await Promise.all([env.teardown(), db.close(), smtp.close()]);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
