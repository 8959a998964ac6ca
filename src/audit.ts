/**
 * The security audit list: one writer (`recordAudit`) and the names of the security-relevant events
 * that `GET /api/v1/audit` shows. The generic per-request write log (api/app.ts) shares the table but
 * uses `METHOD /path` actions, which the list leaves out.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
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
