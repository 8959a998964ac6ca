/**
 * The production topology (scripts/cluster): temporal-server built from source on PostgreSQL with SQL
 * visibility, the API and a worker as separate processes configured as in docker-compose.yml, a real
 * SMTP server. A seconds policy makes a clue's verification due a few seconds after registration, so a
 * level-1 escalation happens in real time on the real server (no time skipping exists there). Needs Go
 * (or a cached build): without it `build()` fails the suite, naming what to install.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import {
  build,
  down,
  isBuilt,
  TEMPORAL_SERVER_VERSION,
  up,
  type ClusterState,
} from '../../scripts/cluster/cluster';
import { clueWorkflowId } from '../../src/services/clues';
import {
  SA_GRADE,
  SA_LEAD_UNIT,
  SA_NEXT_DUE_TIME,
  SA_OVERDUE_LEVEL,
  SA_STAGE,
  SEARCH_ATTRIBUTES,
} from '../../src/temporal/search-attributes';
import { intakeBody } from '../helpers/app';
import { eventually, PG_SERVER, startSmtp, type TestSmtp } from '../helpers/services';

/** Verification due 5 s after registration; level 1 at once, the later rungs far beyond the test. */
const POLICY = JSON.stringify({
  preset: 'seconds',
  tiers: { verification: 'PT5S' },
  reminders: ['PT2S'],
  escalation: ['PT0S', 'PT1H', 'PT2H'],
});

/** The server-side type each of the product's search attribute types must have. */
const T = temporal.api.enums.v1.IndexedValueType;
const INDEXED: Record<string, number> = {
  KEYWORD: T.INDEXED_VALUE_TYPE_KEYWORD,
  INT: T.INDEXED_VALUE_TYPE_INT,
  DATETIME: T.INDEXED_VALUE_TYPE_DATETIME,
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'disposal-cluster-test-'));
let cluster: ClusterState;
let smtp: TestSmtp;
let connection: Connection;
let client: Client;
let tokens: Record<string, string>;
const lines: string[] = [];

// .ci/run builds in its install phase; a machine without the cached build builds here (cold: minutes).
beforeAll(
  async () => {
    await build((l) => lines.push(l));
  },
  isBuilt() ? 60_000 : 45 * 60_000,
);

beforeAll(async () => {
  smtp = await startSmtp();
  cluster = await up({
    dir,
    shards: 4,
    workers: 1,
    pgUrl: PG_SERVER,
    dbPrefix: `ctest_${process.pid}_`,
    smtpUrl: smtp.url,
    env: { DEADLINE_POLICY: POLICY, LOG_LEVEL: 'warn' },
    log: (l) => lines.push(l),
  });
  connection = await Connection.connect({ address: cluster.temporalAddress });
  client = new Client({ connection, namespace: cluster.namespace });
  tokens = JSON.parse(fs.readFileSync(path.join(dir, 'tokens.json'), 'utf8')) as Record<string, string>;
}, 420_000);

afterAll(async () => {
  await connection?.close();
  await down({ dir, drop: true, log: (l) => lines.push(l) });
  await smtp?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`cluster: ${lines.join('\n  ')}\n`);
}, 120_000);

async function call(user: string, method: string, p: string, body?: unknown) {
  const res = await fetch(`${cluster.apiUrl}${p}`, {
    method,
    headers: {
      authorization: `Bearer ${tokens[user]}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
  return { status: res.status, body: (await res.json()) as any };
}

async function listIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of client.workflow.list({ query })) ids.push(w.workflowId);
  return ids;
}

describe('the cluster path: temporal-server on PostgreSQL with the API and the worker as separate processes', () => {
  test('given the cluster is up, then it runs the pinned server version on SQL visibility with every search attribute the product registers', async () => {
    expect(cluster.version).toBe(TEMPORAL_SERVER_VERSION);
    const info = await connection.workflowService.getSystemInfo({});
    expect(info.serverVersion).toBe(TEMPORAL_SERVER_VERSION.replace(/^v/, ''));
    const ns = await connection.workflowService.describeNamespace({ namespace: cluster.namespace });
    expect(ns.namespaceInfo?.name).toBe('default');
    const sas = await connection.operatorService.listSearchAttributes({ namespace: cluster.namespace });
    expect(sas.storageSchema).toEqual({});
    for (const sa of SEARCH_ATTRIBUTES) {
      expect([sa.name, sas.customAttributes?.[sa.name]]).toEqual([sa.name, INDEXED[sa.type]]);
    }
    // Separate processes: the API and the worker are not the test's process nor each other.
    expect(
      new Set([process.pid, cluster.pids.api, ...cluster.pids.workers, cluster.pids.temporal]).size,
    ).toBe(4);
  });

  test('given a seconds policy, when a clue registered through the API is left unverified, then it is escalated to level 1 by email, in the escalation list, and on SQL visibility through OverdueLevel > 0 and every other search attribute', async () => {
    const reg = await call('u-coordinator', 'POST', '/clues', intakeBody());
    expect(reg.status).toBe(201);
    const id = reg.body.id as string;
    const ref = reg.body.ref as string;
    const wfId = clueWorkflowId(id);

    // Level 1 by email (the worker process sent it), each recipient once.
    const level1 = () => smtp.mails.filter((m) => /^【一级督办】/.test(m.subject) && m.subject.includes(ref));
    await eventually(
      () =>
        expect(
          level1()
            .map((m) => m.to)
            .flat(),
        ).toContain('tushan@district.local'),
      60_000,
      250,
    );
    // In the leadership list (the API process, from the ledger).
    await eventually(async () => {
      const list = await call('u-leader', 'GET', '/escalations');
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ ownerId: id, level: 1, status: 'open' })]),
      );
    }, 20_000);

    // On SQL visibility: OverdueLevel > 0, and a query on each search attribute finds the clue.
    await eventually(async () => expect(await listIds('OverdueLevel > 0')).toContain(wfId), 20_000, 250);
    const sa = (await client.workflow.getHandle(wfId).describe()).typedSearchAttributes;
    expect(sa.get(SA_OVERDUE_LEVEL)).toBe(1);
    expect(sa.get(SA_STAGE)).toBe('verifying');
    expect(sa.get(SA_LEAD_UNIT)).toBe('tushan-scenic-area');
    const grade = sa.get(SA_GRADE);
    expect(grade).toMatch(/^(I|II|III|IV)$/);
    const next = sa.get(SA_NEXT_DUE_TIME);
    expect(next).toBeInstanceOf(Date);
    const around = (d: Date, ms: number) => new Date(d.getTime() + ms).toISOString();
    const queries = [
      `Stage = 'verifying'`,
      `Grade = '${grade}'`,
      `LeadUnit = 'tushan-scenic-area'`,
      `OverdueLevel = 1`,
      `NextDueTime BETWEEN '${around(next!, -1000)}' AND '${around(next!, 1000)}'`,
    ];
    for (const q of queries) expect([q, await listIds(q)]).toEqual([q, expect.arrayContaining([wfId])]);
    expect(await listIds(`WorkflowId = '${wfId}' AND ${queries.join(' AND ')}`)).toEqual([wfId]);
    // A level the clue has not reached finds nothing for it.
    expect(await listIds(`WorkflowId = '${wfId}' AND OverdueLevel > 1`)).toEqual([]);
  });
});
