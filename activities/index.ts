/**
 * Every side effect of the workflows. Each activity is idempotent through a business key
 * (a unique constraint or an outbox row), so a retried activity never doubles a row or an email.
 * Factory in the style of samples-typescript `activities-dependency-injection`; one file per concern:
 *   notify.ts       who receives a notice, what each recipient reads, the outbox rows
 *   escalate.ts     reminders, the escalation ladder, accountability records
 *   referral.ts     the hand-off to public security, its acknowledgement, the signed webhook
 *   projections.ts  clue and campaign rows, clocks, timeline
 * `applyClueEffects` runs a clue step's reminders, escalations, projection and notices as one activity.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from '../src/db/orm';
import type { Mailer } from '../src/mail/mailer';
import { createOutboxSender, type OutboxSender } from '../src/mail/outbox';
import { computeDigest, digestNotification } from '../src/reports/digest';
import { createEscalate, type EscalationInput, type ReminderInput } from './escalate';
import { createNotify, type NotifyInput } from './notify';
import { createProjections, type ProjectInput } from './projections';
import { createReferral } from './referral';

export type { Audience, NotifyInput, Owner, RecipientRole, TemplateName } from './notify';
export type { ClueEndedInput, ProjectCampaignInput, ProjectInput } from './projections';
export { postWebhook } from './referral';

/** A due clock event's effect: the reminder, or one rung of the escalation ladder. */
export type ClockEffect =
  { kind: 'reminder'; input: ReminderInput } | { kind: 'escalation'; input: EscalationInput };

/** What one step of a clue workflow leaves to do, in the order it must happen. */
export interface ClueEffectsInput {
  clockEffects: ClockEffect[];
  project?: ProjectInput;
  notices: NotifyInput[];
}

/** Where links in messages point when PUBLIC_URL is not passed (the API's default local address). */
export const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:3000';

export interface ActivityDeps {
  orm: Orm;
  mailer: Mailer;
  policeWebhook?: { url: string; secret: string };
  log?: { info(o: object, msg?: string): void; warn(o: object, msg?: string): void };
  /** Shared with the worker's outbox relay (one lease and one accepted-but-unrecorded set per process). */
  outbox?: OutboxSender;
  /** Origin of the links in messages (`config.http.publicUrl`, PUBLIC_URL). */
  publicUrl?: string;
  /** The deployment policy's calendar, for rungs recorded without working days overdue. */
  calendar?: string;
  /** The reporter key, which opens units' DingTalk secrets (for the outbox made here when none is passed). */
  secretKey?: string;
}

export function createActivities(deps: ActivityDeps) {
  const em = (): EntityManager => deps.orm.em.fork() as EntityManager;
  const outbox = deps.outbox ?? createOutboxSender(deps);
  const notify = createNotify({ em, outbox, publicUrl: deps.publicUrl ?? DEFAULT_PUBLIC_URL, log: deps.log });
  const { project, projectCampaign, recordClueEnded } = createProjections({ em });
  const { sendReminder, recordEscalation } = createEscalate({ em, notify, calendar: deps.calendar });
  const { sendReferral, recordReferralAcknowledgement } = createReferral({
    em,
    notify,
    policeWebhook: deps.policeWebhook,
  });

  /** The weekly digest to leaders (issue 6): computed now, sent once per ISO week through notify. */
  async function digest(p: { week: string; at: number }): Promise<{ recipients: number }> {
    return notify(digestNotification(p.week, await computeDigest(em(), p.at)));
  }

  /**
   * A clue step's effects in one activity instead of one each (issue 13: a clock event cost three
   * workflow tasks and two activities; now two and one, as the raw engine's timer + activity).
   * Escalation rows before the projection that may resolve them, rows before mail. Each part is
   * idempotent by its own key, so a retry redoes the finished parts as no-ops.
   */
  async function applyClueEffects(p: ClueEffectsInput): Promise<void> {
    for (const e of p.clockEffects) {
      if (e.kind === 'reminder') await sendReminder(e.input);
      else await recordEscalation(e.input);
    }
    if (p.project) await project(p.project);
    for (const n of p.notices) await notify(n);
  }

  return {
    notify,
    project,
    applyClueEffects,
    recordClueEnded,
    sendReminder,
    recordEscalation,
    sendReferral,
    recordReferralAcknowledgement,
    projectCampaign,
    digest,
  };
}
