/**
 * Benchmark 3 — ledger reads. N clues in PostgreSQL (one generate_series insert, ~8 % overdue with
 * their escalation rows), the API as its own process, and 50 concurrent clients (closed loop):
 *
 *   ledger/coordinator  GET /api/v1/clues?grade=..&unit=..   walking up to 5 pages by cursor
 *   ledger/unit officer GET /api/v1/clues?grade=..           (visibility: own unit, lead or co-handling)
 *   overdue list        GET /api/v1/escalations               (leader)
 *
 * Baselines measured in the same run: the same SQL straight on PostgreSQL through a pool of the same
 * concurrency (the engine underneath), and `GET /api/v1/me` (HTTP + auth floor of this API).
 * The query plans (EXPLAIN ANALYZE, first page and a deep page) are printed at the end.
 *
 * Each API scenario runs twice: flat out (closed loop, the machine saturated) and with the same 50
 * clients pausing `--think` ms between requests, like people at desks.
 *
 *   npx tsx bench/ledger.ts [--n=100000] [--concurrency=50] [--seconds=20] [--pool=10] [--think=250]
 */
import pg from 'pg';
import { CLUE_STAGES, GRADES, KEY_AREAS, KEY_BEHAVIOURS, SOURCE_CHANNELS } from '../src/domain/enums';
import { waitForPort } from '../src/temporal/dev-server';
import {
  args,
  closedLoopFor,
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
  type BenchDb,
  type LoadResult,
  type Summary,
} from './lib';

/** The indexes added by src/db/migrations/Migration20261126040000_read_indexes.ts. */
const READ_INDEXES = ['escalations_status_level_desc_due_at_index', 'clues_created_at_id_index'];

const UNITS = [
  'tushan-scenic-area',
  'changhuai-town',
  'yanshan-town',
  'donghai-community',
  'market-regulation',
  'finance-bureau',
];

/** The list query exactly as api/routes/clues.ts builds it (checked against the API's answer at run time). */
export const LEDGER_SELECT = `select c.id, c.ref, c.subject_name, c.source_channel, c.key_area, c.key_behaviours, c.amount_cny, c.participants, c.risk_score,
        c.grade, c.key_clue, c.stage, c.nature, c.lead_unit_id, c.co_handling_unit_ids, c.overdue_level, c.next_due_at,
        c.duplicate_of_id, c.created_at
   from clues c`;
const ESCALATIONS_SQL = `select e.id, e.owner_type, e.owner_id, e.owner_ref, e.clock_id, e.task, e.unit_id, u.name_zh as unit_name_zh, u.name_en as unit_name_en,
        e.level, e.due_at, e.escalated_at, e.status, e.instruction, e.acknowledged_at,
        greatest(0, floor(extract(epoch from (now() - e.due_at)) / 86400))::int as days_overdue
   from escalations e left join units u on u.id = e.unit_id
  where ($1 = 'all' or e.status = $1)
  order by e.level desc, e.due_at asc limit $2`;

function ledgerSql(o: {
  officerUnit?: string;
  grade?: string;
  unit?: string;
  cursor?: { createdAt: string; id: string };
  limit: number;
}) {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => (params.push(v), `$${params.length}`);
  if (o.officerUnit)
    where.push(`(c.lead_unit_id = ${p(o.officerUnit)} or ${p(o.officerUnit)} = any(c.co_handling_unit_ids))`);
  else where.push('true');
  if (o.grade) where.push(`c.grade = ${p(o.grade)}`);
  if (o.unit) where.push(`(c.lead_unit_id = ${p(o.unit)} or ${p(o.unit)} = any(c.co_handling_unit_ids))`);
  if (o.cursor) where.push(`(c.created_at, c.id) < (${p(o.cursor.createdAt)}, ${p(o.cursor.id)})`);
  return {
    text: `${LEDGER_SELECT} where ${where.join(' and ')} order by c.created_at desc, c.id desc limit ${p(o.limit + 1)}`,
    params,
  };
}

