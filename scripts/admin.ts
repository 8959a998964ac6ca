/**
 * `npm run admin -- <group> <command> [options]`: manage units, users and API tokens on DATABASE_URL
 * (or the embedded database under DATA_DIR — stop `npm start` first, PGlite allows one process).
 * Exit codes: 0 done, 2 bad input (the message says what), 1 anything else. A new token or a
 * generated password is printed once and never again; nothing else prints a secret.
 */
import { parseArgs } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import { loadConfig } from '../src/config';
import { startEmbeddedPg } from '../src/db/embedded-pg';
import { ensureDatabase, initORM } from '../src/db/orm';
import {
  AdminInputError,
  createToken,
  createUnit,
  createUser,
  deactivateUser,
  listUnits,
  listUsers,
  resetUserPassword,
  revoke,
  setUserPassword,
  setUserRole,
  tokens,
} from '../src/auth/admin';
import { loadOrCreateLocalKey } from '../src/auth/reporter';
import {
  listUnitContacts,
  UnitUpdateConflict,
  UnitUpdateInput,
  unitContacts,
  updateUnit,
} from '../src/services/units';

const USAGE = `usage: npm run admin -- <group> <command> [options] [--json]

  units create  --id ID --name-zh NAME --name-en NAME --kind town|community|department|district_office [--email EMAIL]
  units list    [--contacts]                    (with --contacts: mailboxes, heads, robots; tokens masked)
  units show    --id UNIT_ID
  units set     --id UNIT_ID [--name-zh NAME] [--name-en NAME] [--email EMAIL] [--head-name NAME]
                [--head-email EMAIL] [--wecom-webhook URL] [--dingtalk-webhook URL] [--dingtalk-secret-stdin]
                (an empty value clears a field; --dingtalk-webhook '' removes the DingTalk robot with its
                secret; the secret is read from stdin so it stays out of shell history; audited)
  users create  --id ID --name NAME --email EMAIL --role coordinator|unit_officer|leader|police_liaison|admin
                [--unit UNIT_ID] [--head] [--locale zh-CN|en]
  users list
  users deactivate --id USER_ID
  users set-role --id USER_ID --role ROLE [--unit UNIT_ID]   (audited; takes effect on the next request)
  users set-password USER_ID [--password-stdin]   (asks twice on a terminal; ends the user's sessions)
  users reset-password USER_ID                    (generates a password and prints it once)
  tokens create --user USER_ID [--label TEXT] [--expires-in DAYS]
  tokens list   [--user USER_ID]
  tokens revoke --id TOKEN_ID

Connects to DATABASE_URL, or the embedded database under DATA_DIR when it is not set.`;

