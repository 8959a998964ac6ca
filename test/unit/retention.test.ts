/** The retention window of a closed clue as pure functions, and how it is configured. */
import { loadConfig } from '../../src/config';
import { DEFAULT_POLICY, DEFAULT_RETENTION } from '../../src/policy';
import { cancelClock, openClock, type Clock } from '../../workflows/clock';
import type { ClueState } from '../../workflows/clue.messages';
import { nextWake, retentionEndsAt, retentionOver, retentionStart } from '../../workflows/retention';
import { policy } from '../helpers/fixtures';

const DAY = 86_400_000;
const T0 = Date.parse('2026-10-01T02:00:00Z');

function clock(id: string, dueAt: number): Clock {
  return openClock({ id, task: 'follow_up', unitId: 'tushan-scenic-area', dueAt, by: 'u' }, T0);
}

function closedState(over: Partial<ClueState> = {}): ClueState {
  const c = clock('follow_up-1', T0 + 30 * DAY);
  cancelClock(c, T0 + 5 * DAY, 'u', 'clue closed');
  return {
    clueId: 'c1',
    ref: 'XS-2026-000001',
    stage: 'closed',
    grade: 'III',
    keyClue: false,
    leadUnitId: 'tushan-scenic-area',
    coHandlingUnitIds: [],
    milestones: [],
    actions: [],
    referrals: [],
    followUps: [],
    reopenCount: 0,
    clocks: [c],
    overdueLevel: 0,
    closedAt: T0 + 5 * DAY,
    ...over,
  };
}

describe('retention window', () => {
  const P = policy({ retention: 'P10D' });

  test('given a closed clue with nothing open, then the window starts at the closure and ends a retention later in calendar time', () => {
    const s = closedState();
    expect(retentionStart(s)).toBe(T0 + 5 * DAY);
    expect(retentionEndsAt(s, P)).toBe(T0 + 15 * DAY);
    expect(retentionOver(s, P, T0 + 15 * DAY - 1)).toBe(false);
    expect(retentionOver(s, P, T0 + 15 * DAY)).toBe(true);
  });

  test('given a follow-up recorded after the closure time, then the window starts after it', () => {
    const s = closedState({
      followUps: [{ index: 1, resurgence: false, findings: 'quiet', by: 'u', at: T0 + 7 * DAY }],
    });
    expect(retentionStart(s)).toBe(T0 + 7 * DAY);
  });

  test('given a clue that is not closed, or closed with a clock still open, then there is no window', () => {
    expect(retentionEndsAt(closedState({ stage: 'verifying' }), P)).toBeUndefined();
    expect(retentionEndsAt(closedState({ closedAt: undefined }), P)).toBeUndefined();
    const open = closedState();
    open.clocks.push(clock('verification-2', T0 + 40 * DAY));
    expect(retentionEndsAt(open, P)).toBeUndefined();
    expect(retentionOver(open, P, T0 + 400 * DAY)).toBe(false);
  });

  test('given a policy snapshotted before the window existed, then the default of 90 days applies', () => {
    const { retention: _none, ...old } = policy();
    expect(DEFAULT_RETENTION).toBe('P90D');
    expect(retentionEndsAt(closedState(), old)).toBe(T0 + 95 * DAY);
  });

  test('the loop wakes for the earlier of the next clock event and the end of the window', () => {
    expect(nextWake(undefined, undefined)).toBeUndefined();
    expect(nextWake(5, undefined)).toBe(5);
    expect(nextWake(undefined, 7)).toBe(7);
    expect(nextWake(9, 7)).toBe(7);
  });
});

describe('retention configuration', () => {
  test('the default policy keeps a closed clue 90 days; CLUE_RETENTION_DAYS overrides it, DEADLINE_POLICY may set it too', () => {
    expect(loadConfig({}).policy.retention).toBe('P90D');
    expect(DEFAULT_POLICY.retention).toBe('P90D');
    expect(loadConfig({ CLUE_RETENTION_DAYS: '180' }).policy.retention).toBe('P180D');
    expect(loadConfig({ DEADLINE_POLICY: JSON.stringify({ retention: 'PT30S' }) }).policy.retention).toBe(
      'PT30S',
    );
    expect(() => loadConfig({ CLUE_RETENTION_DAYS: '0' })).toThrow(/CLUE_RETENTION_DAYS/);
    expect(() => loadConfig({ DEADLINE_POLICY: JSON.stringify({ retention: '90 days' }) })).toThrow(
      /retention/,
    );
  });
});
