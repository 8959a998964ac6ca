/**
 * Sending the mail outbox. `notify` writes each email as a `mail_outbox` row in the transaction of its
 * in-app notification, then sends that key's rows at once (`deliverKey`). When the SMTP server is away
 * the rows stay pending and the relay in the worker process (`startOutboxRelay`) sends them later, so an
 * SMTP outage never holds up a workflow: the escalation is on the leaders' list on time, the update a
 * coordinator sent returns, and the email follows when the server is back (RELIABILITY.md, drill 4).
 *
 * A sender claims a row by setting `not_before` (a lease) under `for update skip locked`, so two senders
 * (the activity and the relay, or two workers) never hold the same row; a failed send sets it to a
 * backoff instant instead. Exactly one send per row unless the server accepted it and the sender could
 * not learn or record it (the ambiguous case: resent with the same Message-ID).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from '../db/orm';
import { likeEscape } from '../db/sql';
import type { Mailer } from './mailer';

/** Longer than one send can take (the SMTP transport's connection + greeting + socket timeouts: 40 s). */
export const LEASE_SECONDS = 60;
/** Seconds before the next try after `attempts` failures: 1, 2, 4 … capped at one minute. */
export const backoffSeconds = (attempts: number): number => Math.min(60, 2 ** Math.max(0, attempts - 1));

interface Row {
  id: number;
  key: string;
  to_addr: string;
  subject: string;
  body: string;
  message_id: string;
  attempts: number;
}

export interface DeliveryResult {
  sent: number;
  /** Left pending for the relay (the server refused, timed out or was unreachable). */
  deferred: number;
  lastError?: string;
}

export interface OutboxSender {
  /** Sends the pending rows whose key starts with `keyPrefix`; SMTP failures defer, database failures throw. */
  deliverKey(keyPrefix: string): Promise<DeliveryResult>;
  /** One relay pass: up to `limit` pending rows that are due. */
  relayOnce(limit?: number): Promise<DeliveryResult>;
}

export function createOutboxSender(deps: { orm: Orm; mailer: Mailer }): OutboxSender {
  const em = () => deps.orm.em.fork() as EntityManager;
  const exec = <T extends object[] = object[]>(q: string, params: unknown[] = []) =>
    em().getConnection().execute<T>(q, params);

  /**
   * Rows this process handed to the SMTP server (250 received) but could not mark sent (database away).
   * The next pass records them without sending again; a process that dies forgets them (ambiguous case).
   */
  const acceptedUnrecorded = new Set<number>();

  const markSent = (id: number) =>
    exec(
      `update mail_outbox set status = 'sent', sent_at = now(), attempts = attempts + 1, not_before = null where id = ?`,
      [id],
    );

  async function recordAccepted(): Promise<void> {
    for (const id of [...acceptedUnrecorded]) {
      await markSent(id);
      acceptedUnrecorded.delete(id);
    }
  }

  async function claim(keyPrefix: string | undefined, limit: number): Promise<Row[]> {
    const rows = await exec<Row[]>(
      `update mail_outbox set not_before = now() + make_interval(secs => ?)
        where id in (
          select id from mail_outbox
           where status = 'pending' and (not_before is null or not_before <= now())
             ${keyPrefix === undefined ? '' : 'and key like ?'}
           order by id limit ? for update skip locked)
        returning id, key, to_addr, subject, body, message_id, attempts`,
      keyPrefix === undefined ? [LEASE_SECONDS, limit] : [LEASE_SECONDS, `${likeEscape(keyPrefix)}%`, limit],
    );
    return rows.sort((a, b) => a.id - b.id);
  }

  async function send(rows: Row[]): Promise<DeliveryResult> {
    const result: DeliveryResult = { sent: 0, deferred: 0 };
    for (const [i, r] of rows.entries()) {
      try {
        await deps.mailer.send({ to: r.to_addr, subject: r.subject, text: r.body, messageId: r.message_id });
      } catch (err) {
        // The server is away or refusing: this row and the rest of the batch wait for the relay.
        result.lastError = String((err as Error).message).slice(0, 500);
        const rest = rows.slice(i);
        result.deferred += rest.length;
        await exec(
          `update mail_outbox set attempts = attempts + 1, last_error = ?, not_before = now() + make_interval(secs => ?) where id = ?`,
          [result.lastError, backoffSeconds(r.attempts + 1), r.id],
        );
        if (rest.length > 1)
          await exec(
            `update mail_outbox set not_before = now() + make_interval(secs => ?) where id = any(?::int[])`,
            [backoffSeconds(r.attempts + 1), `{${rest.slice(1).map((x) => x.id)}}`],
          );
        return result;
      }
      acceptedUnrecorded.add(r.id);
      await markSent(r.id);
      acceptedUnrecorded.delete(r.id);
      result.sent += 1;
    }
    return result;
  }

  return {
    async deliverKey(keyPrefix) {
      await recordAccepted();
      return send(await claim(keyPrefix, 100));
    },
    async relayOnce(limit = 50) {
      await recordAccepted();
      return send(await claim(undefined, limit));
    },
  };
}

export interface OutboxRelay {
  stop(): Promise<void>;
}

/**
 * Sends what `notify` could not, every `intervalMs`, for as long as the worker runs. Passes repeat at
 * once while they find a full batch; errors (database away) are logged and retried on the next tick.
 */
export function startOutboxRelay(
  sender: OutboxSender,
  o: {
    intervalMs: number;
    batch?: number;
    log?: { info(o: object, msg?: string): void; warn(o: object, msg?: string): void };
  },
): OutboxRelay {
  const batch = o.batch ?? 50;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const pass = async () => {
    try {
      for (;;) {
        const r = await sender.relayOnce(batch);
        if (r.sent > 0 || r.deferred > 0) o.log?.info({ sent: r.sent, deferred: r.deferred }, 'outbox relay');
        if (stopped || r.deferred > 0 || r.sent < batch) break;
      }
    } catch (err) {
      o.log?.warn({ err: (err as Error).message }, 'outbox relay pass failed; retrying next tick');
    }
  };
  const tick = () => {
    running = pass().finally(() => {
      if (!stopped) timer = setTimeout(tick, o.intervalMs);
    });
  };
  timer = setTimeout(tick, o.intervalMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
