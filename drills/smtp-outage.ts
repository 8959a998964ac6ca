/**
 * Drill 4 — the SMTP server goes away, comes back answering 421, then drops the connection after
 * DATA, then recovers. Every notification must be delivered after recovery, exactly one Message-ID
 * per (business key, recipient).
 *
 * Phases (full size): down 60 s → 421 for 20 s (every other greeting, and the end of DATA) → drop
 * after DATA for 20 s → normal. The workflows must not wait for the mail server: escalations are
 * recorded on time and the outbox relay (src/mail/outbox.ts) sends the emails after recovery. In the
 * drop phase the server stores the message and answers 250, but the sender never hears it: the
 * ambiguous case. The relay sends it again with the same deterministic Message-ID — a second copy at
 * the server that a mailbox collapses. Those copies are counted apart; any other repeat, and any loss,
 * fails the drill.
 *
 *   npx tsx drills/smtp-outage.ts [--n=200] [--down=60] [--phase=20]
 */
import { args, header, line, num, quietTemporal, sleep } from '../bench/lib';
import { clean, log, type SmtpMode, printTally, registerMany, startStack, settle, type Tally } from './lib';

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
    // A third of the clues is registered at the start of each faulty phase, so every phase sees
    // first attempts (stage-change emails), besides the retries and the clock events of earlier clues.
    const phases: [SmtpMode, number, string][] = [
      ['down', o.downSeconds, 'SMTP down (connection refused)'],
      ['421', o.phaseSeconds, 'SMTP answers 421'],
      ['drop-after-data', o.phaseSeconds, 'SMTP drops the connection after DATA'],
    ];
    let registered = 0;
    for (const [k, [mode, seconds, what]] of phases.entries()) {
      const t0 = Date.now();
      await stack.smtp.setMode(mode);
      log(`${what} for ${seconds} s`);
      const upto = Math.round((o.n * (k + 1)) / phases.length);
      await registerMany(stack, upto - registered, tag, 10, registered);
      registered = upto;
      await sleep(Math.max(0, seconds * 1000 - (Date.now() - t0)));
    }
    await stack.smtp.setMode('ok');
    const recovered = Date.now();
    log('SMTP healthy');
    // Copies stored while the front dropped the connection after DATA: the sender saw a failure.
    const ambiguous = () => {
      const m = new Map<string, number>();
      for (const r of stack.smtp.received)
        if (r.mode === 'drop-after-data') m.set(r.messageId, (m.get(r.messageId) ?? 0) + 1);
      return m;
    };
    const t = await settle(stack, o.n, `${tag}-`, ambiguous(), o.timeoutMs ?? 240_000);
    const recoveryMs = Date.now() - recovered;
    if (process.env.DRILL_KEEP_DB === '1') {
      const fs = await import('node:fs');
      fs.writeFileSync('/tmp/drill-smtp-received.json', JSON.stringify(stack.smtp.received, null, 1));
    }
    return {
      n: o.n,
      phases: { down: o.downSeconds, p421: o.phaseSeconds, drop: o.phaseSeconds },
      refused: { ...stack.smtp.refused },
      storedButUnacknowledged: [...ambiguous().values()].reduce((a, b) => a + b, 0),
      recoveryMs,
      tally: t,
      pass: clean(t),
    };
  } finally {
    await stack.close();
  }
}

export function printSmtpOutage(x: SmtpOutageResult, command: string): void {
  line('clues', String(x.n));
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
