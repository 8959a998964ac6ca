/**
 * The hand-off to public security (notice IV.6): the referral package, the liaison's hand-off notice,
 * the signed push to the agency's case system, and the acknowledgement.
 */
import { createHmac } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../src/domain/failures';
import type { NotifyInput } from './notify';

export interface ReferralDeps {
  em(): EntityManager;
  notify(n: NotifyInput): Promise<{ recipients: number }>;
  policeWebhook?: { url: string; secret: string };
}

export function createReferral(deps: ReferralDeps) {
  /** Persist the package, notify the liaison, and push it to the agency's case system if configured. */
  async function sendReferral(p: {
    referralId: string;
    clueId: string;
    seq: number;
    policeUnitId: string;
    reason: string;
    by: string;
    disposal: Record<string, unknown>;
  }): Promise<void> {
    const e = deps.em();
    const [clue] = await e.getConnection().execute<Record<string, unknown>[]>(
      `select id, ref, source_channel, description, subject_name, subject_kind, credit_code, registration_place, operating_place,
              frequent_changes, key_area, key_behaviours, online, amount_cny, participants, public_opinion, stability_risk,
              lead_unit_id, co_handling_unit_ids, risk_score, grade, created_at
         from clues where id = ?`,
      [p.clueId],
    );
    if (!clue)
      throw ApplicationFailure.create({
        type: FailureType.Permanent,
        message: `clue ${p.clueId} not found`,
        nonRetryable: true,
      });
    // Reporter identity is deliberately not part of the package: it stays with coordinators.
    const pkg = {
      referralId: p.referralId,
      reason: p.reason,
      clue,
      ...p.disposal,
      preparedAt: new Date().toISOString(),
    };
    await e
      .getConnection()
      .execute(
        `insert into referrals (id, clue_id, seq, police_unit_id, package, sent_at, status) values (?,?,?,?,?,now(),'awaiting') on conflict (id) do nothing`,
        [p.referralId, p.clueId, p.seq, p.policeUnitId, JSON.stringify(pkg)],
      );
    await deps.notify({
      key: `referral:${p.referralId}`,
      kind: 'referral',
      template: 'referral',
      audience: { unitIds: [p.policeUnitId] },
      params: {
        clueRef: String(clue.ref),
        unit: p.policeUnitId,
        subject: String(clue.subject_name ?? ''),
        reason: p.reason,
      },
      owner: { type: 'clue', id: p.clueId, ref: String(clue.ref) },
    });
    if (deps.policeWebhook) {
      const [row] = await e
        .getConnection()
        .execute<{ package: unknown; webhook_status: string | null }[]>(
          'select package, webhook_status from referrals where id = ?',
          [p.referralId],
        );
      if (row?.webhook_status !== 'delivered') {
        await postWebhook(deps.policeWebhook, p.referralId, row?.package ?? pkg);
        await e
          .getConnection()
          .execute(`update referrals set webhook_status = 'delivered' where id = ?`, [p.referralId]);
      }
    }
  }

  async function recordReferralAcknowledgement(p: {
    referralId: string;
    decision: 'accepted' | 'returned';
    policeCaseNumber?: string;
    reason?: string;
    by: string;
  }): Promise<void> {
    await deps
      .em()
      .getConnection()
      .execute(
        `update referrals set status = ?, police_case_number = ?, reason = ?, acknowledged_by = ?, acknowledged_at = coalesce(acknowledged_at, now()) where id = ?`,
        [p.decision, p.policeCaseNumber ?? null, p.reason ?? null, p.by, p.referralId],
      );
  }

  return { sendReferral, recordReferralAcknowledgement };
}

/** Signed webhook: HMAC-SHA256 over the exact body; the referral id is the idempotency key for the receiver. */
export async function postWebhook(
  hook: { url: string; secret: string },
  referralId: string,
  pkg: unknown,
): Promise<void> {
  const body = JSON.stringify({ type: 'referral', referralId, package: pkg });
  const signature = createHmac('sha256', hook.secret).update(body).digest('hex');
  const res = await fetch(hook.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': referralId,
      'x-signature-sha256': signature,
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    throw ApplicationFailure.create({
      type: FailureType.Permanent,
      message: `case system rejected referral ${referralId}: HTTP ${res.status}`,
      nonRetryable: true,
    });
  }
  if (!res.ok) throw new Error(`case system answered HTTP ${res.status} for referral ${referralId}`);
}
