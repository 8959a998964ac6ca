/**
 * Benchmark 1 — intake. Clues registered through `POST /api/v1/clues` (row + workflow started) per
 * second at a fixed concurrency, against the raw engine measured in the same run on the same dev
 * server: `client.workflow.start` of a no-op workflow at the same concurrency.
 *
 * The API runs as its own process (`tsx api/main.ts`, like production); the load generator and the
 * raw baseline run here. Rounds alternate baseline / intake so drift in machine load hits both.
 * No worker runs: starting a workflow does not need one, and a worker would compete for the CPU.
 *
 *   npx tsx bench/intake.ts [--n=2000] [--concurrency=20] [--rounds=4]
 */
import { Client, Connection } from '@temporalio/client';
import { waitForPort } from '../src/temporal/dev-server';
import {
  args,
  closedLoop,
  cpuBetween,
  cpuSnapshot,
  fmtSummary,
  freePort,
  freshDb,
  header,
  httpClient,
  line,
  loadAvg,
  num,
  spawnChild,
  startTemporal,
  summarize,
  until,
  type LoadResult,
} from './lib';

export interface IntakeResult {
  n: number;
  concurrency: number;
  intakePerSec: number;
  baselinePerSec: number;
  ratio: number;
  intake: ReturnType<typeof summarize>;
  baseline: ReturnType<typeof summarize>;
  errors: { intake: number; baseline: number; samples: string[] };
  verified: { rows: number; workflows: number };
  /** CPU milliseconds per clue / per start: the API process, the Temporal dev server, the bench process. */
  cpuMsPerCall: Record<'intake' | 'baseline', { api: number; temporal: number; client: number }>;
  load: string;
  store: string;
}

export function intakeBody(i: number, tag: string) {
  return {
    sourceChannel: 'mass_report',
    description: `Bench clue ${i}: residents report a "pension apartment" scheme promising 12% yearly returns.`,
    subject: { name: `Bench Subject ${tag}-${i} Co., Ltd.`, kind: 'enterprise' },
    keyArea: 'elderly_care',
    keyBehaviours: ['targets_elderly'],
    online: false,
    amountCny: 1_000_000 + i,
    participants: 50 + (i % 400),
    publicOpinion: 'local',
    stabilityRisk: 'medium',
    leadUnitId: 'tushan-scenic-area',
  };
}

