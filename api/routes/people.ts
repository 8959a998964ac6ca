/** Me, notifications, escalations, accountability, clocks and units. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { type z } from 'zod';
import { auditActor, recordAudit } from '../../src/audit';
import { sql } from '../../src/db/sql';
import type { AppContext } from '../../src/context';
import { unitContacts, updateUnit, UnitUpdateConflict, type UnitUpdate } from '../../src/services/units';
import { workingDaysBetween } from '../../src/calendar';
import { calendars, getCalendar } from '../../src/calendars';
import { principal } from '../auth';
import { camel, decodeCursor, encodeCursor } from './clues';
import { HttpProblem, notFound } from '../problem';
import { defineRoute, parsedQuery, type RouteDef } from '../registry';
import {
  AccountabilityListSchema,
  AccountabilityQuery,
  ClockListQuery,
  ClockListSchema,
  EscalationAckBodySchema,
  EscalationAckSchema,
  EscalationDetailSchema,
  EscalationListQuery,
  EscalationListSchema,
  MeSchema,
  NotificationListQuery,
  NotificationListSchema,
  UnitContactsSchema,
  UnitCreateSchema,
  UnitListSchema,
  UnitSchema,
  UnitUpdateSchema,
} from '../schemas';

const ALL = ['coordinator', 'leader', 'unit_officer', 'police_liaison', 'admin'] as const;

/** An escalation with its unit, its clue's facts and the calendar of its owner (a campaign may have its own). */
const ESCALATION_SELECT = `select e.id, e.owner_type, e.owner_id, e.owner_ref, e.clock_id, e.task, e.unit_id,
       u.name_zh as unit_name_zh, u.name_en as unit_name_en, e.level, e.due_at, e.escalated_at, e.status,
       e.instruction, e.acknowledged_at, c.subject_name, c.grade, c.amount_cny, c.participants, c.stage,
       g.policy->>'calendar' as calendar
  from escalations e left join units u on u.id = e.unit_id
  left join clues c on e.owner_type = 'clue' and c.id = e.owner_id
  left join campaigns g on e.owner_type = 'campaign' and g.id = e.owner_id`;

/** The `:eid` of an escalation route (a serial id); anything else names nothing. */
function escalationId(raw: unknown): number {
  const id = Number(raw);
  if (!/^\d{1,10}$/.test(String(raw)) || !Number.isInteger(id) || id <= 0 || id > 2 ** 31 - 1)
    throw notFound('escalation');
  return id;
}

