/**
 * Short CI version of drill 1 (drills/worker-kill.ts, RELIABILITY.md): the worker process is killed
 * with SIGKILL while clues are in flight and started again. Real dev server, PostgreSQL and SMTP.
 * Fails on any lost or doubled row, fact or email (a resend of a message the server accepted in the
 * instant before the kill, same Message-ID, is the one repeat allowed, and only for those messages).
 */
import { runWorkerKill } from '../../drills/worker-kill';

describe('drill: worker killed mid-run', () => {
  test('given 50 clues in flight, when the worker is killed with SIGKILL and restarted, then every clue reaches its end state with nothing lost or doubled', async () => {
    const r = await runWorkerKill({ n: 50, killAt: 0.3, downSeconds: 3, timeoutMs: 150_000 });
    expect(r.tally).toMatchObject({
      clues: 50,
      lostRows: 0,
      duplicateRows: 0,
      notInExpectedState: 0,
      duplicateFacts: 0,
      lostMails: 0,
      unexplainedRepeats: 0,
      outboxNotSent: 0,
    });
    expect(r.killedAfterMails).toBeLessThan(r.tally.expectedMails);
  }, 300_000);
});
