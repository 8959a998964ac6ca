/**
 * Drill 3 — PostgreSQL unavailable for 30 s during a run. The API (in this process) and the worker
 * (its own process) reach PostgreSQL only through an in-process TCP proxy; the drill cuts the proxy
 * (connections reset, new ones refused) — the machine's PostgreSQL is never touched.
 *
 * Load: clients register clues through `POST /api/v1/clues` with Idempotency-Keys and read the
 * ledger; a 503 is retried with the same key after its Retry-After. During the cut every answer must
 * be 503 with Retry-After (never 500); afterwards the API and the activities recover by themselves
 * and every key ends with exactly one row, its workflow in its end state, its emails sent once.
 *
 * On `--topology=cluster` the proxy carries temporal-server's connections too (its persistence and
 * SQL visibility are on the same PostgreSQL), and the load goes to the cluster's API process.
 *
 *   npx tsx drills/pg-outage.ts [--seconds=60] [--cut-at=10] [--down=30] [--clients=4] [--topology=dev|cluster]
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../api/app';
import { fullApiExtras } from '../api/extras';
import type { AppContext } from '../src/context';
import { initORM } from '../src/db/orm';
import { args, header, httpClient, line, num, quietTemporal, sleep } from '../bench/lib';
import {
  clean,
  drillIntake,
  log,
  printTally,
  startStack,
  settle,
  topologyArg,
  type Tally,
  type Topology,
} from './lib';

export interface PgOutageResult {
  registered: number;
  duringCut: { requests: number; by: Record<string, number>; withoutRetryAfter: number };
  outsideCut: { requests: number; by: Record<string, number> };
  firstSuccessAfterRestoreMs: number | null;
  tally: Tally;
  pass: boolean;
}

export async function runPgOutage(o: {
  seconds: number;
  cutAt: number;
  downSeconds: number;
  clients: number;
  timeoutMs?: number;
  topology?: Topology;
}): Promise<PgOutageResult> {
  const stack = await startStack('pg-outage', { topology: o.topology });
  // The cluster has the API as its own process; the dev stack runs it here, through the proxy.
  let apiOrm: Awaited<ReturnType<typeof initORM>> | undefined;
  let server: Server | undefined;
  let base = stack.apiBase;
  if (!base) {
    apiOrm = await initORM({ url: stack.proxiedDbUrl, poolMax: 10, migrate: false });
    const ctx: AppContext = { ...stack.ctx, orm: apiOrm };
    const s = createApp(ctx, fullApiExtras).listen(0, '127.0.0.1');
    server = s;
    await new Promise<void>((r) => s.once('listening', () => r()));
    base = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  }
  const http = httpClient(base, 32);
  const token = stack.db.tokens['u-coordinator']!;
  const tag = `pg${Date.now().toString(36)}`;
  const during = { requests: 0, by: {} as Record<string, number>, withoutRetryAfter: 0 };
  const outside = { requests: 0, by: {} as Record<string, number> };
  let cut = false;
  let restoredAt = 0;
  let firstSuccessAfterRestore: number | null = null;
  const count = (status: number, retryAfter: string | undefined) => {
    const bucket = cut ? during : outside;
    bucket.requests += 1;
    bucket.by[String(status)] = (bucket.by[String(status)] ?? 0) + 1;
    if (cut && status === 503 && !retryAfter) during.withoutRetryAfter += 1;
    if (!cut && restoredAt && status < 300 && firstSuccessAfterRestore === null)
      firstSuccessAfterRestore = Date.now() - restoredAt;
  };
  try {
    await stack.startWorker();
    const t0 = Date.now();
    const stopAt = t0 + o.seconds * 1000;
    let next = 0;
    const writer = async () => {
      while (Date.now() < stopAt) {
        const i = next++;
        // Retry the same key until it is registered (a real client does the same).
        for (;;) {
          let status = 0;
          let retryAfter: string | undefined;
          try {
            const r = await http.request('POST', '/api/v1/clues', drillIntake(i, tag), {
              authorization: `Bearer ${token}`,
              'idempotency-key': `${tag}-${i}`,
            });
            status = r.status;
            retryAfter = r.headers['retry-after'] as string | undefined;
          } catch {
            status = -1; // connection-level failure of the API itself
          }
          count(status, retryAfter);
          if (status === 201 || status === 200) break;
          await sleep(status === 503 ? Math.min(5, Number(retryAfter ?? 1)) * 1000 : 1000);
        }
        await sleep(200);
      }
    };
    const reader = async () => {
      while (Date.now() < stopAt) {
        try {
          const r = await http.request('GET', '/api/v1/clues?limit=20', undefined, {
            authorization: `Bearer ${token}`,
          });
          count(r.status, r.headers['retry-after'] as string | undefined);
        } catch {
          count(-1, undefined);
        }
        await sleep(500);
      }
    };
    const fault = (async () => {
      await sleep(o.cutAt * 1000);
      cut = true;
      await stack.pgProxy.cut();
      log(`PostgreSQL cut for ${o.downSeconds} s`);
      await sleep(o.downSeconds * 1000);
      await stack.pgProxy.restore();
      cut = false;
      restoredAt = Date.now();
      log('PostgreSQL reachable again');
    })();
    await Promise.all([...Array.from({ length: o.clients }, writer), reader(), fault]);
    const n = next;
    log(`${n} clues registered; waiting for their end state`);
    const t = await settle(
      stack,
      n,
      `u-coordinator:${tag}-`,
      new Map(),
      o.timeoutMs ?? (stack.topology === 'cluster' ? 600_000 : 240_000),
    );
    const pass =
      clean(t) &&
      !during.by['500'] &&
      !outside.by['500'] &&
      during.withoutRetryAfter === 0 &&
      firstSuccessAfterRestore !== null;
    return {
      registered: n,
      duringCut: during,
      outsideCut: outside,
      firstSuccessAfterRestoreMs: firstSuccessAfterRestore,
      tally: t,
      pass,
    };
  } finally {
    http.close();
    if (server) {
      const s = server;
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
    await apiOrm?.close(true);
    await stack.close();
  }
}

export function printPgOutage(x: PgOutageResult, command: string): void {
  const fmt = (by: Record<string, number>) =>
    Object.entries(by)
      .map(([k, v]) => `${k === '-1' ? 'no answer' : k}×${v}`)
      .join(', ');
  line('clues registered (keys)', String(x.registered));
  line(
    'API answers during the cut',
    `${x.duringCut.requests}: ${fmt(x.duringCut.by)}; 503 without Retry-After: ${x.duringCut.withoutRetryAfter}`,
  );
  line('API answers outside the cut', `${x.outsideCut.requests}: ${fmt(x.outsideCut.by)}`);
  line(
    'first success after restore',
    x.firstSuccessAfterRestoreMs === null ? 'never' : `${(x.firstSuccessAfterRestoreMs / 1000).toFixed(1)} s`,
  );
  printTally(x.tally);
  line('verdict (incl. no 500, Retry-After)', x.pass ? 'PASS' : 'FAIL');
  line('reproduce', command);
}

if (require.main === module) {
  const a = args();
  const o = {
    seconds: num(a, 'seconds', 60),
    cutAt: num(a, 'cut-at', 10),
    downSeconds: num(a, 'down', 30),
    clients: num(a, 'clients', 4),
    topology: topologyArg(a),
  };
  const command = `npx tsx drills/pg-outage.ts --seconds=${o.seconds} --cut-at=${o.cutAt} --down=${o.downSeconds} --clients=${o.clients}${o.topology === 'cluster' ? ' --topology=cluster' : ''}`;
  quietTemporal();
  header(
    `Drill 3: PostgreSQL unavailable for ${o.downSeconds} s${o.topology === 'cluster' ? ' (cluster: Temporal’s store too)' : ''}`,
    command,
  );
  runPgOutage(o)
    .then((x) => {
      printPgOutage(x, command);
      process.exit(x.pass ? 0 : 1);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(1);
    });
}
