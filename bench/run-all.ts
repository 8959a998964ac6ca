/**
 * `npm run bench` — every benchmark, small sizes (a few minutes); `npm run bench -- --full` for the
 * sizes of issue 7 (5,000 workflows, 100,000 clues: allow ~30 minutes). `--only=intake,fanout,ledger,startup`
 * picks some. Each prints its figures, its baseline from the same run, and the command that reproduces it;
 * the figures also go to bench/results/<timestamp>.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runFanout, printFanout } from './fanout';
import { runIntake, printIntake } from './intake';
import { runLedger, printLedger } from './ledger';
import { runStartup, printStartup } from './startup';
import { args, header, loadAvg, machine, otherLoad, quietTemporal } from './lib';

async function main() {
  const a = args();
  const full = a.full === 'true';
  const only = new Set((a.only ?? 'intake,fanout,ledger,startup').split(','));
  quietTemporal();
  const results: Record<string, unknown> = {
    machine: machine(),
    full,
    startedAt: new Date().toISOString(),
    load: loadAvg(),
    other: otherLoad(),
  };
  const failures: string[] = [];
  const step = async (name: string, fn: () => Promise<void>) => {
    if (!only.has(name)) return;
    try {
      await fn();
    } catch (err) {
      failures.push(name);
      process.stderr.write(`${name} failed: ${(err as Error).stack}\n`);
    }
  };

  await step('startup', async () => {
    const o = { runs: full ? 3 : 1 };
    const cmd = `npx tsx bench/startup.ts --runs=${o.runs}`;
    header('Benchmark 4: start-up (embedded npm start)', cmd);
    const x = await runStartup(o);
    printStartup(x, cmd);
    results.startup = x;
  });
  await step('intake', async () => {
    const o = full ? { n: 4000, concurrency: 20, rounds: 4 } : { n: 400, concurrency: 20, rounds: 2 };
    const cmd = `npx tsx bench/intake.ts --n=${o.n} --concurrency=${o.concurrency} --rounds=${o.rounds}`;
    header('Benchmark 1: intake vs raw workflow.start', cmd);
    const x = await runIntake(o);
    printIntake(x, cmd);
    results.intake = x;
  });
  await step('ledger', async () => {
    const o = full
      ? { n: 100_000, concurrency: 50, seconds: 15, pool: 10, thinkMs: 250 }
      : { n: 20_000, concurrency: 50, seconds: 3, pool: 10, thinkMs: 250 };
    const cmd = `npx tsx bench/ledger.ts --n=${o.n} --concurrency=${o.concurrency} --seconds=${o.seconds} --pool=${o.pool} --think=${o.thinkMs}`;
    header('Benchmark 3: ledger reads', cmd);
    const x = await runLedger(o);
    printLedger(x, cmd, full);
    results.ledger = x;
  });
  await step('fanout', async () => {
    const n = full ? 5000 : 200;
    // The settings BENCHMARKS.md §2 chose (cache below RSS 1 GiB, short sticky timeout).
    const o = {
      n,
      lead: full ? 240 : 30,
      cache: 500,
      activities: 100,
      pool: 10,
      stickyMs: 1000,
      wfTasks: 40,
    };
    const cmd = `npx tsx bench/fanout.ts --n=${o.n} --lead=${o.lead} --cache=${o.cache} --activities=${o.activities} --pool=${o.pool} --sticky=${o.stickyMs} --wf-tasks=${o.wfTasks}`;
    header('Benchmark 2: deadline fan-out', cmd);
    const x = await runFanout(o);
    printFanout(x, cmd);
    results.fanout = x;
  });

  results.finishedAt = new Date().toISOString();
  const dir = path.resolve(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}${full ? '-full' : ''}.json`);
  fs.writeFileSync(file, JSON.stringify(results, null, 2));
  process.stdout.write(`\nfigures written to ${path.relative(process.cwd(), file)}\n`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
