/**
 * Benchmark 4 — start-up. The embedded `npm start` (dev server + PGlite + worker + API in one go)
 * from spawn to its `READY <url> (<ms> ms)` line, on a temporary DATA_DIR and free ports: first start
 * (empty data directory: creates the databases, migrates, seeds) and a restart on the same data.
 * Baseline in the same run: the raw engine alone, `temporal server start-dev` on a new file, to its
 * port accepting connections.
 *
 *   npx tsx bench/startup.ts [--runs=2]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  args,
  freePort,
  header,
  line,
  loadAvg,
  num,
  ROOT,
  startTemporal,
  summarize,
  tempDir,
  type Summary,
} from './lib';

export interface StartupResult {
  runs: number;
  cold: { wallMs: number[]; reportedMs: number[]; milestones: string[] };
  warm: { wallMs: number[]; reportedMs: number[]; milestones: string[] };
  baseline: Summary;
  ratio: number;
  load: { before: string; after: string };
}

/**
 * Spawns `npm start` in its own process group; resolves at READY with the wall time and the time it
 * reports, its URL and what it printed (the demo seed's passwords on a first start).
 */
export async function npmStart(dataDir: string): Promise<{
  wallMs: number;
  reportedMs: number;
  milestones: string;
  url: string;
  output: string;
  stop(): Promise<void>;
}> {
  const [port, dev, ui] = [await freePort(), await freePort(), await freePort()];
  const t0 = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      OUTBOX_DIR: path.join(dataDir, 'outbox'),
      PORT: String(port),
      TEMPORAL_DEV_PORT: String(dev),
      TEMPORAL_DEV_UI_PORT: String(ui),
      EMBEDDED_PG_PORT: '0',
      TEMPORAL_ADDRESS: '',
      DATABASE_URL: '',
      SMTP_URL: '',
    },
  });
  let out = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  const stop = async () => {
    if (child.exitCode !== null) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* gone */
    }
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 20_000);
    await exited;
    clearTimeout(t);
  };
  try {
    const reported = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no READY within 180 s:\n${out.slice(-3000)}`)),
        180_000,
      );
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = /READY \S+ \((\d+) ms\)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then((c) => reject(new Error(`npm start exited ${c}:\n${out.slice(-3000)}`)));
    });
    // Milestones from the structured log lines (pino JSON with `time`) and the SDK's bundle line.
    const spawnedAt = Date.now() - (performance.now() - t0);
    const marks: string[] = [];
    for (const l of out.split('\n')) {
      try {
        const j = JSON.parse(l) as { time?: number; msg?: string };
        if (j.time && j.msg) marks.push(`${((j.time - spawnedAt) / 1000).toFixed(1)} s ${j.msg}`);
      } catch {
        const m = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) \[INFO\] (Workflow bundle created|Worker state changed)/.exec(
          l,
        );
        if (m) marks.push(`${((Date.parse(m[1]!) - spawnedAt) / 1000).toFixed(1)} s ${m[2]}`);
      }
    }
    const url = /READY (\S+) /.exec(out)?.[1] ?? '';
    return {
      wallMs: performance.now() - t0,
      reportedMs: reported,
      milestones: marks.join('; '),
      url,
      output: out,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export async function runStartup(o: { runs: number }): Promise<StartupResult> {
  const loadBefore = loadAvg();
  const res: StartupResult = {
    runs: o.runs,
    cold: { wallMs: [], reportedMs: [], milestones: [] },
    warm: { wallMs: [], reportedMs: [], milestones: [] },
    baseline: summarize([]),
    ratio: NaN,
    load: { before: loadBefore, after: '' },
  };
  const base: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    const dir = tempDir('bench-startup');
    try {
      const t0 = performance.now();
      const t = await startTemporal(tempDir('bench-startup-temporal'));
      base.push(performance.now() - t0);
      await t.stop();
      fs.rmSync(t.dir, { recursive: true, force: true });
      for (const kind of ['cold', 'warm'] as const) {
        const s = await npmStart(dir);
        res[kind].wallMs.push(s.wallMs);
        res[kind].reportedMs.push(s.reportedMs);
        res[kind].milestones.push(s.milestones);
        await s.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  res.baseline = summarize(base);
  res.ratio = summarize(res.cold.wallMs).p50 / res.baseline.p50;
  res.load.after = loadAvg();
  return res;
}

export function printStartup(x: StartupResult, command: string): void {
  const f = (xs: number[]) => xs.map((v) => `${(v / 1000).toFixed(1)} s`).join(', ');
  line('first start (empty DATA_DIR)', `wall ${f(x.cold.wallMs)}; READY reports ${f(x.cold.reportedMs)}`);
  line('restart (same DATA_DIR)', `wall ${f(x.warm.wallMs)}; READY reports ${f(x.warm.reportedMs)}`);
  line('first start, log milestones', x.cold.milestones[0] ?? '');
  line('restart, log milestones', x.warm.milestones[0] ?? '');
  line(
    'baseline: temporal start-dev alone',
    `${(x.baseline.p50 / 1000).toFixed(1)} s to port open (median of ${x.baseline.n})`,
  );
  line('ratio npm start / dev server alone', x.ratio.toFixed(1));
  const worst = Math.max(...x.cold.wallMs, ...x.warm.wallMs);
  line(
    'target ≤ 20 s',
    worst <= 20_000
      ? `MET (worst ${(worst / 1000).toFixed(1)} s)`
      : `NOT MET (worst ${(worst / 1000).toFixed(1)} s)`,
  );
  line('load avg before / after', `${x.load.before} / ${x.load.after}`);
  line('reproduce', command);
}

if (require.main === module) {
  const a = args();
  const o = { runs: num(a, 'runs', 1) };
  const command = `npx tsx bench/startup.ts --runs=${o.runs}`;
  header('Benchmark 4: start-up (embedded npm start)', command);
  runStartup(o)
    .then((x) => {
      printStartup(x, command);
      process.exit(0);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(1);
    });
}
