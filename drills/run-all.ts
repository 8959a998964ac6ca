/**
 * Every fault drill, one after another, at the sizes of issue 7 (allow ~20 minutes), or `--short` for
 * the CI sizes. `--only=worker-kill,temporal-restart,pg-outage,smtp-outage,api-restart` picks some.
 * Exit code 1 if any drill lost or doubled anything.
 *
 * `--topology=cluster` runs drills 1–3 on the production topology (scripts/cluster: temporal-server on
 * PostgreSQL); drills 4 and 5 exist for the dev stack only.
 *
 *   npx tsx drills/run-all.ts [--short] [--only=...] [--topology=dev|cluster]
 */
import { args, header, quietTemporal } from '../bench/lib';
import { topologyArg } from './lib';
import { printApiRestart, runApiRestart } from './api-restart';
import { printPgOutage, runPgOutage } from './pg-outage';
import { printSmtpOutage, runSmtpOutage } from './smtp-outage';
import { printTemporalRestart, runTemporalRestart } from './temporal-restart';
import { printWorkerKill, runWorkerKill } from './worker-kill';

async function main() {
  const a = args();
  const short = a.short === 'true';
  const topology = topologyArg(a);
  const cluster = topology === 'cluster';
  const suffix = cluster ? ' --topology=cluster' : '';
  const only = new Set(
    (
      a.only ??
      (cluster
        ? 'worker-kill,temporal-restart,pg-outage'
        : 'worker-kill,temporal-restart,pg-outage,smtp-outage,api-restart')
    ).split(','),
  );
  for (const d of ['smtp-outage', 'api-restart']) {
    if (cluster && only.has(d)) throw new Error(`${d}: dev topology only`);
  }
  quietTemporal();
  const verdicts: [string, boolean][] = [];
  const step = async (name: string, title: string, command: string, fn: () => Promise<boolean>) => {
    if (!only.has(name)) return;
    header(title, command);
    try {
      verdicts.push([name, await fn()]);
    } catch (err) {
      process.stderr.write(`${name} failed to run: ${(err as Error).stack}\n`);
      verdicts.push([name, false]);
    }
  };
  {
    const o = short ? { n: 50, killAt: 0.3, downSeconds: 3 } : { n: 500, killAt: 0.4, downSeconds: 5 };
    const cmd = `npx tsx drills/worker-kill.ts --n=${o.n} --kill-at=${o.killAt} --down=${o.downSeconds}${suffix}`;
    await step('worker-kill', 'Drill 1: kill -9 the worker mid-run', cmd, async () => {
      const x = await runWorkerKill({ ...o, topology });
      printWorkerKill(x, cmd);
      return x.pass;
    });
  }
  {
    const o = short
      ? { n: 40, downSeconds: 8, signal: 'SIGTERM' as const }
      : { n: 200, downSeconds: 15, signal: 'SIGKILL' as const };
    const cmd = `npx tsx drills/temporal-restart.ts --n=${o.n} --down=${o.downSeconds} --signal=${o.signal}${suffix}`;
    const title = cluster
      ? 'Drill 2: restart temporal-server mid-run'
      : 'Drill 2: restart the Temporal dev server mid-run';
    await step('temporal-restart', title, cmd, async () => {
      const x = await runTemporalRestart({ ...o, topology });
      printTemporalRestart(x, cmd);
      return x.pass;
    });
  }
  {
    const o = short
      ? { seconds: 30, cutAt: 5, downSeconds: 10, clients: 2 }
      : { seconds: 60, cutAt: 10, downSeconds: 30, clients: 4 };
    const cmd = `npx tsx drills/pg-outage.ts --seconds=${o.seconds} --cut-at=${o.cutAt} --down=${o.downSeconds} --clients=${o.clients}${suffix}`;
    await step('pg-outage', 'Drill 3: PostgreSQL unavailable', cmd, async () => {
      const x = await runPgOutage({ ...o, topology });
      printPgOutage(x, cmd);
      return x.pass;
    });
  }
  {
    const o = short
      ? { n: 30, downSeconds: 10, phaseSeconds: 6 }
      : { n: 200, downSeconds: 60, phaseSeconds: 20 };
    const cmd = `npx tsx drills/smtp-outage.ts --n=${o.n} --down=${o.downSeconds} --phase=${o.phaseSeconds}`;
    await step('smtp-outage', 'Drill 4: SMTP down, 421, dropped after DATA', cmd, async () => {
      const x = await runSmtpOutage(o);
      printSmtpOutage(x, cmd);
      return x.pass;
    });
  }
  {
    const o = short
      ? { rows: 120, killAt: 0.33, signal: 'SIGKILL' as const }
      : { rows: 500, killAt: 0.33, signal: 'SIGKILL' as const };
    const cmd = `npx tsx drills/api-restart.ts --rows=${o.rows} --kill-at=${o.killAt} --signal=${o.signal}`;
    await step('api-restart', 'Drill 5: API restarted during a bulk import', cmd, async () => {
      const x = await runApiRestart(o);
      printApiRestart(x, cmd);
      return x.pass;
    });
  }
  process.stdout.write(`\n${verdicts.map(([n, ok]) => `${n}: ${ok ? 'PASS' : 'FAIL'}`).join('\n')}\n`);
  process.exit(verdicts.every(([, ok]) => ok) ? 0 : 1);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
