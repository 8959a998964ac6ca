/** A whole deployment for tests: API + worker on a real Temporal server, real PostgreSQL, real SMTP. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createApp, type ApiExtras } from '../../api/app';
import { fullApiExtras } from '../../api/extras';
import { loadConfig, type Config } from '../../src/config';
import type { AppContext } from '../../src/context';
import { createSmtpMailer } from '../../src/mail/mailer';
import { createWorker } from '../../workers/worker';
import { testWorkflowBundle, type TestDb, type TestSmtp } from './services';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
type JsonBody = any;

export interface TestApp {
  url: string;
  ctx: AppContext;
  config: Config;
  worker: Worker;
  /** fetch against the app with a user's token (user id from the seed, e.g. 'u-coordinator'). */
  call(
    user: string | null,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: JsonBody; headers: Headers }>;
  close(): Promise<void>;
}

export async function startTestApp(o: {
  env: TestWorkflowEnvironment;
  db: TestDb;
  smtp: TestSmtp;
  taskQueue: string;
  configEnv?: Record<string, string>;
  extras?: ApiExtras;
  log?: Logger;
}): Promise<TestApp> {
  const config = loadConfig({
    TEMPORAL_ADDRESS: 'unused-by-tests:7233',
    DATABASE_URL: o.db.url,
    SMTP_URL: o.smtp.url,
    TEMPORAL_TASK_QUEUE: o.taskQueue,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '100000',
    ...o.configEnv,
  });
  const log = o.log ?? pino({ level: 'silent' });
  const ctx: AppContext = {
    config,
    orm: o.db.orm,
    temporal: o.env.client,
    reporterKey: randomBytes(32).toString('hex'),
    log,
  };
  const mailer = createSmtpMailer(o.smtp.url, config.mail.from);
  const worker = await createWorker({
    connection: o.env.nativeConnection,
    namespace: 'default',
    workflowBundlePath: testWorkflowBundle(),
    taskQueue: o.taskQueue,
    deps: { orm: o.db.orm, mailer, policeWebhook: config.policeWebhook, log },
  });
  const running = worker.run();
  const server: Server = createApp(ctx, o.extras ?? fullApiExtras).listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ctx,
    config,
    worker,
    async call(user, method, path, body, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (user) h.authorization = `Bearer ${o.db.tokens[user]}`;
      if (body !== undefined) h['content-type'] ??= 'application/json';
      const res = await fetch(url + path, {
        method,
        headers: h,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      worker.shutdown();
      await running;
      mailer.close();
    },
  };
}

/** A valid clue intake body; override what a test cares about. */
export function intakeBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sourceChannel: 'mass_report',
    description: 'Residents report a "pension apartment" scheme promising 12% yearly returns.',
    subject: {
      name: 'Tushan Happy Elderly Care Co., Ltd.',
      kind: 'enterprise',
      creditCode: '914403001922038216',
    },
    keyArea: 'elderly_care',
    keyBehaviours: ['targets_elderly'],
    online: false,
    amountCny: 3_000_000,
    participants: 200,
    publicOpinion: 'local',
    stabilityRisk: 'medium',
    leadUnitId: 'tushan-scenic-area',
    ...over,
  };
}