/** Bulk data: one statement for the clues, one for their escalations. */
export async function seedLedger(
  db: Pick<BenchDb, 'q'>,
  n: number,
): Promise<{ clues: number; escalations: number; ms: number }> {
  const t0 = Date.now();
  const arr = (xs: readonly string[]) => `{${xs.join(',')}}`;
  // Independent, skewed attributes from hashes of the row number (reproducible, no correlation between
  // columns): grade I 5 %, II 15 %, III 40 %, IV 40 %; lead units weighted 30/25/15/15/10/5 %;
  // a fifth of the clues have one co-handling unit; 8 % are overdue (level 1–3).
  await db.q(
    `insert into clues (id, ref, seq, source_channel, description, subject_name, subject_name_norm, subject_kind, key_area, key_behaviours, online,
       amount_cny, participants, public_opinion, stability_risk, targets_vulnerable, lead_unit_id, co_handling_unit_ids, risk_score, grade, key_flag,
       key_clue, stage, overdue_level, next_due_at, created_by, created_at, updated_at, closed_at)
     select gen_random_uuid()::text, 'LG-' || lpad(g::text, 7, '0'), nextval('clue_seq'),
            (?::text[])[1 + h.h1 % ${SOURCE_CHANNELS.length}], 'ledger bench clue ' || g, 'Ledger Subject ' || g, 'ledger subject ' || g, 'enterprise',
            (?::text[])[1 + h.h2 % ${KEY_AREAS.length}], array[(?::text[])[1 + h.h3 % ${KEY_BEHAVIOURS.length}]], h.h4 % 3 = 0,
            1000 * (h.h5 % 5000), 10 + h.h5 % 900, 'local', 'medium', false,
            u.lead, case when h.h6 % 5 = 0 and u.co <> u.lead then array[u.co] else '{}'::text[] end,
            20 + h.h7 % 80,
            case when h.h8 % 100 < 5 then 'I' when h.h8 % 100 < 20 then 'II' when h.h8 % 100 < 60 then 'III' else 'IV' end,
            false, h.h9 % 17 = 0,
            (?::text[])[1 + h.h10 % ${CLUE_STAGES.length}], case when h.h11 % 100 < 8 then 1 + h.h11 % 3 else 0 end,
            now() + ((h.h12 % 40) - 10) * interval '1 day', 'u-coordinator',
            now() - (g / 2) * interval '5 minutes', now(), null
       from generate_series(1, ?::int) g,
            lateral (select abs(hashint4(g * 16 + 1)) h1, abs(hashint4(g * 16 + 2)) h2, abs(hashint4(g * 16 + 3)) h3, abs(hashint4(g * 16 + 4)) h4,
                            abs(hashint4(g * 16 + 5)) h5, abs(hashint4(g * 16 + 6)) h6, abs(hashint4(g * 16 + 7)) h7, abs(hashint4(g * 16 + 8)) h8,
                            abs(hashint4(g * 16 + 9)) h9, abs(hashint4(g * 16 + 10)) h10, abs(hashint4(g * 16 + 11)) h11, abs(hashint4(g * 16 + 12)) h12,
                            abs(hashint4(g * 16 + 13)) h13, abs(hashint4(g * 16 + 14)) h14) h,
            lateral (select case when h.h13 % 100 < 30 then 'tushan-scenic-area' when h.h13 % 100 < 55 then 'changhuai-town'
                                 when h.h13 % 100 < 70 then 'yanshan-town' when h.h13 % 100 < 85 then 'donghai-community'
                                 when h.h13 % 100 < 95 then 'market-regulation' else 'finance-bureau' end as lead,
                            (?::text[])[1 + h.h14 % ${UNITS.length}] as co) u`,
    [arr(SOURCE_CHANNELS), arr(KEY_AREAS), arr(KEY_BEHAVIOURS), arr(CLUE_STAGES), n, arr(UNITS)],
  );
  // Overdue clues: one open escalation at their current level, resolved ones below it.
  await db.q(
    `insert into escalations (key, owner_type, owner_id, owner_ref, clock_id, task, unit_id, level, due_at, escalated_at, status, resolved_at)
     select 'clue:' || c.id || ':verification-1:g0:L' || l, 'clue', c.id, c.ref, 'verification-1', 'verification', c.lead_unit_id, l,
            c.created_at + interval '10 days', c.created_at + interval '10 days' + (l - 1) * interval '2 days',
            case when l = c.overdue_level then 'open' else 'resolved' end,
            case when l = c.overdue_level then null else c.created_at + interval '10 days' + l * interval '2 days' end
       from clues c, generate_series(1, c.overdue_level) l
      where c.overdue_level > 0`,
  );
  await db.q('analyze clues');
  await db.q('analyze escalations');
  const [{ c = 0, e = 0 } = {}] = await db.q<{ c: number; e: number }[]>(
    `select (select count(*)::int from clues) as c, (select count(*)::int from escalations) as e`,
  );
  return { clues: c, escalations: e, ms: Date.now() - t0 };
}

