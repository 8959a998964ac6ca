/**
 * Drill 5 — the API is restarted while a bulk import (`POST /api/v1/clues/import`, one CSV of N rows,
 * registered row by row) is running. The API is its own process (`api/main.ts`); it is killed (SIGKILL
 * by default: a crash, the hard case — SIGTERM lets the request finish) when about a third of the rows
 * are in, started again, and the client posts the same file again, as a client whose request failed
 * does. Each row's import key is sha256(file) + row number, so: no row registered twice, none lost,
 * every row's workflow started (a row stored just before the crash gets its workflow on the retry)
 * and in its end state, its emails sent once.
 *
 *   npx tsx drills/api-restart.ts [--rows=500] [--kill-at=0.33] [--signal=SIGKILL]
 */
import { waitForPort } from '../src/temporal/dev-server';
import {
  args,
  freePort,
  header,
  httpClient,
  line,
  num,
  quietTemporal,
  sleep,
  spawnChild,
  type Child,
} from '../bench/lib';
import { clean, DRILL_POLICY, log, printTally, settle, startStack, type Tally } from './lib';

export interface ApiRestartResult {
  rows: number;
  signal: string;
  rowsBeforeKill: number;
  /** Rows in the database without a workflow right after the crash. */
  withoutWorkflow: number;
  firstAttempt: string;
  retryReport: Record<string, number>;
  tally: Tally;
  pass: boolean;
}

export function importCsv(rows: number, tag: string): string {
  const head =
    'sourceChannel,description,subjectName,subjectKind,keyArea,keyBehaviours,online,amountCny,participants,publicOpinion,stabilityRisk,leadUnitId';
  const lines = [head];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `mass_report,Imported drill clue ${i},Import Subject ${tag}-${i},enterprise,elderly_care,targets_elderly,false,${500_000 + i},${20 + (i % 50)},local,medium,tushan-scenic-area`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function runApiRestart(o: {
  rows: number;
  killAt: number;
  signal: NodeJS.Signals;
  timeoutMs?: number;
}): Promise<ApiRestartResult> {
  const stack = await startStack('api-restart');
  const port = await freePort();
  const apiEnv = {
    DATABASE_URL: stack.db.url,
    TEMPORAL_ADDRESS: stack.temporal.address,
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000',
    REQUEST_TIMEOUT_MS: '120000',
    DEADLINE_POLICY: JSON.stringify(DRILL_POLICY),
  };
  const startApi = async (): Promise<Child> => {
    const c = spawnChild('api/main.ts', apiEnv);
    await Promise.race([
      waitForPort(port, '127.0.0.1', 120_000),
      c.exited.then((code) => Promise.reject(new Error(`api exited ${code}: ${c.output()}`))),
    ]);
    return c;
  };
  let api: Child | undefined;
  const http = httpClient(`http://127.0.0.1:${port}`, 4);
  try {
    await stack.startWorker();
    api = await startApi();
    const tag = `ar${Date.now().toString(36)}`;
    const body = {
      filename: `drill-${tag}.csv`,
      contentBase64: Buffer.from(importCsv(o.rows, tag)).toString('base64'),
    };
    const auth = { authorization: `Bearer ${stack.db.tokens['u-coordinator']!}` };
    const post = () => http.request('POST', '/api/v1/clues/import', body, auth, 300_000);
    const first = post().then(
      (r) => `HTTP ${r.status}`,
      (err: unknown) => `failed: ${(err as Error).message}`,
    );
    const count = async () =>
      (
        await stack.db.q<{ c: number }[]>(
          `select count(*)::int as c from clues where import_key like 'import:%'`,
        )
      )[0]?.c ?? 0;
    const killAt = Math.max(1, Math.floor(o.rows * o.killAt));
    while ((await count()) < killAt) await sleep(20);
    await api.kill(o.signal);
    const rowsBeforeKill = await count();
    const firstAttempt = await first;
    // Rows stored just before the crash whose workflow start never happened (the retry must start them).
    const stored = await stack.db.q<{ id: string }[]>(
      `select id from clues where import_key like 'import:%'`,
    );
    let withoutWorkflow = 0;
    for (const r of stored) {
      try {
        await stack.client.workflow.getHandle(`clue-${r.id}`).describe();
      } catch {
        withoutWorkflow += 1;
      }
    }
    log(
      `API stopped (${o.signal}) with ${rowsBeforeKill} of ${o.rows} rows in; the import request ${firstAttempt}`,
    );
    api = await startApi();
    log('API started again; posting the same file');
    const r = await post();
    if (r.status !== 200 && r.status !== 201)
      throw new Error(`re-import answered HTTP ${r.status}: ${r.text.slice(0, 300)}`);
    const report = r.json<{ rows?: { status: string }[]; items?: { status: string }[] }>();
    const rowsOut = report.rows ?? report.items ?? [];
    const retryReport: Record<string, number> = {};
    for (const x of rowsOut) retryReport[x.status] = (retryReport[x.status] ?? 0) + 1;
    const t = await settle(stack, o.rows, 'import:', new Map(), o.timeoutMs ?? 240_000, 'import_key');
    const pass = clean(t) && (retryReport.registered ?? 0) + (retryReport.already_imported ?? 0) === o.rows;
    return {
      rows: o.rows,
      signal: o.signal,
      rowsBeforeKill,
      withoutWorkflow,
      firstAttempt,
      retryReport,
      tally: t,
      pass,
    };
  } finally {
    http.close();
    await api?.kill();
    await stack.close();
  }
}

export function printApiRestart(x: ApiRestartResult, command: string): void {
  line('rows in the file', String(x.rows));
  line('API stopped with', `${x.signal} after ${x.rowsBeforeKill} rows; first request ${x.firstAttempt}`);
  line(
    'same file posted again',
    Object.entries(x.retryReport)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  );
  printTally(x.tally);
  line('verdict (incl. the report)', x.pass ? 'PASS' : 'FAIL');
  line('reproduce', command);
}

if (require.main === module) {
  const a = args();
  const o = {
    rows: num(a, 'rows', 500),
    killAt: num(a, 'kill-at', 0.33),
    signal: (a.signal ?? 'SIGKILL') as NodeJS.Signals,
  };
  const command = `npx tsx drills/api-restart.ts --rows=${o.rows} --kill-at=${o.killAt} --signal=${o.signal}`;
  quietTemporal();
  header('Drill 5: API restarted during a bulk import', command);
  runApiRestart(o)
    .then((x) => {
      printApiRestart(x, command);
      process.exit(x.pass ? 0 : 1);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(1);
    });
}