export async function runIntake(o: {
  n: number;
  concurrency: number;
  rounds: number;
  profileDir?: string;
}): Promise<IntakeResult> {
  const temporal = await startTemporal();
  const db = await freshDb('bench_intake');
  const port = await freePort();
  const taskQueue = 'bench-intake';
  // --profile=<dir>: the API runs under the V8 CPU profiler (bench/profile-summary.ts reads it).
  const api = spawnChild(
    o.profileDir
      ? [process.execPath, '--cpu-prof', `--cpu-prof-dir=${o.profileDir}`, '--import', 'tsx', 'api/main.ts']
      : 'api/main.ts',
    {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '10000000',
      NODE_ENV: 'development',
    },
  );
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: 'default' });
  const http = httpClient(`http://127.0.0.1:${port}`, o.concurrency * 2);
  try {
    await Promise.race([
      waitForPort(port, '127.0.0.1', 120_000),
      api.exited.then((c) => Promise.reject(new Error(`api exited ${c}: ${api.output()}`))),
    ]);
    const token = db.tokens['u-coordinator']!;
    const tag = Date.now().toString(36);
    const post = async (i: number) => {
      const r = await http.request('POST', '/api/v1/clues', intakeBody(i, tag), {
        authorization: `Bearer ${token}`,
        'idempotency-key': `bench-${tag}-${i}`,
      });
      if (r.status !== 201) throw new Error(`HTTP ${r.status}: ${r.text.slice(0, 200)}`);
    };
    const start = async (i: number) => {
      await client.workflow.start('noopWorkflow', {
        taskQueue: 'bench-noop',
        workflowId: `noop-${tag}-${i}`,
        args: [],
      });
    };
    // Warm-up: JIT, connection pools, the dev server's caches.
    await closedLoop(50, o.concurrency, (i) => post(1_000_000 + i));
    await closedLoop(50, o.concurrency, (i) => start(1_000_000 + i));

    const per = Math.ceil(o.n / o.rounds);
    const b: LoadResult[] = [];
    const r: LoadResult[] = [];
    // CPU seconds per call of: the API process, the Temporal dev server, this process (client + load).
    const pids = [api.pid, temporal.child.pid, process.pid];
    const cpuB = [0, 0, 0];
    const cpuR = [0, 0, 0];
    const timed = async (acc: number[], fn: () => Promise<LoadResult>) => {
      const a0 = cpuSnapshot(pids);
      const x = await fn();
      const d = cpuBetween(a0, cpuSnapshot(pids), x.wallMs);
      d.cores.forEach((c, k) => (acc[k]! += (c * x.wallMs) / 1000));
      return x;
    };
    for (let k = 0; k < o.rounds; k++) {
      b.push(await timed(cpuB, () => closedLoop(per, o.concurrency, (i) => start(k * per + i))));
      r.push(await timed(cpuR, () => closedLoop(per, o.concurrency, (i) => post(k * per + i))));
    }
    const agg = (xs: LoadResult[]) => {
      const lat = xs.flatMap((x) => x.latencies);
      const wall = xs.reduce((a, x) => a + x.wallMs, 0);
      return {
        lat,
        perSec: (lat.length / wall) * 1000,
        errors: xs.reduce((a, x) => a + x.errors, 0),
        samples: xs.flatMap((x) => x.errorSamples),
      };
    };
    const B = agg(b);
    const R = agg(r);
    // Every 201 has its row and its workflow.
    const [{ rows } = { rows: 0 }] = await db.q<{ rows: number }[]>(
      `select count(*)::int as rows from clues where subject_name like ?`,
      [`Bench Subject ${tag}-%`],
    );
    // Visibility is eventually consistent: wait (bounded) until the count catches up with the rows.
    let workflows = 0;
    await until(
      async () =>
        (workflows = (
          await client.workflow.count(`WorkflowType = 'clueWorkflow' AND TaskQueue = '${taskQueue}'`)
        ).count) >= rows,
      30_000,
    );
    return {
      n: o.n,
      concurrency: o.concurrency,
      intakePerSec: R.perSec,
      baselinePerSec: B.perSec,
      ratio: R.perSec / B.perSec,
      intake: summarize(R.lat),
      baseline: summarize(B.lat),
      errors: { intake: R.errors, baseline: B.errors, samples: [...R.samples, ...B.samples].slice(0, 5) },
      verified: { rows, workflows },
      cpuMsPerCall: {
        intake: {
          api: (cpuR[0]! * 1000) / o.n,
          temporal: (cpuR[1]! * 1000) / o.n,
          client: (cpuR[2]! * 1000) / o.n,
        },
        baseline: {
          api: (cpuB[0]! * 1000) / o.n,
          temporal: (cpuB[1]! * 1000) / o.n,
          client: (cpuB[2]! * 1000) / o.n,
        },
      },
      load: loadAvg(),
      store: temporal.store,
    };
  } finally {
    http.close();
    await api.kill();
    await connection.close();
    await db.close();
    await temporal.stop();
  }
}

export function printIntake(x: IntakeResult, command: string): void {
  line('intake (POST /api/v1/clues)', `${x.intakePerSec.toFixed(1)} clues/s; ${fmtSummary(x.intake)}`);
  line(
    'baseline (workflow.start no-op)',
    `${x.baselinePerSec.toFixed(1)} starts/s; ${fmtSummary(x.baseline)}`,
  );
  line(
    'ratio intake/baseline',
    `${x.ratio.toFixed(2)} (target ≥ 0.70: ${x.ratio >= 0.7 ? 'MET' : 'NOT MET'})`,
  );
  line(
    'errors',
    `intake ${x.errors.intake}, baseline ${x.errors.baseline}${x.errors.samples.length ? ` e.g. ${x.errors.samples[0]}` : ''}`,
  );
  line('verified', `${x.verified.rows} rows, ${x.verified.workflows} clue workflows (measured + warm-up)`);
  const c = (v: { api: number; temporal: number; client: number }) =>
    `API ${v.api.toFixed(1)} ms, Temporal dev server ${v.temporal.toFixed(1)} ms, load generator ${v.client.toFixed(1)} ms`;
  line('CPU per clue (intake)', c(x.cpuMsPerCall.intake));
  line('CPU per start (baseline)', c(x.cpuMsPerCall.baseline));
  line('dev server store', `${x.store} (BENCH_TEMPORAL_STORE)`);
  line('load at end', x.load);
  line('reproduce', command);
}

if (require.main === module) {
  const a = args();
  const o = {
    n: num(a, 'n', 1000),
    concurrency: num(a, 'concurrency', 20),
    rounds: num(a, 'rounds', 4),
    profileDir: a.profile,
  };
  const command = `npx tsx bench/intake.ts --n=${o.n} --concurrency=${o.concurrency} --rounds=${o.rounds}`;
  header('Benchmark 1: intake vs raw workflow.start', command);
  runIntake(o)
    .then((x) => {
      printIntake(x, command);
      process.exit(0);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(1);
    });
}
