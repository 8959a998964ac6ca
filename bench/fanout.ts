/**
 * Benchmark 2 — deadline fan-out. N open clue workflows whose deadlines fall in the same minute:
 * each verification clock has a reminder one minute before its due time and the level-1 escalation
 * at it, so for two minutes every clue fires one event (reminder → 2 emails, escalation → 3 emails).
 * We measure, at the SMTP server, how late every email arrives after its scheduled instant, count
 * missing and duplicate Message-IDs, and sample the worker's RSS (the worker is its own process,
 * `workers/main.ts`, like production).
 *
 * `--lead` is the time from the start of the workflows to the first reminder instant.
 *
 * Setup: rows are inserted in bulk (one generate_series statement); workflows are started directly
 * with the client, each with a clue input whose carried state (the continue-as-new entry of the
 * workflow) holds one open verification clock built by the real `openClock()`, so the deadlines are
 * exactly where we want them. Due times are spread uniformly over one minute.
 *
 * Baseline (same run, same server, same worker settings): the raw engine doing the same timer
 * pattern — N workflows that sleep until the same two instants and run one no-op activity each time.
 *
 * `--topology=cluster` runs it on the production topology (scripts/cluster: temporal-server on
 * PostgreSQL, `--workers` worker processes started by `up()`, `--shards` history shards) instead of the
 * embedded dev server. `--dynamic-config=candidates|none|key=json,...` sets the server's dynamic config
 * (dev server: `--dynamic-config-value`; cluster: its dynamic config file). `--budget=<s>` stops waiting
 * that long after the first instant and reports what arrived by then (the rest counts as missing).
 *
 *   npx tsx bench/fanout.ts [--n=5000] [--lead=180] [--baseline-lead=60] [--cache=1000] [--activities=100]
 *     [--pool=10] [--topology=dev|cluster] [--workers=1] [--shards=4] [--dynamic-config=...] [--budget=900]
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import os from 'node:os';
import path from 'node:path';
import { resolvePolicy } from '../src/context';
import { mergePolicy, SECONDS_POLICY } from '../src/policy';
import { openClock } from '../workflows/clock';
import type { ClueWorkflowInput } from '../workflows/clue.workflow';
import type { ClueState } from '../workflows/clue.messages';
import {
  args,
  closedLoop,
  cpuCores,
  cpuSample,
  fmtDynamicConfig,
  freshDb,
  header,
  line,
  loadAvg,
  memoryOf,
  num,
  parseDynamicConfig,
  pgBackends,
  quietTemporal,
  sleep,
  spawnChild,
  startCluster,
  startSink,
  startTemporal,
  summarize,
  topologyArg,
  type BenchDb,
  type PgBackends,
  type Summary,
  type Topology,
} from './lib';

const REMINDER_BEFORE_MS = 60_000;
const RECIPIENTS = { reminder: 2, escalation: 3 }; // Tushan staff + head; + the coordinator for level 1

/** CPU during the waves: the machine (all cores), and processes in cores (1.0 = one core busy). */
export interface WaveCpu {
  machineBusyPct: number;
  temporalCores: number;
  workerCores: number;
  /** Each worker process (the product's; the baseline's raw worker is in the bench process). */
  perWorkerCores?: number[];
  /** The bench process: SMTP sink (and, for the baseline, the in-process raw worker). */
  benchCores?: number;
  /** PostgreSQL backends of this run's databases (on the cluster also Temporal's store). */
  postgresCores?: number;
  waveSeconds: number;
}

export interface FanoutResult {
  n: number;
  topology: Topology;
  workers: number;
  shards?: number;
  dynamicConfig: Record<string, unknown>;
  settings: {
    cache: number;
    activities: number;
    pool: number;
    stickyMs: number;
    wfTasks: number;
    store?: string;
  };
  baseline: {
    lateness: Summary;
    fired: number;
    expected: number;
    wallMs: number;
    startsPerSec: number;
    cpu?: WaveCpu;
    overlap?: boolean;
    cutOff?: boolean;
  };
  product?: {
    reminder: Summary;
    escalation: Summary;
    all: Summary;
    expectedMails: number;
    distinct: number;
    duplicates: number;
    missing: number;
    startsPerSec: number;
    startPhaseMs: number;
    lastArrivalAfterLastDueMs: number;
    rssPeakMiB: number;
    rssEndMiB: number;
    rssPeakPerWorkerMiB: number[];
    cutOff: boolean;
    cpu: WaveCpu;
    dbRows: { reminders: number; escalations: number; outboxPending: number; superseded: number };
  };
  overlap: boolean;
  load: { before: string; during: string[]; after: string };
}