export interface LedgerResult {
  n: number;
  concurrency: number;
  seed: { clues: number; escalations: number; ms: number };
  scenarios: {
    name: string;
    perSec: number;
    s: Summary;
    errors: number;
    sample?: string;
    /** Machine CPU busy (all cores), and the API process and this load generator in cores. */
    cpu: { machineBusyPct: number; apiCores: number; loadGenCores: number };
  }[];
  plans: { name: string; plan: string; without: string }[];
  replicaMatches: boolean;
  load: { before: string; after: string };
}

export async function runLedger(o: {
  n: number;
  concurrency: number;
  seconds: number;
  pool: number;
  thinkMs: number;
  profileDir?: string;
}): Promise<LedgerResult> {
  const loadBefore = loadAvg();
  const temporal = await startTemporal();
  const db = await freshDb('bench_ledger');
  const port = await freePort();
  const seed = await seedLedger(db, o.n);
  // --profile: the API runs under the V8 CPU profiler (bench/profile-summary.ts reads the result).
  const api = spawnChild(
    o.profileDir
      ? [process.execPath, '--cpu-prof', `--cpu-prof-dir=${o.profileDir}`, '--import', 'tsx', 'api/main.ts']
      : 'api/main.ts',
    {
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: temporal.address,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '10000000',
      DATABASE_POOL_MAX: String(o.pool),
    },
  );
  const http = httpClient(`http://127.0.0.1:${port}`, o.concurrency * 2);
  // Same pool size as the API's, so the baseline is the engine at the same concurrency, not 50 backends on 2 cores.
  const pool = new pg.Pool({ connectionString: db.url, max: o.pool });
  try {
    await Promise.race([
      waitForPort(port, '127.0.0.1', 120_000),
      api.exited.then((c) => Promise.reject(new Error(`api exited ${c}: ${api.output()}`))),
    ]);
    const auth = (u: string) => ({ authorization: `Bearer ${db.tokens[u]!}` });
    const get = async (u: string, path: string) => {
      const r = await http.request('GET', path, undefined, auth(u));
      if (r.status !== 200) throw new Error(`HTTP ${r.status} ${path}: ${r.text.slice(0, 200)}`);
      return r.json<{ items: { id: string }[]; nextCursor?: string | null }>();
    };
    const pick = <T>(xs: readonly T[], i: number) => xs[i % xs.length]!;

    // The replica of the list query must return what the API returns.
    const apiPage = await get('u-coordinator', '/api/v1/clues?grade=II&unit=changhuai-town');
    const q0 = ledgerSql({ grade: 'II', unit: 'changhuai-town', limit: 50 });
    const replica = (await pool.query<{ id: string }>(q0.text, q0.params)).rows.slice(0, 50);
    const replicaMatches =
      JSON.stringify(replica.map((r) => r.id)) === JSON.stringify(apiPage.items.map((r) => r.id));

    /** One client step = one request; a client walks up to 5 pages, then starts over with other filters. */
    const walker = (user: string, build: (i: number) => string) => {
      const state = new Map<number, { base: string; cursor?: string | null; page: number }>();
      let lane = 0;
      return async (i: number) => {
        const id = i % o.concurrency;
        let s = state.get(id);
        if (!s || s.page >= 5 || s.cursor === null) s = { base: build(i + lane++), page: 0 };
        const url = s.cursor ? `${s.base}&cursor=${encodeURIComponent(s.cursor)}` : s.base;
        const body = await get(user, url);
        state.set(id, { base: s.base, cursor: body.nextCursor ?? null, page: s.page + 1 });
      };
    };
    const scenarios: LedgerResult['scenarios'] = [];
    const run = async (name: string, fn: (i: number) => Promise<void>) => {
      await closedLoopFor(Math.min(3000, o.seconds * 200), o.concurrency, fn); // warm-up
      const c0 = cpuSnapshot([api.pid, process.pid]);
      const r: LoadResult = await closedLoopFor(o.seconds * 1000, o.concurrency, fn);
      const cpu = cpuBetween(c0, cpuSnapshot([api.pid, process.pid]), r.wallMs);
      scenarios.push({
        name,
        perSec: r.perSecond,
        s: summarize(r.latencies),
        errors: r.errors,
        sample: r.errorSamples[0],
        cpu: { machineBusyPct: cpu.busyPct, apiCores: cpu.cores[0] ?? 0, loadGenCores: cpu.cores[1] ?? 0 },
      });
      // The same clients as people at desks: each pauses about `think` ms between requests (not timed).
      if (o.thinkMs > 0 && !name.startsWith('baseline')) {
        const c1 = cpuSnapshot([api.pid, process.pid]);
        const p = await closedLoopFor(o.seconds * 1000, o.concurrency, fn, o.thinkMs);
        const pc = cpuBetween(c1, cpuSnapshot([api.pid, process.pid]), p.wallMs);
        scenarios.push({
          name: `${name}, ${o.thinkMs} ms think`,
          perSec: p.perSecond,
          s: summarize(p.latencies),
          errors: p.errors,
          sample: p.errorSamples[0],
          cpu: { machineBusyPct: pc.busyPct, apiCores: pc.cores[0] ?? 0, loadGenCores: pc.cores[1] ?? 0 },
        });
      }
    };
    await run('baseline: GET /api/v1/me (HTTP+auth floor)', async () => {
      await get('u-coordinator', '/api/v1/me');
    });
    await run('baseline: ledger SQL on PostgreSQL', async (i) => {
      const q = ledgerSql({ grade: pick(GRADES, i), unit: pick(UNITS, i >> 2), limit: 50 });
      await pool.query(q.text, q.params);
    });
    await run(
      'ledger, coordinator (grade+unit, cursor)',
      walker('u-coordinator', (i) => `/api/v1/clues?grade=${pick(GRADES, i)}&unit=${pick(UNITS, i >> 2)}`),
    );
    await run(
      'ledger, unit officer (grade, cursor)',
      walker('u-tushan', (i) => `/api/v1/clues?grade=${pick(GRADES, i)}`),
    );
    await run('overdue list GET /api/v1/escalations', async () => {
      await get('u-leader', '/api/v1/escalations');
    });
    await run('baseline: escalations SQL on PostgreSQL', async () => {
      await pool.query(ESCALATIONS_SQL, ['open', 100]);
    });

    // Plans: first page and a page ~40 pages deep, for both list shapes; and the overdue list.
    // Each plan twice: as migrated, and without the read indexes of Migration20261126040000 (dropped
    // inside a transaction that is rolled back), so the effect of the migration is shown in one run.
    const explain = async (name: string, q: { text: string; params: unknown[] }) => {
      const c = await pool.connect();
      try {
        const run = async () =>
          (await c.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${q.text}`, q.params)).rows
            .map((x) => x['QUERY PLAN'])
            .join('\n');
        await run(); // warm the cache so both plans see the same buffers
        const withIdx = await run();
        await c.query('begin');
        for (const ix of READ_INDEXES) await c.query(`drop index if exists "${ix}"`);
        const without = await run();
        await c.query('rollback');
        return { name, plan: withIdx, without };
      } finally {
        c.release();
      }
    };
    const deepCursor = async (o2: { grade: string; unit?: string; officerUnit?: string }) => {
      const q = ledgerSql({ ...o2, limit: 2000 });
      const rows = (
        await pool.query<{ id: string; created_at: Date }>(
          q.text.replace(
            'c.created_at\n',
            'to_char(c.created_at at time zone \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\') as created_at\n',
          ),
          q.params,
        )
      ).rows;
      const last = rows[rows.length - 1];
      return last ? { createdAt: String(last.created_at), id: last.id } : undefined;
    };
    const plans = [
      await explain('ledger, coordinator, no filter, page 1', ledgerSql({ limit: 50 })),
      await explain(
        'ledger, coordinator, rare combination (grade I, finance-bureau), page 1',
        ledgerSql({ grade: 'I', unit: 'finance-bureau', limit: 50 }),
      ),
      await explain(
        'ledger, coordinator, grade+unit, page 1',
        ledgerSql({ grade: 'II', unit: 'changhuai-town', limit: 50 }),
      ),
      await explain(
        'ledger, coordinator, grade+unit, ~40 pages deep',
        ledgerSql({
          grade: 'II',
          unit: 'changhuai-town',
          limit: 50,
          cursor: await deepCursor({ grade: 'II', unit: 'changhuai-town' }),
        }),
      ),
      await explain(
        'ledger, unit officer, grade, page 1',
        ledgerSql({ officerUnit: 'tushan-scenic-area', grade: 'III', limit: 50 }),
      ),
      await explain(
        'ledger, unit officer, grade, ~40 pages deep',
        ledgerSql({
          officerUnit: 'tushan-scenic-area',
          grade: 'III',
          limit: 50,
          cursor: await deepCursor({ grade: 'III', officerUnit: 'tushan-scenic-area' }),
        }),
      ),
      await explain('overdue list', { text: ESCALATIONS_SQL, params: ['open', 100] }),
    ];
    return {
      n: o.n,
      concurrency: o.concurrency,
      seed,
      scenarios,
      plans,
      replicaMatches,
      load: { before: loadBefore, after: loadAvg() },
    };
  } finally {
    http.close();
    await pool.end();
    await api.kill();
    await db.close();
    await temporal.stop();
  }
}

export function printLedger(x: LedgerResult, command: string, withPlans = true): void {
  line(
    'data',
    `${x.seed.clues} clues, ${x.seed.escalations} escalation rows (inserted in ${(x.seed.ms / 1000).toFixed(1)} s)`,
  );
  line('clients', `${x.concurrency} concurrent (closed loop)`);
  for (const s of x.scenarios)
    line(
      s.name,
      `${s.perSec.toFixed(0)} req/s; ${fmtSummary(s.s)}; CPU: machine ${s.cpu.machineBusyPct.toFixed(0)} % busy, API ${s.cpu.apiCores.toFixed(2)} cores, load generator ${s.cpu.loadGenCores.toFixed(2)}${s.errors ? `; ${s.errors} errors e.g. ${s.sample}` : ''}`,
    );
  const api = x.scenarios.filter((s) => !s.name.startsWith('baseline'));
  const sqlBase = x.scenarios.find((s) => s.name === 'baseline: ledger SQL on PostgreSQL');
  const coord = x.scenarios.find((s) => s.name.startsWith('ledger, coordinator'));
  if (sqlBase && coord) line('ratio API/raw SQL throughput', (coord.perSec / sqlBase.perSec).toFixed(2));
  for (const s of api) line(`target p95 ≤ 50 ms: ${s.name}`.slice(0, 80), s.s.p95 <= 50 ? 'MET' : 'NOT MET');
  line('replica SQL = API answer', x.replicaMatches ? 'yes' : 'NO (the route changed; update LEDGER_SELECT)');
  line('load avg before / after', `${x.load.before} / ${x.load.after}`);
  line('reproduce', command);
  const exec = (plan: string) => /Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? '?';
  for (const p of x.plans)
    line(
      `plan: ${p.name}`.slice(0, 80),
      `${exec(p.plan)} ms (without the read indexes: ${exec(p.without)} ms)`,
    );
  if (withPlans) {
    for (const p of x.plans) {
      process.stdout.write(`\n--- EXPLAIN ANALYZE: ${p.name}\n${p.plan}\n`);
      process.stdout.write(`\n--- EXPLAIN ANALYZE without the read indexes: ${p.name}\n${p.without}\n`);
    }
  }
}

if (require.main === module) {
  const a = args();
  const o = {
    n: num(a, 'n', 100_000),
    concurrency: num(a, 'concurrency', 50),
    seconds: num(a, 'seconds', 10),
    pool: num(a, 'pool', 10),
    thinkMs: num(a, 'think', 250),
    profileDir: a.profile,
  };
  const command = `npx tsx bench/ledger.ts --n=${o.n} --concurrency=${o.concurrency} --seconds=${o.seconds} --pool=${o.pool} --think=${o.thinkMs}`;
  header('Benchmark 3: ledger reads', command);
  runLedger(o)
    .then((x) => {
      printLedger(x, command);
      process.exit(0);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(1);
    });
}
