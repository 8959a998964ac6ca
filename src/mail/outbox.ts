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
 *
 * Rows with `channel` 'wecom' or 'dingtalk' are a unit's group-robot messages (src/notify/robots.ts):
 * the same claim, lease, backoff and exactly-once key, sent over HTTP instead of SMTP. Each destination
 * (the SMTP server, one unit's WeCom robot, one unit's DingTalk robot) fails and waits on its own, so a
 * robot outage holds up neither the emails nor the other units' robots; each robot is paced at its API's
 * 20 messages a minute.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from '../db/orm';
import { likeEscape } from '../db/sql';
import type { Mailer } from './mailer';
import {
  createRobotSender,
  isRobotChannel,
  ROBOT_MESSAGES_PER_MINUTE,
  ROBOT_TIMEOUT_MS,
  type RobotSender,
} from '../notify/robots';

/** Longer than one send can take (the SMTP transport's connection + greeting + socket timeouts: 40 s). */
export const LEASE_SECONDS = 60;
/** Robot calls per robot per pass: each may take the whole robot timeout, and all must end inside the lease. */
export const ROBOT_ROWS_PER_PASS = Math.floor((LEASE_SECONDS * 1000) / ROBOT_TIMEOUT_MS) - 1;
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
  channel: string;
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

export function createOutboxSender(deps: {
  orm: Orm;
  mailer: Mailer;
  /** Sends robot rows; default: one over `orm` opening DingTalk secrets with `secretKey`. */
  robots?: RobotSender;
  /** The reporter key, which encrypts the units' DingTalk secrets (used when `robots` is not given). */
  secretKey?: string;
  /** Messages per minute per robot (default the APIs' 20). */
  robotsPerMinute?: number;
}): OutboxSender {
  const robots = deps.robots ?? createRobotSender({ orm: deps.orm, secretKey: deps.secretKey });
  const perMinute = deps.robotsPerMinute ?? ROBOT_MESSAGES_PER_MINUTE;
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
        returning id, key, to_addr, subject, body, message_id, attempts, channel`,
      keyPrefix === undefined ? [LEASE_SECONDS, limit] : [LEASE_SECONDS, `${likeEscape(keyPrefix)}%`, limit],
    );
    return rows.sort((a, b) => a.id - b.id);
  }

  /** Hands one row to its channel: the SMTP server, or the unit's group robot. */
  async function deliverRow(r: Row): Promise<void> {
    if (r.channel === 'email')
      await deps.mailer.send({ to: r.to_addr, subject: r.subject, text: r.body, messageId: r.message_id });
    else if (isRobotChannel(r.channel))
      await robots.send({ channel: r.channel, unitId: r.to_addr, title: r.subject, markdown: r.body });
    else throw new Error(`unknown outbox channel ${r.channel}`);
  }

  /**
   * Room left in a robot's minute: its API allows `perMinute` messages in any 60 s, counted from what
   * was sent (by any process). Full: the instant a slot frees up.
   */
  async function robotRoom(channel: string, unitId: string): Promise<{ room: number; freeAt?: Date }> {
    const [row] = await exec<{ n: number; oldest: Date | null }[]>(
      `select count(*)::int as n, min(sent_at) as oldest from mail_outbox
        where channel = ? and to_addr = ? and status = 'sent' and sent_at > now() - interval '60 seconds'`,
      [channel, unitId],
    );
    const n = row?.n ?? 0;
    if (n < perMinute) return { room: perMinute - n };
    return { room: 0, freeAt: new Date((row?.oldest ?? new Date()).getTime() + 60_000) };
  }

  /**
   * Sends one destination's `rows` over up to `connections` sessions at once. The first refusal stops
   * new sends: the failed rows count an attempt, the untried ones just wait with them (the destination
   * is away, not the row).
   */
  async function sendTo(rows: Row[], connections: number): Promise<DeliveryResult> {
    const result: DeliveryResult = { sent: 0, deferred: 0 };
    const failed: Row[] = [];
    let next = 0;
    const lane = async () => {
      while (failed.length === 0 && next < rows.length) {
        const r = rows[next++]!;
        try {
          await deliverRow(r);
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

  /**
   * One robot's rows, one at a time (its API takes one message after another), within its minute and
   * within the lease: at most `ROBOT_ROWS_PER_PASS` calls, each bounded by the robot timeout, so no row is
   * still waiting its turn here when the lease ends and another sender may claim it.
   */
  async function sendToRobot(rows: Row[]): Promise<DeliveryResult> {
    const first = rows[0]!;
    const { room, freeAt } = await robotRoom(first.channel, first.to_addr);
    const now = rows.slice(0, Math.min(room, ROBOT_ROWS_PER_PASS));
    const later = rows.slice(now.length);
    if (later.length > 0)
      // Not a failure: no attempt counted. Due again when the robot's minute has room (or at once).
      await exec(`update mail_outbox set not_before = ?::timestamptz where id = any(?::int[])`, [
        (room > now.length ? new Date() : (freeAt ?? new Date(Date.now() + 60_000))).toISOString(),
        `{${later.map((r) => r.id)}}`,
      ]);
    const r = now.length > 0 ? await sendTo(now, 1) : { sent: 0, deferred: 0 };
    return { ...r, deferred: r.deferred + later.length };
  }

  /**
   * Until when an activity leaves its emails to the relay: set when an email send failed slowly (the
   * server hangs until a timeout), so activities stop waiting on it — one activity carrying several
   * notices stays well inside its own timeout. A quick refusal costs nothing and sets nothing. The relay
   * keeps trying.
   */
  let emailAwayUntil = 0;
  const EMAIL_AWAY_MS = 15_000;
  const SLOW_FAILURE_MS = 5_000;

  /** Splits `rows` by destination and sends every destination at once; one's outage leaves the others. */
  async function send(rows: Row[], connections: number): Promise<DeliveryResult> {
    const groups = new Map<string, Row[]>();
    for (const r of rows) {
      const dest = r.channel === 'email' ? 'email' : `${r.channel}:${r.to_addr}`;
      const g = groups.get(dest);
      if (g) g.push(r);
      else groups.set(dest, [r]);
    }
    const outcomes = await Promise.allSettled(
      [...groups].map(async ([dest, g]) => {
        if (dest !== 'email') return sendToRobot(g);
        const t0 = Date.now();
        const r = await sendTo(g, connections);
        if (r.deferred > 0 && Date.now() - t0 >= SLOW_FAILURE_MS) emailAwayUntil = Date.now() + EMAIL_AWAY_MS;
        return r;
      }),
    );
    const result: DeliveryResult = { sent: 0, deferred: 0 };
    for (const o of outcomes) {
      if (o.status === 'rejected') continue;
      result.sent += o.value.sent;
      result.deferred += o.value.deferred;
      result.lastError ??= o.value.lastError;
    }
    const broken = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (broken) throw broken.reason;
    return result;
  }

  return {
    async deliverKey(keyPrefix) {
      await recordAccepted();
      let rows = await claim(keyPrefix, 100);
      let left = 0;
      if (Date.now() < emailAwayUntil) {
        const emails = rows.filter((r) => r.channel === 'email');
        if (emails.length > 0) {
          // Released to the relay at once (the lease would hold them a minute).
          await exec(`update mail_outbox set not_before = now() where id = any(?::int[])`, [
            `{${emails.map((r) => r.id)}}`,
          ]);
          rows = rows.filter((r) => r.channel !== 'email');
          left = emails.length;
        }
      }
      // One session per activity: up to maxConcurrentActivities notify at once already.
      const r = await send(rows, 1);
      return { ...r, deferred: r.deferred + left };
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
