/**
 * Short CI version of drill 4 (drills/smtp-outage.ts, RELIABILITY.md): the SMTP server is down for
 * 10 s, then answers 421, then drops the connection after DATA, then recovers. Every notification
 * is delivered after recovery, one Message-ID per (key, recipient); the only repeats allowed are the
 * copies the server stored while the sender saw the connection drop (the ambiguous case).
 */
import { runSmtpOutage } from '../../drills/smtp-outage';

describe('drill: SMTP outage', () => {
  test('given clues registered while SMTP is down, answering 421 and dropping after DATA, when it recovers, then every email arrives and none is doubled beyond the ambiguous sends', async () => {
    const r = await runSmtpOutage({ n: 30, downSeconds: 10, phaseSeconds: 6, timeoutMs: 150_000 });
    expect(r.tally).toMatchObject({
      clues: 30,
      lostRows: 0,
      duplicateRows: 0,
      notInExpectedState: 0,
      duplicateFacts: 0,
      lostMails: 0,
      unexplainedRepeats: 0,
      outboxNotSent: 0,
    });
    // The faults were really met: refused greetings or DATA, and dropped replies.
    expect(r.refused['421']).toBeGreaterThan(0);
    expect(r.refused['drop-after-data']).toBeGreaterThan(0);
  }, 300_000);
});