/**
 * Waits until count() reaches expected; gives up when nothing new arrived for 90 s after `lastDue`
 * (so a missing event is reported as missing instead of hanging the run). Progress goes to stderr.
 */
async function waitForProgress(
  count: () => number,
  expected: number,
  lastDue: number,
  what: string,
  deadline = Infinity,
): Promise<boolean> {
  let last = -1;
  let lastChange = Date.now();
  let lastPrint = 0;
  for (;;) {
    const c = count();
    if (c !== last) {
      last = c;
      lastChange = Date.now();
    }
    if (Date.now() - lastPrint > 10_000) {
      process.stderr.write(
        `  ${new Date().toISOString().slice(11, 19)} ${what}: ${c}/${expected} (load ${loadAvg()})\n`,
      );
      lastPrint = Date.now();
    }
    if (c >= expected) return false;
    if (Date.now() > lastDue && Date.now() - lastChange > 90_000) return false;
    if (Date.now() > deadline) {
      process.stderr.write(`  budget spent: ${what} ${c}/${expected}\n`);
      return true;
    }
    await sleep(500);
  }
}

/** The raw engine: same instants, one no-op activity per instant. */
async function runBaseline(o: {
  temporalPid: number;
  postgres: PgBackends;
  budgetMs: number;
  n: number;
  lead: number;
  address: string;
  client: Client;
  cache: number;
  activities: number;
  stickyMs: number;
  wfTasks: number;
}) {
  const fired: { key: string; late: number }[] = [];
  const conn = await NativeConnection.connect({ address: o.address });
  const worker = await Worker.create({
    connection: conn,
    taskQueue: 'bench-timer',
    workflowsPath: path.resolve(__dirname, 'noop.workflow.ts'),
    activities: {
      async stamp(key: string, at: number) {
        fired.push({ key, late: Date.now() - at });
      },
    },
    maxCachedWorkflows: o.cache,
    maxConcurrentActivityTaskExecutions: o.activities,
    maxConcurrentWorkflowTaskExecutions: o.wfTasks,
    stickyQueueScheduleToStartTimeout: `${o.stickyMs}ms`,
  });
  const running = worker.run();
  const t0 = Date.now();
  const due0 = t0 + o.lead * 1000 + REMINDER_BEFORE_MS;
  const tag = t0.toString(36);
  const starts = await closedLoop(o.n, 20, async (i) => {
    const due = due0 + (i % 60) * 1000;
    await o.client.workflow.start('timerWorkflow', {
      taskQueue: 'bench-timer',
      workflowId: `timer-${tag}-${i}`,
      args: [`${i}`, [due - REMINDER_BEFORE_MS, due]],
    });
  });
  const expected = o.n * 2;
  const overlap = Date.now() > due0 - REMINDER_BEFORE_MS;
  // CPU over the two waves only (from the first instant to the last stamp).
  await sleep(Math.max(0, due0 - REMINDER_BEFORE_MS - Date.now()));
  const w0 = Date.now();
  const groups = { temporal: [o.temporalPid], raw: [process.pid], postgres: o.postgres };
  const c0 = await cpuSample(groups);
  const cutOff = await waitForProgress(
    () => fired.length,
    expected,
    due0 + 59_000,
    'baseline stamps',
    w0 + o.budgetMs,
  );
  const cpu = cpuCores(c0, await cpuSample(groups));
  worker.shutdown();
  await running;
  await conn.close();
  return {
    lateness: summarize(fired.map((f) => f.late)),
    fired: fired.length,
    expected,
    wallMs: Date.now() - t0,
    startsPerSec: starts.perSecond,
    overlap,
    cutOff,
    cpu: {
      machineBusyPct: cpu.busyPct,
      temporalCores: cpu.cores.temporal ?? 0,
      workerCores: cpu.cores.raw ?? 0,
      postgresCores: cpu.cores.postgres ?? 0,
      waveSeconds: cpu.seconds,
    },
  };
}

