/**
 * Replays every recorded history in test/histories/ (written by `npx tsx scripts/record-histories.ts` and
 * `npx tsx scripts/record-campaign-histories.ts`) against the current workflow code, with the worker's own
 * workflowsPath. A change to the workflows that alters the commands an existing history expects
 * (non-determinism) fails here: put such changes behind `patched('<change-id>')` so running workflows keep
 * replaying the old way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../workers/worker';
import { historyFromJson } from './history-json';

const DIR = path.resolve(__dirname, '..', 'histories');
const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

interface JsonEvent {
  eventType?: string;
  markerRecordedEventAttributes?: { details?: Record<string, { payloads?: { data?: string }[] }> };
  workflowExecutionStartedEventAttributes?: { input?: { payloads?: { data?: string }[] } };
}
const eventsOf = (f: string): JsonEvent[] =>
  (JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as { events: JsonEvent[] }).events;
const fromBase64 = (data: string | undefined): unknown =>
  data ? JSON.parse(Buffer.from(data, 'base64').toString('utf8')) : undefined;
/** Ids of the patches whose markers the history holds. */
const patchIdsOf = (f: string): string[] =>
  eventsOf(f).flatMap((e) =>
    Object.values(e.markerRecordedEventAttributes?.details ?? {}).flatMap((d) =>
      (d.payloads ?? []).map((p) => String((fromBase64(p.data) as { id?: unknown } | undefined)?.id)),
    ),
  );

describe('recorded histories replay on the current workflow code', () => {
  test('given the committed histories, then there are some, of every lifecycle recorded', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'main-path.json',
        'referral.json',
        'not-illegal.json',
        'working-ladder.json',
        'continue-as-new.run1.json',
        'retention-end.run1.json',
        'retention-end.run2.json',
        'v2-main-path.json',
        'v2-not-illegal.json',
        'v3-main-path.json',
        'v3-working-ladder.json',
        'v3-retention-end.run1.json',
        'campaign-parent.json',
        'campaign-unit-tushan-scenic-area.json',
        'campaign-unit-market-regulation.json',
        'campaign-cancelled-parent.json',
        'campaign-cancelled-unit-tushan-scenic-area.json',
      ]),
    );
  });

  test('given histories recorded before and after the search-attributes-before-effects patch, then both kinds are replayed', () => {
    const patchedFiles = files.filter((f) =>
      fs.readFileSync(path.join(DIR, f), 'utf8').includes('"markerRecordedEventAttributes"'),
    );
    expect(patchedFiles).toContain('main-path.json');
    expect(patchedFiles).not.toContain('v1-main-path.json');
  });

  test('given histories recorded before and after the end-after-retention patch, then closed clues of both kinds are replayed, and a run that ended and its successor', () => {
    const withEnd = files.filter((f) => patchIdsOf(f).includes('end-after-retention'));
    expect(withEnd).toEqual(
      expect.arrayContaining(['main-path.json', 'not-illegal.json', 'retention-end.run1.json']),
    );
    expect(withEnd).not.toContain('v2-main-path.json');
    expect(withEnd).not.toContain('v2-not-illegal.json');
    const run1 = eventsOf('retention-end.run1.json');
    expect(run1[run1.length - 1]?.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    // The second run starts from what the first carried, and takes the reopening as its first update.
    const run2 = eventsOf('retention-end.run2.json');
    const input = fromBase64(
      run2[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data,
    ) as {
      carried?: { state: { stage: string }; eventSeq: number };
    };
    expect(input.carried?.state.stage).toBe('closed');
    expect(input.carried?.eventSeq).toBeGreaterThan(0);
  });

  test('given histories recorded before and after the clue-effects-in-one-activity patch, then both kinds are replayed, and the new ones run a clock event as one activity', () => {
    const together = files.filter((f) => patchIdsOf(f).includes('clue-effects-in-one-activity'));
    expect(together).toEqual(
      expect.arrayContaining(['main-path.json', 'working-ladder.json', 'retention-end.run1.json']),
    );
    for (const old of [
      'v3-main-path.json',
      'v3-working-ladder.json',
      'v2-main-path.json',
      'v1-main-path.json',
    ])
      expect(together).not.toContain(old);
    const activityTypes = (f: string) =>
      eventsOf(f).flatMap((e) => {
        const t = (e as { activityTaskScheduledEventAttributes?: { activityType?: { name?: string } } })
          .activityTaskScheduledEventAttributes?.activityType?.name;
        return t ? [t] : [];
      });
    // The escalation ladder now: one activity per rung, no separate reminder/escalation/notify calls.
    const now = activityTypes('working-ladder.json');
    expect(now).toContain('applyClueEffects');
    expect(now).not.toContain('recordEscalation');
    expect(now).not.toContain('sendReminder');
    const before = activityTypes('v3-working-ladder.json');
    expect(before).toContain('recordEscalation');
    expect(before).not.toContain('applyClueEffects');
  });

  test('given every committed history, when replayed with the worker bundle, then none is non-deterministic or fails a workflow task', async () => {
    const histories = files.map((f) => ({
      workflowId: f.replace(/\.json$/, ''),
      history: historyFromJson(JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'))),
    }));
    const failures: string[] = [];
    let replayed = 0;
    for await (const r of Worker.runReplayHistories(
      { workflowsPath: WORKFLOWS_PATH, replayName: 'clue-replay' },
      histories,
    )) {
      replayed += 1;
      if (r.error) {
        const kind = r.error instanceof DeterminismViolationError ? 'non-determinism' : 'failure';
        failures.push(`${r.workflowId}: ${kind}: ${r.error.message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });
});
