/**
 * Drill 1 — kill -9 the worker while clues are in flight, then start it again.
 *
 * N clues are registered through the one intake path (row + workflow, idempotency keys) while the
 * worker (its own process, `workers/main.ts`) projects them and sends their emails. When a given
 * share of the expected emails has gone out, the worker gets SIGKILL; registration goes on without
 * it; after a pause a new worker starts. Every clue must reach its end state (stage verifying, the
 * reminder and the level-1 escalation sent) with no row or email lost or doubled per business key.
 *
 * An email accepted by the SMTP server in the instant before the kill, but not yet marked sent in
 * the outbox, is resent (by the outbox relay once the dead worker's lease on the row has expired)
 * with the same Message-ID (at-least-once; the mailbox
 * keeps one). Such sends are identified at the moment of the kill (outbox row pending, Message-ID
 * already at the server) and reported separately; any other repeat fails the drill.
 *
 *   npx tsx drills/worker-kill.ts [--n=500] [--kill-at=0.4] [--down=5] [--topology=dev|cluster]
 */
import { args, header, line, num, quietTemporal, sleep } from '../bench/lib';
import {
  clean,
  log,
  MAILS_PER_CLUE,
  printTally,
  registerMany,
  startStack,
  settle,
  topologyArg,
  type Tally,
  type Topology,
} from './lib';

export interface WorkerKillResult {
  n: number;
  killedAfterMails: number;
  ambiguousAtKill: number;
  recoveryMs: number;
  totalMs: number;
  tally: Tally;
  pass: boolean;
}

export async function runWorkerKill(o: {
  n: number;
  killAt: number;
  downSeconds: number;
  timeoutMs?: number;
  topology?: Topology;
}): Promise<WorkerKillResult> {
  const t0 = Date.now();
  const stack = await startStack('worker-kill', { topology: o.topology });
  try {
    await stack.startWorker();
    const tag = `wk${Date.now().toString(36)}`;
    const expectedMails = o.n * MAILS_PER_CLUE;
    const registering = registerMany(stack, o.n, tag, 10);
    const killAt = Math.max(1, Math.floor(expectedMails * o.killAt));
    while (stack.smtp.received.length < killAt) await sleep(50);
    stack.worker!.proc.kill('SIGKILL');
    await stack.worker!.exited;
    const killedAt = Date.now();
    const killedAfterMails = stack.smtp.received.length;
    log(`worker killed (SIGKILL) after ${killedAfterMails} emails`);
    // Which sends were in doubt at the kill: at the server already, not yet marked sent.
    const atServer = new Set(stack.smtp.received.map((r) => r.messageId));
    const pending = await stack.db.q<{ message_id: string }[]>(
      `select message_id from mail_outbox where status <> 'sent'`,
    );
    const ambiguous = new Map(
      pending.filter((r) => atServer.has(r.message_id)).map((r) => [r.message_id, 1]),
    );
    log(`${ambiguous.size} email(s) were accepted by the server but not yet recorded as sent`);
    await registering;
    await sleep(Math.max(0, o.downSeconds * 1000 - (Date.now() - killedAt)));
    await stack.startWorker();
    log('worker restarted');
    const t = await settle(
      stack,
      o.n,
      `${tag}-`,
      ambiguous,
      o.timeoutMs ?? (stack.topology === 'cluster' ? 600_000 : 240_000),
    );
    return {
      n: o.n,
      killedAfterMails,
      ambiguousAtKill: ambiguous.size,
      recoveryMs: Date.now() - killedAt,
      totalMs: Date.now() - t0,
      tally: t,
      pass: clean(t),
    };
  } finally {
    await stack.close();
  }
}

export function printWorkerKill(x: WorkerKillResult, command: string): void {
  line('clues', String(x.n));
  line('worker SIGKILLed after', `${x.killedAfterMails} of ${x.n * MAILS_PER_CLUE} emails`);
  line('sends in doubt at the kill', String(x.ambiguousAtKill));
  line(
    'kill → end state reached',
    `${(x.recoveryMs / 1000).toFixed(1)} s (total ${(x.totalMs / 1000).toFixed(1)} s)`,
  );
  printTally(x.tally);
  line('reproduce', command);
}

if (require.main === module) {
  const a = args();
  const o = {
    n: num(a, 'n', 500),
    killAt: num(a, 'kill-at', 0.4),
    downSeconds: num(a, 'down', 5),
    topology: topologyArg(a),
  };
  const command = `npx tsx drills/worker-kill.ts --n=${o.n} --kill-at=${o.killAt} --down=${o.downSeconds}${o.topology === 'cluster' ? ' --topology=cluster' : ''}`;
  quietTemporal();
  header(`Drill 1: kill -9 the worker mid-run${o.topology === 'cluster' ? ' (cluster)' : ''}`, command);
  runWorkerKill(o)
    .then((x) => {
      printWorkerKill(x, command);
      process.exit(x.pass ? 0 : 1);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(1);
    });
}