export async function runFanout(o: {
  n: number;
  lead: number;
  /** Lead of the raw baseline (its starts are faster than the product's start phase); default `lead`. */
  baselineLead?: number;
  topology?: Topology;
  /** Worker processes on the cluster (the dev server topology runs one). */
  workers?: number;
  shards?: number;
  dynamicConfig?: Record<string, unknown>;
  /** Seconds after the first instant after which each phase stops waiting. */
  budgetS?: number;
  cache: number;
  activities: number;
  pool: number;
  stickyMs: number;
  wfTasks: number;
  skipBaseline?: boolean;
  baselineOnly?: boolean;
  profileDir?: string;
}): Promise<FanoutResult> {
  const loadBefore = loadAvg();
  const topology = o.topology ?? 'dev';
  const dynamicConfig = o.dynamicConfig ?? {};
  const budgetMs = (o.budgetS ?? Infinity) * 1000;
  const taskQueue = 'bench-fanout';
  // The product worker's settings, the same on both topologies.
  const workerEnv = {
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'info',
    DATABASE_POOL_MAX: String(o.pool),
    WORKER_MAX_CACHED_WORKFLOWS: String(o.cache),
    WORKER_MAX_CONCURRENT_ACTIVITIES: String(o.activities),
    WORKER_STICKY_QUEUE_TIMEOUT_MS: String(o.stickyMs),
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: String(o.wfTasks),
    // Anything else the worker reads (WORKER_MAX_WORKFLOW_TASK_POLLS, WORKER_NONSTICKY_TO_STICKY_POLL_RATIO) comes from the environment.
  };
  const sink = await startSink();
  // Dev server: the bench starts the server and (after the baseline) the worker. Cluster: `up()` starts
  // temporal-server, the API and the workers; the workers idle (polling) through the baseline.
  let temporalAddress: string;
  let temporalPid: number;
  let db: BenchDb;
  let databases: string[];
  let stopServers: () => Promise<void>;
  let clusterWorkers: number[] = [];
  let shards: number | undefined;
  if (topology === 'cluster') {
    const c = await startCluster({
      workers: o.workers ?? 1,
      shards: o.shards,
      smtpUrl: sink.url,
      env: workerEnv,
      poolMax: o.pool,
      dynamicConfig,
    });
    ({ temporalAddress, temporalPid, db, databases, shards } = c);
    clusterWorkers = c.workerPids;
    stopServers = () => c.stop();
  } else {
    const temporal = await startTemporal(undefined, undefined, undefined, dynamicConfig);
    const fresh = await freshDb('bench_fanout', o.pool);
    ({ address: temporalAddress } = temporal);
    temporalPid = temporal.child.pid;
    db = fresh;
    databases = [fresh.name];
    stopServers = async () => {
      await fresh.close();
      await temporal.stop();
    };
  }
  const postgres = await pgBackends(databases);
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const during: string[] = [];
  let worker: ReturnType<typeof spawnChild> | undefined;
  try {
    const baseline = o.skipBaseline
      ? { lateness: summarize([]), fired: 0, expected: 0, wallMs: 0, startsPerSec: 0 }
      : await runBaseline({
          temporalPid,
          postgres,
          budgetMs,
          n: o.n,
          lead: o.baselineLead ?? o.lead,
          address: temporalAddress,
          client,
          cache: o.cache,
          activities: o.activities,
          stickyMs: o.stickyMs,
          wfTasks: o.wfTasks,
        });
    during.push(loadAvg());

    const settings: FanoutResult['settings'] = {
      cache: o.cache,
      activities: o.activities,
      pool: o.pool,
      stickyMs: o.stickyMs,
      wfTasks: o.wfTasks,
      store: topology === 'cluster' ? 'PostgreSQL' : 'wal',
    };
    const common = {
      topology,
      workers: topology === 'cluster' ? clusterWorkers.length : 1,
      shards,
      dynamicConfig,
    };
    if (o.baselineOnly)
      return {
        n: o.n,
        ...common,
        settings,
        baseline,
        product: undefined,
        overlap: false,
        load: { before: loadBefore, during, after: loadAvg() },
      };
    // --profile=<dir>: the worker runs under the V8 CPU profiler (bench/profile-summary.ts reads it).
    const script = o.profileDir
      ? [
          process.execPath,
          '--cpu-prof',
          `--cpu-prof-dir=${o.profileDir}`,
          '--import',
          'tsx',
          'workers/main.ts',
        ]
      : 'workers/main.ts';
    if (topology === 'dev') {
      worker = spawnChild(script, {
        ...workerEnv,
        TEMPORAL_ADDRESS: temporalAddress,
        DATABASE_URL: db.url,
        SMTP_URL: sink.url,
      });
      await worker.waitFor(/worker running/, 180_000);
    }
    const workerPids = worker ? [worker.pid] : clusterWorkers;
    const rssPeaks = workerPids.map(() => 0);
    const sampler = setInterval(() => {
      workerPids.forEach((pid, k) => (rssPeaks[k] = Math.max(rssPeaks[k]!, memoryOf(pid).rssMiB)));
    }, 1000);

    // Rows in bulk, then the workflows with their deadlines in one minute.
    const rows = await db.q<{ id: string; ref: string }[]>(
      `insert into clues (id, ref, seq, source_channel, description, subject_name, subject_name_norm, subject_kind, key_area, key_behaviours, online,
         amount_cny, participants, public_opinion, stability_risk, lead_unit_id, co_handling_unit_ids, risk_score, grade, key_clue, stage, created_by)
       select gen_random_uuid()::text, 'FO-' || lpad(g::text, 7, '0'), nextval('clue_seq'), 'mass_report', 'fan-out bench', 'Fanout Subject ' || g,
              'fanout subject ' || g, 'enterprise', 'elderly_care', '{}', false, 1000000, 50, 'local', 'medium', 'tushan-scenic-area', '{}', 40, 'III',
              false, 'verifying', 'u-coordinator'
         from generate_series(1, ?::int) g
       returning id, ref`,
      [o.n],
    );
    const policy = resolvePolicy(
      mergePolicy(SECONDS_POLICY, { reminders: ['PT1M'], escalation: ['PT0S', 'PT1H', 'PT2H'] }),
    );
    const t0 = Date.now();
    const due0 = t0 + o.lead * 1000 + REMINDER_BEFORE_MS;
    const dueOf = new Map<string, number>();
    const starts = await closedLoop(rows.length, 20, async (i) => {
      const r = rows[i]!;
      const due = due0 + (i % 60) * 1000;
      dueOf.set(r.id, due);
      const now = Date.now();
      const state: ClueState = {
        clueId: r.id,
        ref: r.ref,
        stage: 'verifying',
        grade: 'III',
        keyClue: false,
        leadUnitId: 'tushan-scenic-area',
        coHandlingUnitIds: [],
        milestones: [],
        actions: [],
        referrals: [],
        followUps: [],
        reopenCount: 0,
        clocks: [
          openClock(
            {
              id: 'verification-1',
              task: 'verification',
              unitId: 'tushan-scenic-area',
              dueAt: due,
              by: 'system',
            },
            now,
          ),
        ],
        overdueLevel: 0,
      };
      const input: ClueWorkflowInput = {
        clueId: r.id,
        ref: r.ref,
        grade: 'III',
        keyClue: false,
        leadUnitId: 'tushan-scenic-area',
        coHandlingUnitIds: [],
        districtOfficeUnitId: 'district-office',
        policeUnitId: 'public-security',
        policy,
        registeredBy: 'u-coordinator',
        carried: { state, eventSeq: 0 },
      };
      await client.workflow.start('clueWorkflow', { taskQueue, workflowId: `clue-${r.id}`, args: [input] });
    });
    if (starts.errors) throw new Error(`${starts.errors} starts failed: ${starts.errorSamples[0]}`);
    // The start phase is over when every clock row is projected.
    for (;;) {
      const [{ c } = { c: 0 }] = await db.q<{ c: number }[]>(`select count(*)::int as c from clocks`);
      if (c >= rows.length || Date.now() > due0 - REMINDER_BEFORE_MS) break;
      process.stderr.write(`  start phase: ${c}/${rows.length} projected\n`);
      await sleep(500);
    }
    const startPhaseMs = Date.now() - t0;
    const overlap = Date.now() > due0 - REMINDER_BEFORE_MS;
    during.push(loadAvg());

    const expectedMails = rows.length * (RECIPIENTS.reminder + RECIPIENTS.escalation);
    const lastDue = due0 + 59_000;
    let lastLoad = Date.now();
    await sleep(Math.max(0, due0 - REMINDER_BEFORE_MS - Date.now()));
    const w0 = Date.now();
    const groups = {
      temporal: [temporalPid],
      worker: workerPids,
      bench: [process.pid],
      postgres,
      ...Object.fromEntries(workerPids.map((pid, k) => [`worker-${k + 1}`, [pid]])),
    };
    const c0 = await cpuSample(groups);
    const cutOff = await waitForProgress(
      () => {
        if (Date.now() - lastLoad > 30_000) {
          during.push(loadAvg());
          lastLoad = Date.now();
        }
        return new Set(sink.mails.map((m) => m.messageId)).size;
      },
      expectedMails,
      lastDue,
      'emails',
      w0 + budgetMs,
    );
    const cpu = cpuCores(c0, await cpuSample(groups));
    clearInterval(sampler);
    const rssEnds = workerPids.map((pid) => memoryOf(pid));

    const late: Record<'reminder' | 'escalation', number[]> = { reminder: [], escalation: [] };
    const seen = new Set<string>();
    let duplicates = 0;
    let lastArrival = 0;
    for (const m of sink.mails) {
      if (seen.has(m.messageId)) {
        duplicates += 1;
        continue;
      }
      seen.add(m.messageId);
      const k = /^<(reminder|escalation)-clue-([0-9a-f-]{36})-/.exec(m.messageId);
      if (!k) continue;
      const due = dueOf.get(k[2]!);
      if (due === undefined) continue;
      const kind = k[1] as 'reminder' | 'escalation';
      late[kind].push(m.at - (kind === 'reminder' ? due - REMINDER_BEFORE_MS : due));
      lastArrival = Math.max(lastArrival, m.at);
    }
    // A reminder whose moment passes while its workflow waits for the worker is retired once the clock
    // is overdue (workflows/clock.ts dueEventsAt): it never goes out. Such a reminder was over a minute late.
    const [dbRows] = await db.q<
      { reminders: number; escalations: number; outboxPending: number; superseded: number }[]
    >(
      `select (select count(*)::int from notifications where kind = 'reminder') as reminders,
              (select count(*)::int from escalations) as escalations,
              (select count(*)::int from mail_outbox where status <> 'sent') as "outboxPending",
              (select count(*)::int from clues c where not exists
                 (select 1 from timeline_events t where t.owner_id = c.id and t.kind = 'clock.reminder')) as superseded`,
    );
    return {
      n: rows.length,
      ...common,
      settings,
      baseline,
      product: {
        reminder: summarize(late.reminder),
        escalation: summarize(late.escalation),
        all: summarize([...late.reminder, ...late.escalation]),
        expectedMails,
        distinct: seen.size,
        duplicates,
        missing: expectedMails - seen.size,
        startsPerSec: starts.perSecond,
        startPhaseMs,
        lastArrivalAfterLastDueMs: lastArrival - lastDue,
        rssPeakPerWorkerMiB: rssPeaks.map((r, k) => Math.max(r, rssEnds[k]!.hwmMiB)),
        rssPeakMiB: Math.max(...rssPeaks.map((r, k) => Math.max(r, rssEnds[k]!.hwmMiB))),
        rssEndMiB: Math.max(...rssEnds.map((r) => r.rssMiB)),
        cutOff,
        cpu: {
          machineBusyPct: cpu.busyPct,
          temporalCores: cpu.cores.temporal ?? 0,
          workerCores: cpu.cores.worker ?? 0,
          perWorkerCores: workerPids.map((_, k) => cpu.cores[`worker-${k + 1}`] ?? 0),
          benchCores: cpu.cores.bench ?? 0,
          postgresCores: cpu.cores.postgres ?? 0,
          waveSeconds: cpu.seconds,
        },
        dbRows: dbRows!,
      },
      overlap,
      load: { before: loadBefore, during, after: loadAvg() },
    };
  } finally {
    await worker?.kill();
    await connection.close();
    await postgres.close();
    await stopServers();
    await sink.close();
  }
}

