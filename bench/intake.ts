/**
 * Benchmark 1 — intake. Clues registered through `POST /api/v1/clues` (row + workflow started) per
 * second at a fixed concurrency, against the raw engine measured in the same run on the same dev
 * server: `client.workflow.start` of a no-op workflow at the same concurrency.
 *
 * The API runs as its own process (`tsx api/main.ts`, like production); the load generator and the
 * raw baseline run here. Rounds alternate baseline / intake so drift in machine load hits both.
 * No worker runs: starting a workflow does not need one, and a worker would compete for the CPU.
 *
 * `--topology=cluster`: the same on the production topology (scripts/cluster `up()`: temporal-server on
 * PostgreSQL with `--shards` history shards, the API as docker-compose.yml configures it); the worker
 * that `up()` starts is stopped before the measurement, as no worker runs on the dev server either.
 *
 *   npx tsx bench/intake.ts [--n=2000] [--concurrency=20] [--rounds=4] [--topology=dev|cluster] [--shards=4]
 */
import { Client, Connection } from '@temporalio/client';
import os from 'node:os';
import { waitForPort } from '../src/temporal/dev-server';
import {
  args,
  closedLoop,
  cpuCores,
  cpuSample,
  fmtSummary,
  freePort,
  freshDb,
  header,
  httpClient,
  line,
  loadAvg,
  num,
  pgBackends,
  spawnChild,
  startCluster,
  startSink,
  startTemporal,
  summarize,
  topologyArg,
  until,
  type BenchDb,
  type LoadResult,
  type Topology,
} from './lib';

type Cpu = { api: number; temporal: number; postgres: number; client: number };

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
  /** CPU milliseconds per clue / per start: the API process, the Temporal server, PostgreSQL, the bench process. */
  cpuMsPerCall: Record<'intake' | 'baseline', Cpu>;
  /** Cores used while measuring (all rounds of each kind). */
  cpuCores: Record<'intake' | 'baseline', Cpu & { machineBusyPct: number }>;
  load: string;
  loadBefore: string;
  store: string;
  topology: Topology;
  shards?: number;
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
  topology?: Topology;
  shards?: number;
}): Promise<IntakeResult> {
  const loadBefore = loadAvg();
  const topology = o.topology ?? 'dev';
  const taskQueue = 'bench-intake';
  const apiEnv = { TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '10000000' };
  let temporalAddress: string;
  let temporalPid: number;
  let apiPid: number;
  let port: number;
  let db: BenchDb;
  let databases: string[];
  let store: string;
  let shards: number | undefined;
  let stopServers: () => Promise<void>;
  if (topology === 'cluster') {
    if (o.profileDir) throw new Error('--profile works on the dev server topology only');
    // The API's mail is never sent here; the worker gets the sink's address and is stopped at once.
    const sink = await startSink();
    const c = await startCluster({ workers: 1, shards: o.shards, smtpUrl: sink.url, env: apiEnv });
    for (const pid of c.workerPids) process.kill(pid, 'SIGTERM');
    ({ temporalAddress, temporalPid, apiPid, db, databases, shards } = c);
    port = c.apiPort;
    store = `PostgreSQL, ${c.shards} history shards`;
    stopServers = async () => {
      await c.stop();
      await sink.close();
    };
  } else {
    const temporal = await startTemporal();
    const fresh = await freshDb('bench_intake');
    port = await freePort();
    // --profile=<dir>: the API runs under the V8 CPU profiler (bench/profile-summary.ts reads it).
    const api = spawnChild(
      o.profileDir
        ? [process.execPath, '--cpu-prof', `--cpu-prof-dir=${o.profileDir}`, '--import', 'tsx', 'api/main.ts']
        : 'api/main.ts',
      {
        ...apiEnv,
        DATABASE_URL: fresh.url,
        TEMPORAL_ADDRESS: temporal.address,
        PORT: String(port),
        NODE_ENV: 'development',
      },
    );
    temporalAddress = temporal.address;
    temporalPid = temporal.child.pid;
    apiPid = api.pid;
    db = fresh;
    databases = [fresh.name];
    store = `${temporal.store} (BENCH_TEMPORAL_STORE)`;
    stopServers = async () => {
      await api.kill();
      await fresh.close();
      await temporal.stop();
    };
    try {
      await Promise.race([
        waitForPort(port, '127.0.0.1', 120_000),
        api.exited.then((c) => Promise.reject(new Error(`api exited ${c}: ${api.output()}`))),
      ]);
    } catch (err) {
      await stopServers();
      throw err;
    }
  }
  const postgres = await pgBackends(databases);
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const http = httpClient(`http://127.0.0.1:${port}`, o.concurrency * 2);
  try {
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
    // CPU seconds of: the API process, the Temporal server, this run's PostgreSQL backends, this
    // process (client + load generator); busy = machine CPU seconds (all cores).
    const groups = { api: [apiPid], temporal: [temporalPid], postgres, client: [process.pid] };
    const zero = () => ({ api: 0, temporal: 0, postgres: 0, client: 0, busy: 0, wall: 0 });
    const cpuB = zero();
    const cpuR = zero();
    const timed = async (acc: ReturnType<typeof zero>, fn: () => Promise<LoadResult>) => {
      const a0 = await cpuSample(groups);
      const x = await fn();
      const d = cpuCores(a0, await cpuSample(groups));
      for (const k of ['api', 'temporal', 'postgres', 'client'] as const)
        acc[k] += (d.cores[k] ?? 0) * d.seconds;
      acc.busy += (d.busyPct / 100) * os.cpus().length * d.seconds;
      acc.wall += d.seconds;
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
      cpuMsPerCall: { intake: perCall(cpuR, R.lat.length), baseline: perCall(cpuB, B.lat.length) },
      cpuCores: { intake: cores(cpuR), baseline: cores(cpuB) },
      load: loadAvg(),
      loadBefore,
      store,
      topology,
      shards,
    };
  } finally {
    http.close();
    await connection.close();
    await postgres.close();
    await stopServers();
  }
}

