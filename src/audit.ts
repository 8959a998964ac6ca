/**
 * The security audit list: one writer (`recordAudit`) and the names of the security-relevant events
 * that `GET /api/v1/audit` shows. The generic per-request write log (api/app.ts) shares the table but
 * uses `METHOD /path` actions, which the list leaves out.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { hashToken } from './auth/tokens';
import { sql } from './db/sql';

/** Every security-relevant action name; the audit list and its `action` filter accept only these. */
export const AUDIT_ACTIONS = [
  'reporter.unmask',
  'token.issue',
  'token.revoke',
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.locked',
  'auth.sign_out',
  'auth.token_failed',
  'user.create',
  'user.role_change',
  'user.deactivate',
  'password.set',
  'unit.create',
  'unit.update',
  'ledger.export',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEvent {
  /** Who acted: a user id, `cli` for the admin command line, null when nobody is known (bad token). */
  actorId: string | null;
  role: string | null;
  unitId: string | null;
  action: AuditAction;
  /** What it acted on, `kind:id` (e.g. `clue:<uuid>`, `token:<uuid>`, `user:<id>`, `ledger:clues`). */
  target: string | null;
  requestId?: string | null;
  /** Never tokens, passwords or reporter identity. */
  details: Record<string, unknown>;
}

/** Writes one audit row, inside the caller's transaction when there is one. */
export async function recordAudit(em: EntityManager, e: AuditEvent): Promise<void> {
  await sql(
    em,
    `insert into audit_log (actor_id, role, unit_id, action, target, request_id, details) values (?,?,?,?,?,?,?)`,
    [
      e.actorId?.slice(0, 64) ?? null,
      e.role?.slice(0, 32) ?? null,
      e.unitId?.slice(0, 64) ?? null,
      e.action,
      e.target?.slice(0, 128) ?? null,
      e.requestId?.slice(0, 64) ?? null,
      JSON.stringify(e.details),
    ],
  );
}

/** The actor fields of a request's principal (or of nobody). */
export function auditActor(
  p: { userId: string; role: string; unitId: string | null } | undefined,
): Pick<AuditEvent, 'actorId' | 'role' | 'unitId'> {
  return p
    ? { actorId: p.userId, role: p.role, unitId: p.unitId }
    : { actorId: null, role: null, unitId: null };
}

/** The admin command line acting (scripts/admin.ts has no signed-in user). */
export const CLI_ACTOR = { actorId: 'cli', role: null, unitId: null } as const;

// Rejected bearer tokens: at most one row per caller address and kind a minute, and at most
// TOKEN_FAILURE_ROWS_PER_MINUTE rows a minute per process, so a flood cannot fill the table; what is
// held back is counted into the next row written.
const TOKEN_FAILURE_WINDOW_MS = 60_000;
export const TOKEN_FAILURE_ROWS_PER_MINUTE = 30;
const failureKeys = new Map<string, { until: number; heldBack: number }>();
let globalWindow = { start: 0, rows: 0, heldBack: 0 };

/**
 * Notes a bearer token the API refused (malformed header, or a token that is unknown, revoked, expired
 * or whose user is deactivated). Never throws and never delays the 401; stores no token, only the id
 * of a token that exists. `now` is for tests.
 */
export function auditTokenFailure(
  em: () => EntityManager,
  f: { token?: string; ip?: string; path: string; requestId?: string },
  now = Date.now(),
): Promise<void> {
  const kind = f.token === undefined ? 'malformed' : 'rejected';
  const key = `${f.ip ?? '?'}|${kind}`;
  const k = failureKeys.get(key);
  if (k && k.until > now) {
    k.heldBack += 1;
    return Promise.resolve();
  }
  if (now - globalWindow.start >= TOKEN_FAILURE_WINDOW_MS)
    globalWindow = { start: now, rows: 0, heldBack: globalWindow.heldBack };
  if (globalWindow.rows >= TOKEN_FAILURE_ROWS_PER_MINUTE) {
    globalWindow.heldBack += 1;
    return Promise.resolve();
  }
  globalWindow.rows += 1;
  if (failureKeys.size >= 10_000) failureKeys.clear();
  failureKeys.set(key, { until: now + TOKEN_FAILURE_WINDOW_MS, heldBack: 0 });
  const details: Record<string, unknown> = {
    reason: kind,
    ip: f.ip ?? null,
    path: f.path.slice(0, 200),
    heldBackFromThisAddress: k?.heldBack ?? 0,
    heldBackOverall: globalWindow.heldBack,
  };
  globalWindow.heldBack = 0;
  const write = async () => {
    const e = em();
    let target: string | null = null;
    let actorId: string | null = null;
    if (f.token !== undefined) {
      const [t] = await sql<
        { id: string; user_id: string; revoked: boolean; expired: boolean; active: boolean }[]
      >(
        e,
        `select t.id, t.user_id, t.revoked_at is not null as revoked, coalesce(t.expires_at <= now(), false) as expired, u.active
           from api_tokens t join users u on u.id = t.user_id where t.token_hash = ?`,
        [hashToken(f.token)],
      );
      if (t) {
        target = `token:${t.id}`;
        actorId = t.user_id;
        details.reason = t.revoked
          ? 'revoked'
          : t.expired
            ? 'expired'
            : !t.active
              ? 'user_inactive'
              : 'rejected';
      } else details.reason = 'unknown';
    }
    await recordAudit(e, {
      actorId,
      role: null,
      unitId: null,
      action: 'auth.token_failed',
      target,
      requestId: f.requestId ?? null,
      details,
    });
  };
  return write().catch(() => undefined);
}

/** Test hook: forget the throttle. */
export function resetTokenFailureThrottle(): void {
  failureKeys.clear();
  globalWindow = { start: 0, rows: 0, heldBack: 0 };
}