export function printFanout(x: FanoutResult, command: string): void {
  const s = (v: Summary) =>
    `p50 ${(v.p50 / 1000).toFixed(1)} s, p95 ${(v.p95 / 1000).toFixed(1)} s, p99 ${(v.p99 / 1000).toFixed(1)} s, max ${(v.max / 1000).toFixed(1)} s (n=${v.n})`;
  const server = x.topology === 'cluster' ? 'temporal-server' : 'Temporal dev server';
  const pg = (c: WaveCpu) => `, PostgreSQL ${(c.postgresCores ?? 0).toFixed(2)}`;
  line(
    'topology',
    x.topology === 'cluster'
      ? `cluster: temporal-server on PostgreSQL (${x.shards} shards), ${x.workers} worker process(es) started by scripts/cluster up()`
      : 'dev server (temporal server start-dev, SQLite WAL, as npm start runs it), 1 worker process',
  );
  line('server dynamic config', fmtDynamicConfig(x.dynamicConfig));
  line(
    'workflows',
    `${x.n} (deadlines spread over one minute; reminder 1 min before, level-1 escalation at due)`,
  );
  line(
    'worker settings',
    `maxCachedWorkflows=${x.settings.cache} maxConcurrentActivities=${x.settings.activities} maxConcurrentWorkflowTasks=${x.settings.wfTasks} stickyQueueTimeout=${x.settings.stickyMs} ms workflowTaskPolls=${process.env.WORKER_MAX_WORKFLOW_TASK_POLLS ?? 10} nonStickyRatio=${process.env.WORKER_NONSTICKY_TO_STICKY_POLL_RATIO ?? 0.2} DB pool=${x.settings.pool}; store: ${x.settings.store ?? 'wal'}`,
  );
  if (x.baseline.expected) {
    line(
      'baseline: raw timer + no-op activity',
      `late by ${s(x.baseline.lateness)}; fired ${x.baseline.fired}/${x.baseline.expected} (${x.baseline.startsPerSec.toFixed(0)} starts/s)${x.baseline.overlap ? ' — starts OVERLAPPED the first instant (raise --baseline-lead)' : ''}${x.baseline.cutOff ? ' — CUT OFF at --budget' : ''}`,
    );
  }
  const bc = x.baseline.cpu;
  if (bc) {
    line(
      'baseline CPU during the waves',
      `${bc.waveSeconds.toFixed(0)} s: machine ${bc.machineBusyPct.toFixed(0)} % busy; ${server} ${bc.temporalCores.toFixed(2)} cores, raw worker (bench process) ${bc.workerCores.toFixed(2)}${pg(bc)}`,
    );
  }
  const p = x.product;
  if (p) {
    line(
      'start phase',
      `${(p.startPhaseMs / 1000).toFixed(1)} s (${p.startsPerSec.toFixed(0)} starts/s)${x.overlap ? ' — OVERLAPPED the first reminders (raise --lead)' : ''}`,
    );
    line('reminder emails late by', s(p.reminder));
    line('escalation emails late by', s(p.escalation));
    line('all emails late by', s(p.all));
    line(
      'delivered / expected',
      `${p.distinct} / ${p.expectedMails} distinct Message-IDs; missing ${p.missing}; duplicates ${p.duplicates}`,
    );
    line(
      'reminders superseded (> 1 min late)',
      `${p.dbRows.superseded} (retired unsent by the clock rule once the deadline passed: counted as missing)`,
    );
    line('last email after last due', `${(p.lastArrivalAfterLastDueMs / 1000).toFixed(1)} s`);
    if (p.cutOff)
      line('CUT OFF', 'the --budget ran out before every email arrived: the rest counts as missing');
    const workers = p.cpu.perWorkerCores ?? [];
    line(
      'CPU during the waves',
      `${p.cpu.waveSeconds.toFixed(0)} s: machine ${p.cpu.machineBusyPct.toFixed(0)} % busy; ${server} ${p.cpu.temporalCores.toFixed(2)} cores, worker${workers.length > 1 ? `s ${workers.map((w) => w.toFixed(2)).join(' + ')} =` : ''} ${p.cpu.workerCores.toFixed(2)}${pg(p.cpu)}, SMTP sink ${(p.cpu.benchCores ?? 0).toFixed(2)}, rest (other processes) ${Math.max(0, (os.cpus().length * p.cpu.machineBusyPct) / 100 - p.cpu.temporalCores - p.cpu.workerCores - (p.cpu.benchCores ?? 0) - (p.cpu.postgresCores ?? 0)).toFixed(2)}`,
    );
    line(
      'worker RSS',
      `peak ${p.rssPeakPerWorkerMiB.map((r) => r.toFixed(0)).join(' / ')} MiB, end ${p.rssEndMiB.toFixed(0)} MiB (target ≤ 1024 per worker)`,
    );
    line(
      'db rows',
      `${p.dbRows.reminders} reminder notifications, ${p.dbRows.escalations} escalations, ${p.dbRows.outboxPending} outbox rows not sent`,
    );
    if (x.baseline.expected)
      line('ratio p99 lateness (baseline / product)', (x.baseline.lateness.p99 / p.all.p99).toFixed(3));
    const met =
      p.all.p99 <= 120_000 &&
      p.all.max <= 120_000 &&
      p.missing === 0 &&
      p.duplicates === 0 &&
      p.rssPeakMiB <= 1024;
    line('target (≤ 2 min, 0 dup, 0 missing, ≤ 1 GiB)', met ? 'MET' : 'NOT MET');
    if (x.baseline.expected)
      line(
        'product / raw max lateness',
        `${(p.all.max / x.baseline.lateness.max).toFixed(2)} (target ≤ 1.5)`,
      );
  }
  line(
    'load avg before / during / after',
    `${x.load.before} / ${x.load.during.join(' | ')} / ${x.load.after}`,
  );
  line('reproduce', command);
}