type CpuAcc = Cpu & { busy: number; wall: number };
const perCall = (c: CpuAcc, calls: number): Cpu => ({
  api: (c.api * 1000) / Math.max(1, calls),
  temporal: (c.temporal * 1000) / Math.max(1, calls),
  postgres: (c.postgres * 1000) / Math.max(1, calls),
  client: (c.client * 1000) / Math.max(1, calls),
});
const cores = (c: CpuAcc): Cpu & { machineBusyPct: number } => ({
  api: c.api / c.wall,
  temporal: c.temporal / c.wall,
  postgres: c.postgres / c.wall,
  client: c.client / c.wall,
  machineBusyPct: (100 * c.busy) / c.wall / os.cpus().length,
});

export function printIntake(x: IntakeResult, command: string): void {
  line('intake (POST /api/v1/clues)', `${x.intakePerSec.toFixed(1)} clues/s; ${fmtSummary(x.intake)}`);
  line(
    'baseline (workflow.start no-op)',
    `${x.baselinePerSec.toFixed(1)} starts/s; ${fmtSummary(x.baseline)}`,
  );
  line(
    'topology',
    x.topology === 'cluster'
      ? `cluster: temporal-server on ${x.store}; API as its own process (scripts/cluster up(), NODE_ENV=production); no worker`
      : `dev server (${x.store}); API as its own process; no worker`,
  );
  line(
    'ratio intake/baseline',
    `${x.ratio.toFixed(2)} (target ≥ 0.80: ${x.ratio >= 0.8 ? 'MET' : 'NOT MET'})`,
  );
  line(
    'errors',
    `intake ${x.errors.intake}, baseline ${x.errors.baseline}${x.errors.samples.length ? ` e.g. ${x.errors.samples[0]}` : ''}`,
  );
  line('verified', `${x.verified.rows} rows, ${x.verified.workflows} clue workflows (measured + warm-up)`);
  const server = x.topology === 'cluster' ? 'temporal-server' : 'Temporal dev server';
  const c = (v: Cpu, unit: string, digits: number) =>
    `API ${v.api.toFixed(digits)}${unit}, ${server} ${v.temporal.toFixed(digits)}${unit}, PostgreSQL ${v.postgres.toFixed(digits)}${unit}, load generator + client ${v.client.toFixed(digits)}${unit}`;
  line('CPU per clue (intake)', c(x.cpuMsPerCall.intake, ' ms', 1));
  line('CPU per start (baseline)', c(x.cpuMsPerCall.baseline, ' ms', 1));
  const k = x.cpuCores;
  line(
    'cores while intake ran',
    `${c(k.intake, '', 2)}; machine ${k.intake.machineBusyPct.toFixed(0)} % busy`,
  );
  line(
    'cores while baseline ran',
    `${c(k.baseline, '', 2)}; machine ${k.baseline.machineBusyPct.toFixed(0)} % busy`,
  );
  line('load before / at end', `${x.loadBefore} / ${x.load}`);
  line('reproduce', command);
}

if (require.main === module) {
  const a = args();
  const o = {
    n: num(a, 'n', 1000),
    concurrency: num(a, 'concurrency', 20),
    rounds: num(a, 'rounds', 4),
    profileDir: a.profile,
    topology: topologyArg(a),
    shards: a.shards === undefined ? undefined : num(a, 'shards', 4),
  };
  const command = `npx tsx bench/intake.ts --n=${o.n} --concurrency=${o.concurrency} --rounds=${o.rounds}${o.topology === 'cluster' ? ' --topology=cluster' : ''}${o.shards ? ` --shards=${o.shards}` : ''}`;
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