export function peopleRoutes(ctx: AppContext): RouteDef[] {
  const conn = () => (ctx.orm.em.fork() as EntityManager).getConnection();
  /** Whole working days from the due time to `until` on the owner's calendar, as the emails count them. */
  const workingDaysLate = (calendar: unknown, dueAt: Date | string, until: number) =>
    workingDaysBetween(
      (typeof calendar === 'string' && calendars[calendar]) || getCalendar(ctx.config.policy.calendar),
      new Date(dueAt).getTime(),
      until,
    );
  const escalationItem = ({ calendar, ...r }: Record<string, unknown>): Record<string, unknown> => ({
    ...camel(r),
    amountCny: r.amount_cny === null || r.amount_cny === undefined ? null : Number(r.amount_cny),
    daysOverdue: workingDaysLate(calendar, r.due_at as Date | string, Date.now()),
  });
  return [
    defineRoute({
      method: 'get',
      path: '/me',
      summary: 'Who am I',
      tag: 'me',
      roles: ALL,
      ownership: 'none',
      response: MeSchema,
      handler: async (req) => {
        const p = principal(req);
        const csrf = req.cookieSession ? { csrfToken: req.cookieSession.csrfToken } : {};
        return { userId: p.userId, name: p.name, role: p.role, unitId: p.unitId, locale: p.locale, ...csrf };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/me/notifications',
      summary: 'My in-app notifications, newest first',
      tag: 'me',
      roles: ALL,
      ownership: 'none',
      query: NotificationListQuery,
      response: NotificationListSchema,
      handler: async (req) => {
        const p = principal(req);
        const q = parsedQuery<z.infer<typeof NotificationListQuery>>(req);
        const params: unknown[] = [p.userId];
        let where = 'user_id = ?';
        if (q.unread === 'true') where += ' and read_at is null';
        if (q.unread === 'false') where += ' and read_at is not null';
        if (q.cursor) {
          const cur = decodeCursor(q.cursor);
          if (!/^\d{1,10}$/.test(cur.id))
            throw new HttpProblem(422, 'validation-error', 'cursor is not valid', {
              errors: [{ path: ['cursor'], message: 'invalid cursor' }],
            });
          where += ' and (created_at, id) < (?::timestamptz, ?::int)';
          params.push(cur.createdAt, Number(cur.id));
        }
        const rows = await conn().execute<Record<string, unknown>[]>(
          `select id, key, kind, subject, body, locale, owner_type, owner_id, created_at, read_at from notifications
            where ${where} order by created_at desc, id desc limit ?`,
          [...params, q.limit + 1],
        );
        const page = rows.slice(0, q.limit);
        const last = page[page.length - 1];
        return {
          items: page.map(camel),
          nextCursor:
            rows.length > q.limit && last ? encodeCursor(String(last.created_at), String(last.id)) : null,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/escalations',
      summary: 'Open overdue escalations by level and days overdue (leadership view)',
      tag: 'escalations',
      roles: ['leader', 'coordinator'],
      ownership: 'none',
      query: EscalationListQuery,
      response: EscalationListSchema,
      handler: async (req) => {
        const q = parsedQuery<{ status: string; limit: number }>(req);
        const rows = await conn().execute<Record<string, unknown>[]>(
          `${ESCALATION_SELECT} where (? = 'all' or e.status = ?) order by e.level desc, e.due_at asc limit ?`,
          [q.status, q.status, q.limit],
        );
        // Level first, then the latest (most working days overdue) first.
        const items = rows
          .map((r) => escalationItem(r))
          .sort(
            (a, b) =>
              (b.level as number) - (a.level as number) ||
              (b.daysOverdue as number) - (a.daysOverdue as number),
          );
        return { items };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/escalations/:eid',
      summary:
        'One escalation with the facts of its clue, the rungs its clock reached and every instruction given on that clue (leadership view)',
      tag: 'escalations',
      roles: ['leader', 'coordinator'],
      ownership: 'escalation',
      response: EscalationDetailSchema,
      handler: async (req) => {
        const id = escalationId(req.params.eid);
        const [row] = await conn().execute<Record<string, unknown>[]>(`${ESCALATION_SELECT} where e.id = ?`, [
          id,
        ]);
        if (!row) throw notFound('escalation');
        const e = escalationItem(row);
        const [clue] =
          e.ownerType === 'clue'
            ? await conn().execute<Record<string, unknown>[]>(
                `select id, ref, subject_name, subject_kind, key_area, grade, key_clue, amount_cny, participants, stage,
                        lead_unit_id, description, created_at from clues where id = ?`,
                [e.ownerId],
              )
            : [];
        const history = await conn().execute<Record<string, unknown>[]>(
          `select id, level, escalated_at, status, acknowledged_at, resolved_at from escalations
            where owner_type = ? and owner_id = ? and clock_id = ? order by level, id`,
          [e.ownerType, e.ownerId, e.clockId],
        );
        const instructions = await conn().execute<Record<string, unknown>[]>(
          `select e.id as escalation_id, e.task, e.level, e.instruction, e.acknowledged_at, e.acknowledged_by,
                  u.name as acknowledged_by_name
             from escalations e left join users u on u.id = e.acknowledged_by
            where e.owner_type = ? and e.owner_id = ? and e.instruction is not null
            order by e.acknowledged_at, e.id`,
          [e.ownerType, e.ownerId],
        );
        return {
          escalation: e,
          clue: clue ? camel(clue) : null,
          history: history.map(camel),
          instructions: instructions.map(camel),
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/escalations/:eid/acknowledgement',
      summary: 'Acknowledge an escalation with an instruction (leaders)',
      tag: 'escalations',
      roles: ['leader'],
      ownership: 'escalation',
      body: EscalationAckBodySchema,
      response: EscalationAckSchema,
      handler: async (req) => {
        const p = principal(req);
        const id = escalationId(req.params.eid);
        const rows = await conn().execute<Record<string, unknown>[]>(
          `update escalations set status = 'acknowledged', acknowledged_by = ?, acknowledged_at = now(), instruction = ?
            where id = ? and status = 'open' returning id, status, instruction, acknowledged_at`,
          [p.userId, (req.body as { instruction: string }).instruction, id],
        );
        if (!rows[0]) {
          const exists = await conn().execute<{ status: string }[]>(
            'select status from escalations where id = ?',
            [id],
          );
          if (!exists[0]) throw notFound('escalation');
          throw new HttpProblem(409, 'invalid-transition', `escalation is already ${exists[0].status}`, {
            allowedTransitions: [],
          });
        }
        return camel(rows[0]);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/accountability',
      summary: 'Accountability records: who missed what, by how long, highest level reached (notice VI.1)',
      tag: 'escalations',
      roles: ['leader', 'coordinator'],
      ownership: 'none',
      query: AccountabilityQuery,
      response: AccountabilityListSchema,
      handler: async (req) => {
        const q = parsedQuery<z.infer<typeof AccountabilityQuery>>(req);
        const rows = await conn().execute<Record<string, unknown>[]>(
          `select a.id, a.unit_id, u.name_zh as unit_name_zh, u.name_en as unit_name_en, a.owner_type, a.owner_id, a.owner_ref, a.clock_id, a.task,
                  a.due_at, a.level, a.recorded_at, k.completed_at, g.policy->>'calendar' as calendar
             from accountability_records a left join units u on u.id = a.unit_id
             left join clocks k on k.key = a.owner_type || ':' || a.owner_id || ':' || a.clock_id
             left join campaigns g on a.owner_type = 'campaign' and g.id = a.owner_id
            order by a.recorded_at desc, a.id desc limit ?`,
          [q.limit],
        );
        const now = Date.now();
        return {
          items: rows.map(({ calendar, ...r }) => ({
            ...camel(r),
            // Working days from the due time to completion (or now, while still open).
            daysOverdue: workingDaysLate(
              calendar,
              r.due_at as Date | string,
              r.completed_at ? new Date(r.completed_at as Date | string).getTime() : now,
            ),
          })),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/clocks',
      summary: 'Every open clock you may see (not only the nearest)',
      tag: 'clocks',
      roles: ['coordinator', 'leader', 'unit_officer', 'police_liaison'],
      ownership: 'none',
      query: ClockListQuery,
      response: ClockListSchema,
      handler: async (req) => {
        const p = principal(req);
        const q = parsedQuery<{ limit: number }>(req);
        const all = p.role === 'coordinator' || p.role === 'leader';
        // With what a person needs to pick the item from a list: the clue's reference and subject or
        // the campaign's name, and working days left (negative: overdue) on the policy's calendar.
        const rows = await conn().execute<Record<string, unknown>[]>(
          `select k.owner_type, k.owner_id, k.clock_id, k.task, k.unit_id, k.label, k.started_at, k.due_at, k.status, k.level,
                  coalesce(c.ref, g.name, k.owner_id) as owner_ref, c.subject_name as owner_title
             from clocks k
             left join clues c on k.owner_type = 'clue' and c.id = k.owner_id
             left join campaigns g on k.owner_type = 'campaign' and g.id = k.owner_id
            where k.status in ('open','paused') ${all ? '' : 'and k.unit_id = ?'} order by k.due_at limit ?`,
          all ? [q.limit] : [p.unitId ?? '', q.limit],
        );
        const cal = getCalendar(ctx.config.policy.calendar);
        const now = Date.now();
        return {
          items: rows.map((r) => {
            const due = new Date(r.due_at as string | Date).getTime();
            const workingDaysLeft =
              due >= now ? workingDaysBetween(cal, now, due) : -workingDaysBetween(cal, due, now);
            return { ...camel(r), workingDaysLeft };
          }),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/units',
      summary: 'Responsible units',
      tag: 'units',
      roles: ALL,
      ownership: 'none',
      response: UnitListSchema,
      handler: async () => {
        const rows = await conn().execute<Record<string, unknown>[]>(
          'select id, name_zh, name_en, kind, active from units order by kind, id',
        );
        return { items: rows.map(camel) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/units',
      summary: 'Create a unit (admin)',
      tag: 'units',
      roles: ['admin'],
      ownership: 'none',
      responseStatus: 201,
      body: UnitCreateSchema,
      response: UnitSchema,
      handler: async (req) => {
        const b = req.body as z.infer<typeof UnitCreateSchema>;
        // The unit and its audit row together: a new unit is who receives orders from then on.
        const row = await (ctx.orm.em.fork() as EntityManager).transactional(async (tx) => {
          const rows = await sql(
            tx,
            `insert into units (id, name_zh, name_en, kind, active) values (?,?,?,?,true) on conflict (id) do nothing returning id, name_zh, name_en, kind, active`,
            [b.id, b.nameZh, b.nameEn, b.kind],
          );
          if (!rows[0]) return undefined;
          await recordAudit(tx, {
            ...auditActor(principal(req)),
            action: 'unit.create',
            target: `unit:${b.id}`,
            requestId: req.requestId ?? null,
            details: { kind: b.kind },
          });
          return rows[0];
        });
        if (!row) throw new HttpProblem(409, 'conflict', `unit ${b.id} already exists`);
        return camel(row);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/units/:unitId',
      summary: 'A unit with its contacts and group robots (admin)',
      tag: 'units',
      roles: ['admin'],
      ownership: 'none',
      response: UnitContactsSchema,
      handler: async (req) => {
        const u = await unitContacts(ctx.orm.em.fork() as EntityManager, String(req.params.unitId));
        if (!u) throw notFound('unit');
        return u;
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/units/:unitId',
      summary:
        'Edit a unit’s contact mailbox, head contact and WeCom / DingTalk robots (admin; the DingTalk secret is write-only)',
      tag: 'units',
      roles: ['admin'],
      ownership: 'none',
      body: UnitUpdateSchema,
      response: UnitContactsSchema,
      handler: async (req) => {
        try {
          const u = await updateUnit(ctx.orm.em.fork() as EntityManager, {
            unitId: String(req.params.unitId),
            change: req.body as UnitUpdate,
            secretKey: ctx.reporterKey,
            actor: auditActor(principal(req)),
            requestId: req.requestId,
          });
          if (!u) throw notFound('unit');
          return u;
        } catch (err) {
          if (err instanceof UnitUpdateConflict)
            throw new HttpProblem(422, 'validation-error', err.message, {
              errors: [{ path: err.path, message: err.message }],
            });
          throw err;
        }
      },
    }),
  ];
}
