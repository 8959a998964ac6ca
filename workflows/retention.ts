/**
 * How long a closed clue's workflow stays open for a reopening before it completes (issue 13, "workflows
 * that end"). Pure functions over the clue state, so the workflow only asks "wait until when?" and
 * "end now?" and replays deterministically.
 *
 * The window starts when the clue is closed and nothing is left open: closure cancels every open clock,
 * so in practice it starts at the closure, or at the last follow-up or clock completion if one was
 * recorded later. A reopening inside the window keeps the run; after it the run completes with its
 * carried state and a reopening starts a new run from that state (src/services/clues.ts `reopenClue`).
 */
import { addDuration } from '../src/calendar';
import { DEFAULT_RETENTION, type ResolvedPolicy } from '../src/policy';
import { isOpen } from './clock';
import type { ClueState } from './clue.messages';

/** When the retention window of a closed clue started; undefined unless closed with nothing open. */
export function retentionStart(state: ClueState): number | undefined {
  if (state.stage !== 'closed' || state.closedAt === undefined) return undefined;
  if (state.clocks.some(isOpen)) return undefined;
  let start = state.closedAt;
  for (const f of state.followUps) start = Math.max(start, f.at);
  for (const c of state.clocks) if (c.completedAt !== undefined) start = Math.max(start, c.completedAt);
  return start;
}

/** The policy's retention window (policies snapshotted before it existed have the default). */
export function retentionOf(policy: ResolvedPolicy): string {
  return policy.retention ?? DEFAULT_RETENTION;
}

/** When the window runs out (calendar time: a retention is not a working-day deadline). */
export function retentionEndsAt(state: ClueState, policy: ResolvedPolicy): number | undefined {
  const start = retentionStart(state);
  if (start === undefined) return undefined;
  return addDuration(policy.calendarData, start, retentionOf(policy), 'calendar');
}

/** Whether the workflow may end now: closed, nothing open, and the window has run out. */
export function retentionOver(state: ClueState, policy: ResolvedPolicy, now: number): boolean {
  const end = retentionEndsAt(state, policy);
  return end !== undefined && now >= end;
}

/** The next instant the workflow must wake for: the earlier of the next clock event and the window's end. */
export function nextWake(
  clockEvent: number | undefined,
  retentionEnd: number | undefined,
): number | undefined {
  if (clockEvent === undefined) return retentionEnd;
  if (retentionEnd === undefined) return clockEvent;
  return Math.min(clockEvent, retentionEnd);
}
