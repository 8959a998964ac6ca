/**
 * Drill 2 — restart the Temporal server mid-run. The dev server persists to a file
 * (`temporal server start-dev --db-filename`), is stopped while clues are being registered and their
 * timers are pending, and started again on the same file and port. Registration keeps going through
 * the outage (a failed start is retried with the same idempotency key: the row exists, the workflow
 * start is repeated). Every workflow must resume: reminders and level-1 escalations sent, no row or
 * email lost or doubled.
 *
 * On `--topology=cluster` the server is temporal-server on PostgreSQL (scripts/cluster), stopped and
 * started again with the same configuration: the same databases and ports.
 *
 *   npx tsx drills/temporal-restart.ts [--n=200] [--down=15] [--signal=SIGTERM|SIGKILL] [--topology=dev|cluster]
 */
import { args, header, line, num, quietTemporal, sleep } from '../bench/lib';
import {
  clean,
  log,
  printTally,
  registerMany,
  startStack,
  settle,
  topologyArg,
  type Tally,
  type Topology,
} from './lib';

export interface TemporalRestartResult {
  topology: Topology;
  n: number;
  signal: string;
  downMs: number;
  registeredBeforeStop: number;
  recoveryMs: number;
  tally: Tally;
  pass: boolean;
}

export async function runTemporalRestart(o: {
  n: number;
  downSeconds: number;
  signal: NodeJS.Signals;
  timeoutMs?: number;
  topology?: Topology;
}): Promise<TemporalRestartResult> {
  const stack = await startStack('temporal-restart', { topology: o.topology });
  const server = stack.topology === 'cluster' ? 'temporal-server' : 'Temporal dev server';
  try {
    await stack.startWorker();
    const tag = `tr${Date.now().toString(36)}`;
    const registering = registerMany(stack, o.n, tag, 5);
    // Stop once part of the clues are registered and the first reminders are going out.
    while (stack.smtp.received.length < o.n) await sleep(100);
    const [{ c = 0 } = {}] = await stack.db.q<{ c: number }[]>(`select count(*)::int as c from clues`);
    await stack.stopTemporal(o.signal);
    const stoppedAt = Date.now();
    log(`${server} stopped (${o.signal}) with ${c} clues registered`);
    await sleep(o.downSeconds * 1000);
    await stack.startTemporal();
    const downMs = Date.now() - stoppedAt;
    log(`${server} started again on the same store and port after ${(downMs / 1000).toFixed(1)} s`);
    await registering;
    const t = await settle(
      stack,
      o.n,
      `${tag}-`,
      new Map(),
      o.timeoutMs ?? (stack.topology === 'cluster' ? 600_000 : 240_000),
    );
    return {
      topology: stack.topology,
      n: o.n,
      signal: o.signal,
      downMs,
      registeredBeforeStop: c,
      recoveryMs: Date.now() - stoppedAt - downMs,
      tally: t,
      pass: clean(t),
    };
  } finally {
    await stack.close();
  }
}

export function printTemporalRestart(x: TemporalRestartResult, command: string): void {
  line('clues', String(x.n));
  line(
    x.topology === 'cluster' ? 'temporal-server stopped with' : 'dev server stopped with',
    `${x.signal}, down ${(x.downMs / 1000).toFixed(1)} s, ${x.registeredBeforeStop} clues registered before`,
  );
  line('restart → end state reached', `${(x.recoveryMs / 1000).toFixed(1)} s`);
  printTally(x.tally);
  line('reproduce', command);
}

if (require.main === module) {
  const a = args();
  const o = {
    n: num(a, 'n', 200),
    downSeconds: num(a, 'down', 15),
    signal: (a.signal ?? 'SIGTERM') as NodeJS.Signals,
    topology: topologyArg(a),
  };
  const command = `npx tsx drills/temporal-restart.ts --n=${o.n} --down=${o.downSeconds} --signal=${o.signal}${o.topology === 'cluster' ? ' --topology=cluster' : ''}`;
  quietTemporal();
  header(
    o.topology === 'cluster'
      ? 'Drill 2: restart temporal-server (cluster) mid-run'
      : 'Drill 2: restart the Temporal dev server mid-run',
    command,
  );
  runTemporalRestart(o)
    .then((x) => {
      printTemporalRestart(x, command);
      process.exit(x.pass ? 0 : 1);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(1);
    });
}
