/**
 * Drill 4 — the SMTP server goes away, comes back answering 421, then drops the connection after
 * DATA, then recovers. Every notification must be delivered after recovery, exactly one Message-ID
 * per (business key, recipient).
 *
 * Phases (full size): down 60 s → 421 for 20 s (every other greeting, and the end of DATA) → drop
 * after DATA for 20 s → normal. In the drop phase the server stores the message and answers 250,
 * but the sender never hears it: the ambiguous case. The activity fails, Temporal retries it, and the
 * message is sent again with the same deterministic Message-ID — a second copy at the server that a
 * mailbox collapses. Those copies are counted apart; any other repeat, and any loss, fails the drill.
 *
 *   npx tsx drills/smtp-outage.ts [--n=200] [--down=60] [--phase=20]
 */
import { args, header, line, num, quietTemporal, sleep } from '../bench/lib';
import {
  clean,
  log,
  MAILS_PER_CLUE,
  printTally,
  registerMany,
  startStack,
  tally,
  waitForMails,
  type Tally,
} from './lib';

export interface SmtpOutageResult {
  n: number;
  phases: { down: number; p421: number; drop: number };
  refused: Record<string, number>;
  storedButUnacknowledged: number;
  recoveryMs: number;
  tally: Tally;
  pass: boolean;
}

export async function runSmtpOutage(o: {
  n: number;
  downSeconds: number;
  phaseSeconds: number;
  timeoutMs?: number;
}): Promise<SmtpOutageResult> {
  const stack = await startStack('smtp-outage');
  try {
    await stack.startWorker();
    const tag = `so${Date.now().toString(36)}`;
    await stack.smtp.setMode('down');
    log(`SMTP down for ${o.downSeconds} s`);
    const t0 = Date.now();
    await registerMany(stack, o.n, tag, 10);
    await sleep(Math.max(0, o.downSeconds * 1000 - (Date.now() - t0)));
    await stack.smtp.setMode('421');
    log(`SMTP answers 421 for ${o.phaseSeconds} s`);
    await sleep(o.phaseSeconds * 1000);
    await stack.smtp.setMode('drop-after-data');
    log(`SMTP drops the connection after DATA for ${o.phaseSeconds} s`);
    await sleep(o.phaseSeconds * 1000);
    await stack.smtp.setMode('ok');
    const recovered = Date.now();
    log('SMTP healthy');
    const expected = o.n * MAILS_PER_CLUE;
    await waitForMails(stack, expected, o.timeoutMs ?? 180_000);
    const recoveryMs = Date.now() - recovered;
    const ambiguous = new Set(
      stack.smtp.received.filter((r) => r.mode === 'drop-after-data').map((r) => r.messageId),
    );
    let t: Tally = await tally(stack, o.n, `${tag}-`, ambiguous);
    const end = Date.now() + 30_000;
    while (!clean(t) && Date.now() < end) {
      await sleep(1000);
      t = await tally(stack, o.n, `${tag}-`, ambiguous);
    }
    return {
      n: o.n,
      phases: { down: o.downSeconds, p421: o.phaseSeconds, drop: o.phaseSeconds },
      refused: { ...stack.smtp.refused },
      storedButUnacknowledged: ambiguous.size,
      recoveryMs,
      tally: t,
      pass: clean(t),
    };
  } finally {
    await stack.close();
  }
}

export function printSmtpOutage(x: SmtpOutageResult, command: string): void {
  line('clues', `${x.n} (${x.n * MAILS_PER_CLUE} emails expected)`);
  line(
    'phases',
    `down ${x.phases.down} s → 421 ${x.phases.p421} s → drop after DATA ${x.phases.drop} s → ok`,
  );
  line(
    'attempts turned away',
    `421: ${x.refused['421']}, dropped after DATA: ${x.refused['drop-after-data']}`,
  );
  line('stored but unacknowledged (ambiguous)', String(x.storedButUnacknowledged));
  line('recovery → all delivered', `${(x.recoveryMs / 1000).toFixed(1)} s`);
  printTally(x.tally);
  line('reproduce', command);
}

if (require.main === module) {
  const a = args();
  const o = { n: num(a, 'n', 200), downSeconds: num(a, 'down', 60), phaseSeconds: num(a, 'phase', 20) };
  const command = `npx tsx drills/smtp-outage.ts --n=${o.n} --down=${o.downSeconds} --phase=${o.phaseSeconds}`;
  quietTemporal();
  header('Drill 4: SMTP down, 421, dropped after DATA', command);
  runSmtpOutage(o)
    .then((x) => {
      printSmtpOutage(x, command);
      process.exit(x.pass ? 0 : 1);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(1);
    });
}
