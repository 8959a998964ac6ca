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
/** SMTP sessions a relay pass opens at once (a backlog after an outage drains ~8× faster than one by one). */
export const RELAY_CONNECTIONS = 8;
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

  /**
   * Sends `rows` over up to `connections` SMTP sessions at once. The first refusal stops new sends: the
   * failed rows count an attempt, the untried ones just wait with them (the server is away, not the row).
   */
  async function send(rows: Row[], connections: number): Promise<DeliveryResult> {
    const result: DeliveryResult = { sent: 0, deferred: 0 };
    const failed: Row[] = [];
    let next = 0;
    const lane = async () => {
      while (failed.length === 0 && next < rows.length) {
        const r = rows[next++]!;
        try {
          await deps.mailer.send({
            to: r.to_addr,
            subject: r.subject,
            text: r.body,
            messageId: r.message_id,
          });
        } catch (err) {
          result.lastError ??= String((err as Error).message).slice(0, 500);
          failed.push(r);
          continue;
        }
        acceptedUnrecorded.add(r.id);
        await markSent(r.id);
        acceptedUnrecorded.delete(r.id);
        result.sent += 1;
      }
    };
    const lanes = await Promise.allSettled(Array.from({ length: Math.min(connections, rows.length) }, lane));
    const untried = rows.slice(next);
    for (const r of failed)
      await exec(
        `update mail_outbox set attempts = attempts + 1, last_error = ?, not_before = now() + make_interval(secs => ?) where id = ?`,
        [result.lastError, backoffSeconds(r.attempts + 1), r.id],
      );
    if (untried.length > 0)
      await exec(
        `update mail_outbox set not_before = now() + make_interval(secs => ?) where id = any(?::int[])`,
        [backoffSeconds(Math.max(...failed.map((r) => r.attempts + 1))), `{${untried.map((r) => r.id)}}`],
      );
    result.deferred = failed.length + untried.length;
    // A database failure (the sent mark) fails the pass; the accepted rows are recorded by the next one.
    const broken = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (broken) throw broken.reason;
    return result;
  }

  return {
    async deliverKey(keyPrefix) {
      await recordAccepted();
      // One session per activity: up to maxConcurrentActivities notify at once already.
      return send(await claim(keyPrefix, 100), 1);
    },
    async relayOnce(limit = 100) {
      await recordAccepted();
      return send(await claim(undefined, limit), RELAY_CONNECTIONS);
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
  const batch = o.batch ?? 100;
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