if (require.main === module) {
  const a = args();
  const n = num(a, 'n', 200);
  const topology = topologyArg(a);
  const dc = a['dynamic-config'];
  const o = {
    n,
    lead: num(a, 'lead', Math.ceil(20 + n / 20)),
    baselineLead: a['baseline-lead'] === undefined ? undefined : num(a, 'baseline-lead', 60),
    topology,
    workers: num(a, 'workers', 1),
    shards: a.shards === undefined ? undefined : num(a, 'shards', 4),
    dynamicConfig: parseDynamicConfig(dc),
    budgetS: a.budget === undefined ? undefined : num(a, 'budget', 900),
    cache: num(a, 'cache', 1000),
    activities: num(a, 'activities', 100),
    pool: num(a, 'pool', 10),
    stickyMs: num(a, 'sticky', 10_000),
    wfTasks: num(a, 'wf-tasks', 40),
    skipBaseline: a['skip-baseline'] === 'true',
    baselineOnly: a['baseline-only'] === 'true',
    profileDir: a.profile,
  };
  const command = `npx tsx bench/fanout.ts --n=${o.n} --lead=${o.lead}${o.baselineLead === undefined ? '' : ` --baseline-lead=${o.baselineLead}`} --cache=${o.cache} --activities=${o.activities} --pool=${o.pool} --sticky=${o.stickyMs} --wf-tasks=${o.wfTasks}${o.skipBaseline ? ' --skip-baseline' : ''}${o.baselineOnly ? ' --baseline-only' : ''}${topology === 'cluster' ? ` --topology=cluster --workers=${o.workers}${o.shards ? ` --shards=${o.shards}` : ''}` : ''}${dc ? ` --dynamic-config=${dc}` : ''}${o.budgetS === undefined ? '' : ` --budget=${o.budgetS}`}`;
  quietTemporal();
  header('Benchmark 2: deadline fan-out', command);
  runFanout(o)
    .then((x) => {
      printFanout(x, command);
      process.exit(0);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(1);
    });
}
