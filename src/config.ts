/**
 * One typed configuration object, parsed from the environment once at start-up.
 * No variable set means the embedded default (dev server, PGlite, local mail outbox).
 */
import { z } from 'zod';
import { isValidIsoDuration } from './calendar';
import { calendars } from './calendars';
import { DEFAULT_POLICY, POLICY_PRESETS, mergePolicy, type DeadlinePolicy, TASK_KINDS } from './policy';

const duration = z.string().refine(isValidIsoDuration, 'must be an ISO-8601 duration such as P5D or PT30S');
const tier = z.union([duration, z.partialRecord(z.enum(['I', 'II', 'III', 'IV', 'default']), duration)]);

export const policySchema = z
  .object({
    calendar: z.string().refine((c) => c in calendars, {
      message: `unknown calendar (known: ${Object.keys(calendars).join(', ')})`,
    }),
    mode: z.enum(['working', 'calendar']),
    tiers: z.partialRecord(z.enum(TASK_KINDS), tier),
    reminders: z.array(duration).max(10),
    escalation: z.array(duration).min(1).max(3),
    followUps: z.array(duration).max(10),
    retention: duration,
  })
  .partial()
  .strict();

function parsePolicy(raw: string | undefined): DeadlinePolicy {
  if (!raw) return DEFAULT_POLICY;
  const preset = POLICY_PRESETS[raw];
  if (preset) return preset;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`DEADLINE_POLICY: neither a preset (${Object.keys(POLICY_PRESETS).join(', ')}) nor JSON`);
  }
  const base =
    typeof json === 'object' && json && 'preset' in json
      ? POLICY_PRESETS[String((json as { preset: unknown }).preset)]
      : undefined;
  const { preset: _preset, ...rest } = json as Record<string, unknown>;
  const parsed = policySchema.safeParse(rest);
  if (!parsed.success) {
    throw new Error(
      `DEADLINE_POLICY: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return mergePolicy(base ?? DEFAULT_POLICY, parsed.data as Partial<DeadlinePolicy>);
}

const optionalUrl = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  TEMPORAL_ADDRESS: optionalUrl,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('disposal'),
  TEMPORAL_DEV_PORT: z.coerce.number().int().min(0).max(65535).default(7233),
  TEMPORAL_DEV_UI_PORT: z.coerce.number().int().min(0).max(65535).default(8233),
  DATABASE_URL: optionalUrl.refine(
    (v) => v === undefined || /^postgres(ql)?:\/\//.test(v),
    'must be a postgres:// URL',
  ),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  SMTP_URL: optionalUrl.refine(
    (v) => v === undefined || /^smtps?:\/\//.test(v),
    'must be an smtp:// or smtps:// URL',
  ),
  MAIL_FROM: z.string().default('District Office <noreply@district.local>'),
  OUTBOX_DIR: z.string().default('.outbox'),
  /** How often the worker's relay retries emails the SMTP server did not take at once. */
  MAIL_RELAY_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5000),
  DEADLINE_POLICY: z.string().optional(),
  /** Days a closed clue's workflow waits for a reopening before it ends (overrides the policy's `retention`). */
  CLUE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).optional(),
  REPORTER_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (a 256-bit key)')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/)
    .default('256kb'),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
  POLICE_WEBHOOK_URL: optionalUrl.refine(
    (v) => v === undefined || /^https?:\/\//.test(v),
    'must be an http(s) URL',
  ),
  POLICE_WEBHOOK_SECRET: z.string().min(16).optional(),
  /** Origin of the workbench as its users reach it; every message links there (default: the local address). */
  PUBLIC_URL: optionalUrl.refine(
    (v) => v === undefined || /^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(v),
    'must be an http(s) URL such as https://dso.example.gov.cn',
  ),
  /** Session cookie `Secure` flag: `auto` = when the request came over https (see TRUST_PROXY). */
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  /**
   * Which proxies may tell the client's address and protocol (X-Forwarded-For/-Proto): `false`, a hop
   * count, or addresses/subnets (`loopback`, `10.0.0.0/8,...`). Not `true`: that trusts any client.
   */
  TRUST_PROXY: z
    .string()
    .regex(
      /^(false|\d{1,2}|[0-9A-Za-z.:/_-]+(,[0-9A-Za-z.:/_-]+)*)$/,
      'false, a hop count, or a comma-separated list of addresses/subnets',
    )
    .refine((v) => v !== 'true', 'give a hop count or the proxy addresses instead of true')
    .default('false'),
  SESSION_IDLE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(1800),
  SESSION_ABSOLUTE_SECONDS: z.coerce.number().int().min(1).max(604_800).default(43_200),
  SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  SIGN_IN_LOCK_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Wait after the first wrong password, doubling with each further one until the lock. */
  SIGN_IN_BACKOFF_MS: z.coerce.number().int().min(0).max(600_000).default(1000),
  DISTRICT_OFFICE_UNIT_ID: z.string().default('district-office'),
  POLICE_UNIT_ID: z.string().default('public-security'),
  SEED_DEMO: z.enum(['auto', 'true', 'false']).default('auto'),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(1000),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).default(100),
  /** How long a workflow task waits on the worker's sticky queue before any worker may take it (SDK default 10 s). */
  WORKER_STICKY_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).default(40),
  /** Concurrent workflow-task polls, and the share of them on the shared (non-sticky) queue (SDK: 10 and 0.2). */
  WORKER_MAX_WORKFLOW_TASK_POLLS: z.coerce.number().int().min(2).default(10),
  WORKER_NONSTICKY_TO_STICKY_POLL_RATIO: z.coerce.number().min(0.1).max(10).default(0.2),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  http: {
    host: string;
    port: number;
    /** Origin for links in messages (PUBLIC_URL, else http://<host>:<port>). */
    publicUrl: string;
    rateLimitPerMinute: number;
    bodyLimit: string;
    requestTimeoutMs: number;
    /** Express `trust proxy`: false, a hop count, or addresses/subnets. */
    trustProxy: boolean | number | string;
  };
  /** Password sign-in and cookie sessions (src/auth/sessions.ts). */
  auth: {
    cookieSecure: 'auto' | 'true' | 'false';
    sessionIdleMs: number;
    sessionAbsoluteMs: number;
    maxFailures: number;
    lockMs: number;
    backoffMs: number;
  };
  temporal: {
    /** undefined = start the embedded dev server */
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    devPort: number;
    devUiPort: number;
  };
  database: { url: string | undefined; poolMax: number; dataDir: string; embeddedPort: number };
  mail: { smtpUrl: string | undefined; from: string; outboxDir: string; relayIntervalMs: number };
  policy: DeadlinePolicy;
  reporterKey: string | undefined;
  logLevel: string;
  policeWebhook: { url: string; secret: string } | undefined;
  seedDemo: 'auto' | 'true' | 'false';
  units: { districtOffice: string; police: string };
  worker: {
    maxCachedWorkflows: number;
    maxConcurrentActivities: number;
    stickyQueueTimeoutMs: number;
    maxConcurrentWorkflowTasks: number;
    maxWorkflowTaskPolls: number;
    nonStickyToStickyPollRatio: number;
  };
}

/** Parse the environment; throws naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const r = envSchema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = r.data;
  if (e.POLICE_WEBHOOK_URL && !e.POLICE_WEBHOOK_SECRET) {
    throw new Error(
      'Invalid configuration:\n  POLICE_WEBHOOK_SECRET: required when POLICE_WEBHOOK_URL is set',
    );
  }
  if (e.DATABASE_URL && !e.REPORTER_KEY && e.NODE_ENV === 'production') {
    throw new Error('Invalid configuration:\n  REPORTER_KEY: required in production (64 hex characters)');
  }
  return {
    env: e.NODE_ENV,
    http: {
      host: e.HOST,
      port: e.PORT,
      publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.PORT}`).replace(
        /\/+$/,
        '',
      ),
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      bodyLimit: e.BODY_LIMIT,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      trustProxy:
        e.TRUST_PROXY === 'false'
          ? false
          : /^\d+$/.test(e.TRUST_PROXY)
            ? Number(e.TRUST_PROXY)
            : e.TRUST_PROXY,
    },
    auth: {
      cookieSecure: e.COOKIE_SECURE,
      sessionIdleMs: e.SESSION_IDLE_SECONDS * 1000,
      sessionAbsoluteMs: e.SESSION_ABSOLUTE_SECONDS * 1000,
      maxFailures: e.SIGN_IN_MAX_FAILURES,
      lockMs: e.SIGN_IN_LOCK_SECONDS * 1000,
      backoffMs: e.SIGN_IN_BACKOFF_MS,
    },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      devPort: e.TEMPORAL_DEV_PORT,
      devUiPort: e.TEMPORAL_DEV_UI_PORT,
    },
    database: {
      url: e.DATABASE_URL,
      poolMax: e.DATABASE_POOL_MAX,
      dataDir: e.DATA_DIR,
      embeddedPort: e.EMBEDDED_PG_PORT,
    },
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      outboxDir: e.OUTBOX_DIR,
      relayIntervalMs: e.MAIL_RELAY_INTERVAL_MS,
    },
    policy: withRetention(parsePolicyVar(e.DEADLINE_POLICY), e.CLUE_RETENTION_DAYS),
    reporterKey: e.REPORTER_KEY,
    logLevel: e.LOG_LEVEL,
    policeWebhook: e.POLICE_WEBHOOK_URL
      ? { url: e.POLICE_WEBHOOK_URL, secret: e.POLICE_WEBHOOK_SECRET! }
      : undefined,
    seedDemo: e.SEED_DEMO,
    units: { districtOffice: e.DISTRICT_OFFICE_UNIT_ID, police: e.POLICE_UNIT_ID },
    worker: {
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentActivities: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
      stickyQueueTimeoutMs: e.WORKER_STICKY_QUEUE_TIMEOUT_MS,
      maxConcurrentWorkflowTasks: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxWorkflowTaskPolls: e.WORKER_MAX_WORKFLOW_TASK_POLLS,
      nonStickyToStickyPollRatio: e.WORKER_NONSTICKY_TO_STICKY_POLL_RATIO,
    },
  };
}

function withRetention(p: DeadlinePolicy, days: number | undefined): DeadlinePolicy {
  return days === undefined ? p : { ...p, retention: `P${days}D` };
}

function parsePolicyVar(raw: string | undefined): DeadlinePolicy {
  try {
    return parsePolicy(raw);
  } catch (err) {
    throw new Error(`Invalid configuration:\n  ${(err as Error).message}`);
  }
}