const OPTIONS = {
  id: { type: 'string' },
  name: { type: 'string' },
  'name-zh': { type: 'string' },
  'name-en': { type: 'string' },
  kind: { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string' },
  unit: { type: 'string' },
  head: { type: 'boolean' },
  locale: { type: 'string' },
  user: { type: 'string' },
  label: { type: 'string' },
  'expires-in': { type: 'string' },
  json: { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
  'head-name': { type: 'string' },
  'head-email': { type: 'string' },
  'wecom-webhook': { type: 'string' },
  'dingtalk-webhook': { type: 'string' },
  'dingtalk-secret-stdin': { type: 'boolean' },
  contacts: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

class UsageError extends Error {}

function need(v: Values, key: keyof Values): string {
  const x = v[key];
  if (typeof x !== 'string' || x === '') throw new UsageError(`--${key} is required`);
  return x;
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : '-');

function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(none)';
  const cols = Object.keys(rows[0]!);
  const cell = (v: unknown) =>
    v === null || v === undefined ? '-' : v instanceof Date ? v.toISOString() : String(v);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) =>
    vals
      .map((x, i) => x.padEnd(width[i]!))
      .join('  ')
      .trimEnd();
  return [line(cols), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}

/** What a command may need beyond its options: the USER_ID argument, and a way to read a password. */
export interface RunIo {
  userId?: string;
  readPassword?: () => Promise<string>;
}

/** `units set` flags → UnitUpdateInput fields (src/services/units.ts). */
const UNIT_FLAGS: Record<string, string> = {
  'name-zh': 'nameZh',
  'name-en': 'nameEn',
  email: 'email',
  'head-name': 'headName',
  'head-email': 'headEmail',
  'wecom-webhook': 'wecomWebhookUrl',
  'dingtalk-webhook': 'dingtalkWebhookUrl',
  'dingtalk-secret-stdin': 'dingtalkSecret',
};

/** The key the units' DingTalk secrets are encrypted with: the reporter key, resolved as src/runtime.ts does. */
function unitSecretKey(): string {
  const config = loadConfig();
  return config.reporterKey ?? loadOrCreateLocalKey(config.database.dataDir);
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs one command; returns what to print. */
export async function run(
  em: EntityManager,
  group: string,
  command: string,
  v: Values,
  io: RunIo = {},
): Promise<{ text: string; json: unknown }> {
  const key = `${group} ${command}`;
  switch (key) {
    case 'units create': {
      const u = await createUnit(em, {
        id: need(v, 'id'),
        nameZh: need(v, 'name-zh'),
        nameEn: need(v, 'name-en'),
        kind: need(v, 'kind') as never,
        email: v.email,
      });
      return { text: `unit ${u.id} created`, json: u };
    }
    case 'units list': {
      if (v.contacts) {
        const all = await listUnitContacts(em);
        const rows = all.map((u) => ({
          id: u.id,
          email: u.email,
          head: u.headName ? `${u.headName} <${u.headEmail ?? '-'}>` : null,
          robots: u.robotChannels.join(',') || null,
        }));
        return { text: table(rows), json: all };
      }
      const rows = await listUnits(em);
      return { text: table(rows), json: rows };
    }
    case 'units show': {
      const u = await unitContacts(em, need(v, 'id'));
      if (!u) throw new AdminInputError(`unknown unit "${need(v, 'id')}"`);
      return {
        text: Object.entries(u)
          .map(([k, x]) => `${k}: ${String(x)}`)
          .join('\n'),
        json: u,
      };
    }
    case 'units set': {
      const id = need(v, 'id');
      const change: Record<string, unknown> = {};
      for (const [flag, field] of Object.entries(UNIT_FLAGS)) {
        const x = v[flag as keyof Values];
        if (typeof x === 'string') change[field] = x.trim() === '' ? null : x;
      }
      if (change.dingtalkWebhookUrl === null) change.dingtalkSecret = null;
      if (v['dingtalk-secret-stdin']) change.dingtalkSecret = (await readAllStdin()).trim();
      const parsed = UnitUpdateInput.safeParse(change);
      const flagOf = (path: PropertyKey[]) => {
        const f = Object.entries(UNIT_FLAGS).find(([, field]) => field === path[0])?.[0];
        return f ? `--${f}` : 'input';
      };
      if (!parsed.success)
        throw new AdminInputError(
          parsed.error.issues.map((i) => `${flagOf(i.path)}: ${i.message}`).join('; '),
        );
      let u;
      try {
        u = await updateUnit(em, {
          unitId: id,
          change: parsed.data,
          secretKey: unitSecretKey(),
          actor: { actorId: 'cli', role: null, unitId: null },
        });
      } catch (err) {
        if (err instanceof UnitUpdateConflict)
          throw new AdminInputError(`${flagOf(err.path)}: ${err.message} (--dingtalk-secret-stdin)`);
        throw err;
      }
      if (!u) throw new AdminInputError(`unknown unit "${id}"`);
      return {
        text: `unit ${id} updated (${Object.keys(parsed.data).join(', ')}); robots: ${u.robotChannels.join(', ') || 'none'}`,
        json: u,
      };
    }
    case 'users create': {
      const u = await createUser(em, {
        id: need(v, 'id'),
        name: need(v, 'name'),
        email: need(v, 'email'),
        role: need(v, 'role') as never,
        unitId: v.unit,
        isUnitHead: v.head ?? false,
        locale: (v.locale ?? 'zh-CN') as never,
      });
      return {
        text: `user ${u.id} created (${u.role}${u.unitId ? `, ${u.unitId}` : ''}${u.isUnitHead ? ', unit head' : ''})`,
        json: u,
      };
    }
    case 'users list': {
      const rows = await listUsers(em);
      return { text: table(rows), json: rows };
    }
    case 'users deactivate': {
      const id = need(v, 'id');
      await deactivateUser(em, id);
      return { text: `user ${id} deactivated; their tokens no longer work`, json: { id, active: false } };
    }
    case 'users set-password': {
      const id = io.userId ?? need(v, 'id');
      if (!io.readPassword) throw new UsageError('no way to read a password; use --password-stdin');
      await setUserPassword(em, id, await io.readPassword());
      return { text: `password of ${id} set; their sessions ended`, json: { id, passwordSet: true } };
    }
    case 'users reset-password': {
      const id = io.userId ?? need(v, 'id');
      const password = await resetUserPassword(em, id);
      return {
        text: `new password for ${id} (shown once; their sessions ended):\n${password}`,
        json: { id, password },
      };
    }
    case 'users set-role': {
      const id = need(v, 'id');
      const r = await setUserRole(em, { userId: id, role: need(v, 'role'), unitId: v.unit });
      const show = (x: { role: string; unitId: string | null }) =>
        `${x.role}${x.unitId ? `, ${x.unitId}` : ''}`;
      return {
        text: r.changed
          ? `user ${id}: ${show(r.from)} → ${show(r.to)}`
          : `user ${id} already has that role (${show(r.to)})`,
        json: { id, ...r },
      };
    }
    case 'tokens create': {
      let days: number | undefined;
      if (v['expires-in'] !== undefined) {
        if (!/^\d+(\.\d+)?$/.test(v['expires-in']))
          throw new UsageError('--expires-in must be a number of days');
        days = Number(v['expires-in']);
      }
      const t = await createToken(em, { userId: need(v, 'user'), label: v.label, expiresInDays: days });
      return {
        text: `token ${t.id} for ${need(v, 'user')}${t.expiresAt ? `, expires ${iso(t.expiresAt)}` : ''}\n${t.token}\n(shown once: it is stored hashed and cannot be shown again)`,
        json: {
          id: t.id,
          userId: need(v, 'user'),
          token: t.token,
          expiresAt: t.expiresAt?.toISOString() ?? null,
        },
      };
    }
    case 'tokens list': {
      const rows = await tokens(em, v.user);
      const shown = rows.map((r) => ({
        id: r.id,
        user: r.userId,
        prefix: r.prefix,
        label: r.label,
        created: iso(r.createdAt),
        expires: iso(r.expiresAt),
        revoked: iso(r.revokedAt),
        lastUsed: iso(r.lastUsedAt),
      }));
      return { text: table(shown), json: shown };
    }
    case 'tokens revoke': {
      const id = need(v, 'id');
      await revoke(em, id);
      return { text: `token ${id} revoked`, json: { id, revoked: true } };
    }
    default:
      throw new UsageError(`unknown command "${key.trim()}"`);
  }
}

async function main(argv: string[]): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`admin: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [group, command, ...rest] = positionals;
  // The password commands name their user as an argument: `users set-password u-tushan`.
  const takesUser = group === 'users' && (command === 'set-password' || command === 'reset-password');
  const userId = takesUser && rest.length === 1 ? rest[0] : undefined;
  const extra = userId !== undefined ? [] : rest;
  if (!group || !command || extra.length > 0) {
    process.stderr.write(
      `admin: ${!group || !command ? 'a group and a command are required' : `unexpected argument "${extra[0]}"`}\n\n${USAGE}\n`,
    );
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`admin: ${(err as Error).message}\n`);
    return 2;
  }
  let url = config.database.url;
  let stopPg: (() => Promise<void>) | undefined;
  if (!url) {
    const pg = await startEmbeddedPg(config.database.dataDir);
    url = pg.url;
    stopPg = () => pg.stop();
  } else await ensureDatabase(url);
  // Pending migrations are applied first; their progress lines go to stderr so stdout stays the answer.
  const toStdout = console.log;
  console.log = (...args: unknown[]) => console.error(...args);
  const orm = await initORM({ url, poolMax: 1, migrate: true }).finally(() => {
    console.log = toStdout;
  });
  try {
    const out = await run(orm.em.fork() as EntityManager, group, command, values, {
      userId,
      readPassword: () => readPassword(values['password-stdin'] === true),
    });
    process.stdout.write(`${values.json ? JSON.stringify(out.json) : out.text}\n`);
    return 0;
  } catch (err) {
    if (err instanceof AdminInputError || err instanceof UsageError) {
      process.stderr.write(`admin: ${err.message}${err instanceof UsageError ? `\n\n${USAGE}` : ''}\n`);
      return 2;
    }
    throw err;
  } finally {
    await orm.close();
    await stopPg?.();
  }
}

/** The new password: all of stdin (one trailing newline dropped), or asked twice without echo on a terminal. */
async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  if (!process.stdin.isTTY)
    throw new UsageError('stdin is not a terminal; pipe the password with --password-stdin');
  const first = await promptHidden('New password: ');
  const second = await promptHidden('Repeat it: ');
  if (first !== second) throw new AdminInputError('the two passwords differ');
  return first;
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    let typed = '';
    const finish = () => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
    };
    const onData = (s: string) => {
      for (const ch of s) {
        if (ch === '\r' || ch === '\n') {
          finish();
          return resolve(typed);
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish();
          return reject(new UsageError('cancelled'));
        }
        typed = ch === '\u007f' || ch === '\b' ? Array.from(typed).slice(0, -1).join('') : typed + ch;
      }
    };
    stdin.on('data', onData);
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`admin: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
