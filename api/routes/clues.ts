/** Clue routes: intake, lists, detail, timeline, and one route per transition (each a Temporal Update). */
import type { Request } from 'express';
import type { EntityManager } from '@mikro-orm/postgresql';
import { likeEscape } from '../../src/db/sql';
import { z } from 'zod';
import type { WorkflowHandle } from '@temporalio/client';
import { auditActor, recordAudit } from '../../src/audit';
import type { AppContext } from '../../src/context';
import { decryptReporter } from '../../src/auth/reporter';
import { clueWorkflowId, ensureStarted, registerClue, reopenClue } from '../../src/services/clues';
import type { Role } from '../../src/domain/enums';
import { allowedTransitions } from '../../workflows/clue.workflow';
import { invalidTransition } from '../../src/domain/failures';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import * as msgs from '../../workflows/clue.messages';
import type { ClueState } from '../../workflows/clue.messages';
import { principal } from '../auth';
import { loadVisibleClue, requireRelation, visibilitySql } from '../access';
import { forbidden, HttpProblem } from '../problem';
import { defineRoute, parsedQuery, type RouteDef } from '../registry';
import {
  ClueIntakeSchema,
  ClueListQuery,
  ClueListSchema,
  ClueStateSchema,
  ClueViewSchema,
  RegisteredClueSchema,
  TimelineSchema,
  TransitionBodies,
  UnmaskBodySchema,
  UnmaskedReporterSchema,
} from '../schemas';

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** The workflow state as the API shows it: every timestamp ISO-8601, absent parts null. */
export function toApiState(s: ClueState) {
  return {
    clueId: s.clueId,
    ref: s.ref,
    stage: s.stage,
    grade: s.grade,
    keyClue: s.keyClue,
    leadUnitId: s.leadUnitId,
    coHandlingUnitIds: s.coHandlingUnitIds,
    overdueLevel: s.overdueLevel,
    nextDueAt: iso(s.nextDueAt),
    allowedTransitions: allowedTransitions(s.stage),
    clocks: s.clocks.map((c) => ({
      clockId: c.id,
      task: c.task,
      unitId: c.unitId,
      label: c.label ?? null,
      startedAt: iso(c.startedAt)!,
      dueAt: iso(c.dueAt)!,
      status: c.status,
      level: c.level,
      completedAt: iso(c.completedAt),
      late: c.late,
      pendingExtensionId: c.pendingExtension?.id ?? null,
    })),
    verification: s.verification ? { ...s.verification, at: iso(s.verification.at)! } : null,
    classification: s.classification ? { ...s.classification, at: iso(s.classification.at)! } : null,
    plan: s.plan
      ? {
          strategies: s.plan.strategies,
          measures: s.plan.measures,
          responsiblePerson: s.plan.responsiblePerson,
          version: s.plan.version,
          submittedBy: s.plan.submittedBy,
          submittedAt: iso(s.plan.submittedAt)!,
          approvedAt: iso(s.plan.approvedAt),
        }
      : null,
    milestones: s.milestones.map((m) => ({
      id: m.id,
      title: m.title,
      dueAt: iso(m.dueAt)!,
      completedAt: iso(m.completedAt),
      note: m.note ?? null,
    })),
    actions: s.actions.map((a) => ({ description: a.description, by: a.by, at: iso(a.at)! })),
    referrals: s.referrals.map((r) => ({
      id: r.id,
      seq: r.seq,
      status: r.status,
      sentAt: iso(r.sentAt)!,
      policeCaseNumber: r.policeCaseNumber ?? null,
      reason: r.reason ?? null,
    })),
    followUps: s.followUps.map((f) => ({
      index: f.index,
      resurgence: f.resurgence,
      findings: f.findings,
      by: f.by,
      at: iso(f.at)!,
    })),
    closure: s.closure
      ? {
          summary: s.closure.summary,
          requestedBy: s.closure.requestedBy,
          requestedAt: iso(s.closure.requestedAt)!,
          returnTo: s.closure.returnTo,
        }
      : null,
    closedAt: iso(s.closedAt),
    reopenCount: s.reopenCount,
  };
}

type TransitionSpec = {
  path: string;
  update: (typeof msgs)[keyof typeof msgs];
  body: z.ZodObject;
  roles: readonly Role[];
  relation: 'lead' | 'co' | 'lead_or_co' | 'police' | 'any';
  summary: string;
  /** Extra fields taken from path parameters. */
  fromParams?: (req: Request) => Record<string, string>;
};

/** Transitions on one clock: a unit may only touch its own clocks. */
const CLOCK_OWNER_TRANSITIONS = new Set(['deadline-extensions', 'clock-pauses', 'clock-resumptions']);

const UNIT_OR_COORD: Role[] = ['unit_officer', 'coordinator'];
const COORD: Role[] = ['coordinator'];

const TRANSITIONS: TransitionSpec[] = [
  {
    path: 'verification',
    update: msgs.verifyUpdate,
    body: TransitionBodies.verification,
    roles: UNIT_OR_COORD,
    relation: 'lead',
    summary: 'Record the verification of the facts (lead unit)',
  },
  {
    path: 'classification',
    update: msgs.classifyUpdate,
    body: TransitionBodies.classification,
    roles: UNIT_OR_COORD,
    relation: 'lead',
    summary: 'Classify the nature and the repayment ability and willingness (notice V.II)',
  },
  {
    path: 'plan',
    update: msgs.submitPlanUpdate,
    body: TransitionBodies.plan,
    roles: UNIT_OR_COORD,
    relation: 'lead',
    summary: 'Submit the "one thing, one policy" disposal plan',
  },
  {
    path: 'plan-review',
    update: msgs.reviewPlanUpdate,
    body: TransitionBodies['plan-review'],
    roles: COORD,
    relation: 'any',
    summary: 'Approve or return the disposal plan',
  },
  {
    path: 'actions',
    update: msgs.recordActionUpdate,
    body: TransitionBodies.actions,
    roles: UNIT_OR_COORD,
    relation: 'lead',
    summary: 'Record a disposal action',
  },
  {
    path: 'milestones/:mid/completion',
    update: msgs.completeMilestoneUpdate,
    body: TransitionBodies['milestone-completion'],
    roles: UNIT_OR_COORD,
    relation: 'lead',
    summary: 'Complete a milestone of the plan',
    fromParams: (req) => ({ milestoneId: String(req.params.mid) }),
  },
  {
    path: 'referral',
    update: msgs.referUpdate,
    body: TransitionBodies.referral,
    roles: UNIT_OR_COORD,
    relation: 'lead',
    summary: 'Refer the clue to public security (notice IV.5–IV.6)',
  },
  {
    path: 'referral-acknowledgement',
    update: msgs.acknowledgeReferralUpdate,
    body: TransitionBodies['referral-acknowledgement'],
    roles: ['police_liaison'],
    relation: 'police',
    summary: 'Acknowledge a referral: accept with a case number, or return for more evidence',
  },
  {
    path: 'follow-ups',
    update: msgs.followUpUpdate,
    body: TransitionBodies['follow-ups'],
    roles: UNIT_OR_COORD,
    relation: 'lead',
    summary: 'Record a monitoring follow-up check (notice IV.4)',
  },
  {
    path: 'closure',
    update: msgs.requestClosureUpdate,
    body: TransitionBodies.closure,
    roles: UNIT_OR_COORD,
    relation: 'lead',
    summary: 'Request closure with a summary',
  },
  {
    path: 'closure/decision',
    update: msgs.decideClosureUpdate,
    body: TransitionBodies['closure-decision'],
    roles: COORD,
    relation: 'any',
    summary: 'Approve or return a closure',
  },
  {
    path: 'reopening',
    update: msgs.reopenUpdate,
    body: TransitionBodies.reopening,
    roles: COORD,
    relation: 'any',
    summary: 'Reopen a closed clue',
  },
  {
    path: 'deadline-extensions',
    update: msgs.requestExtensionUpdate,
    body: TransitionBodies['deadline-extensions'],
    roles: ['unit_officer', 'coordinator', 'police_liaison'],
    relation: 'any',
    summary: 'Request a deadline extension for a clock',
  },
  {
    path: 'deadline-extensions/:eid/decision',
    update: msgs.decideExtensionUpdate,
    body: TransitionBodies['deadline-extension-decision'],
    roles: COORD,
    relation: 'any',
    summary: 'Approve or reject a deadline extension',
    fromParams: (req) => ({ extensionId: String(req.params.eid) }),
  },
  {
    path: 'clock-pauses',
    update: msgs.pauseClockUpdate,
    body: TransitionBodies['clock-pauses'],
    roles: UNIT_OR_COORD,
    relation: 'lead',
    summary: 'Pause a clock (e.g. waiting on another agency)',
  },
  {
    path: 'clock-resumptions',
    update: msgs.resumeClockUpdate,
    body: TransitionBodies['clock-resumptions'],
    roles: UNIT_OR_COORD,
    relation: 'lead',
    summary: 'Resume a paused clock with the time that was left',
  },
  {
    path: 'information-exchange',
    update: msgs.exchangeInformationUpdate,
    body: TransitionBodies['information-exchange'],
    roles: ['unit_officer'],
    relation: 'co',
    summary: 'Co-handling unit files its information exchange (notice V.II, VI.2)',
  },
  {
    path: 'regrade',
    update: msgs.regradeUpdate,
    body: TransitionBodies.regrade,
    roles: COORD,
    relation: 'any',
    summary: 'Re-grade the clue; open clocks are re-tiered',
  },
];

export function clueRoutes(ctx: AppContext): RouteDef[] {
  const em = () => ctx.orm.em.fork() as EntityManager;
  const handle = (id: string): WorkflowHandle => ctx.temporal.workflow.getHandle(clueWorkflowId(id));
  const defs: RouteDef[] = [];
  /** The state a clue's ended workflow left in the ledger; undefined while a run is open. */
  const endedState = async (id: string): Promise<ClueState | undefined> => {
    const [r] = await em()
      .getConnection()
      .execute<{ carried: { state: ClueState } | null }[]>(
        `select workflow_carried as carried from clues where id = ? and workflow_ended_at is not null`,
        [id],
      );
    return r?.carried?.state ?? undefined;
  };

  defs.push(
    defineRoute({
      method: 'post',
      path: '/clues',
      summary: 'Register a clue and start its disposal workflow (Idempotency-Key honoured)',
      tag: 'clues',
      roles: ['coordinator'],
      ownership: 'none',
      body: ClueIntakeSchema,
      response: RegisteredClueSchema,
      responseStatus: 201,
      responseHeaders: z.object({ Location: z.string() }),
      handler: async (req, res) => {
        const p = principal(req);
        const body = req.body as z.infer<typeof ClueIntakeSchema>;
        // The route gate has claimed the Idempotency-Key; the clue row keeps it too, so even a
        // retry after a crash between insert and answer finds the same clue.
        const key = req.idempotencyKey ? `${p.userId}:${req.idempotencyKey}` : undefined;
        const r = await registerClue(ctx, body, { createdBy: p.userId, idempotencyKey: key });
        res.locals.status = r.created ? 201 : 200;
        if (!r.created) res.setHeader('Idempotent-Replayed', 'true');
        res.location(`/api/v1/clues/${r.id}`);
        return {
          id: r.id,
          ref: r.ref,
          grade: r.grade,
          riskScore: r.riskScore,
          keyClue: r.keyClue,
          duplicateOfId: r.duplicateOfId,
          workflowId: clueWorkflowId(r.id),
        };
      },
    }),
  );

  defs.push(
    defineRoute({
      method: 'get',
      path: '/clues',
      summary: 'List clues visible to you (filters, cursor pages)',
      tag: 'clues',
      roles: ['coordinator', 'leader', 'unit_officer', 'police_liaison'],
      ownership: 'none',
      query: ClueListQuery,
      response: ClueListSchema,
      handler: async (req) => {
        const p = principal(req);
        const q = parsedQuery<z.infer<typeof ClueListQuery>>(req);
        const vis = visibilitySql(p);
        const where: string[] = [vis.sql];
        const params: unknown[] = [...vis.params];
        if (q.stage) {
          where.push('c.stage = ?');
          params.push(q.stage);
        }
        if (q.grade) {
          where.push('c.grade = ?');
          params.push(q.grade);
        }
        if (q.unit) {
          where.push('(c.lead_unit_id = ? or ? = any(c.co_handling_unit_ids))');
          params.push(q.unit, q.unit);
        }
        if (q.keyArea) {
          where.push('c.key_area = ?');
          params.push(q.keyArea);
        }
        if (q.behaviour) {
          where.push('? = any(c.key_behaviours)');
          params.push(q.behaviour);
        }
        if (q.keyClue) {
          where.push('c.key_clue = ?');
          params.push(q.keyClue === 'true');
        }
        if (q.overdue) where.push(q.overdue === 'true' ? 'c.overdue_level > 0' : 'c.overdue_level = 0');
        if (q.q) {
          where.push(`(c.subject_name ilike ? or c.ref ilike ?)`);
          params.push(`%${likeEscape(q.q)}%`, `%${likeEscape(q.q)}%`);
        }
        if (q.creditCode) {
          where.push('c.credit_code = ?');
          params.push(q.creditCode.toUpperCase());
        }
        if (q.pending === 'extension') {
          // Requested and not decided, on a clock still running (a completed clock drops its request).
          where.push(`exists (select 1 from timeline_events e
              join clocks k on k.key = 'clue:' || c.id || ':' || (e.data->>'clockId') and k.status in ('open', 'paused')
             where e.owner_type = 'clue' and e.owner_id = c.id and e.kind = 'clock.extension_requested'
               and not exists (select 1 from timeline_events d where d.owner_type = 'clue' and d.owner_id = c.id
                                 and d.kind = 'clock.extension_decided' and d.data->>'extensionId' = e.data->>'extensionId'))`);
        } else if (q.pending === 'returned_referral') {
          // The latest referral came back from public security and the clue is still open.
          where.push(
            `c.stage <> 'closed' and (select r.status from referrals r where r.clue_id = c.id order by r.seq desc limit 1) = 'returned'`,
          );
        }
        if (q.cursor) {
          const cur = decodeCursor(q.cursor);
          where.push('(c.created_at, c.id) < (?::timestamptz, ?)');
          params.push(cur.createdAt, cur.id);
        }
        const dupVis = visibilitySql(p, 'd');
        const rows = await em()
          .getConnection()
          .execute<Record<string, unknown>[]>(
            `select c.id, c.ref, c.subject_name, c.source_channel, c.key_area, c.key_behaviours, c.amount_cny, c.participants, c.risk_score,
                    c.grade, c.key_clue, c.stage, c.nature, c.lead_unit_id, c.co_handling_unit_ids, c.overdue_level, c.next_due_at,
                    (select d.id from clues d where d.id = c.duplicate_of_id and ${dupVis.sql}) as duplicate_of_id, c.created_at
               from clues c where ${where.join(' and ')} order by c.created_at desc, c.id desc limit ?`,
            // A duplicate link is shown only if the caller may see the clue it points to.
            [...dupVis.params, ...params, q.limit + 1],
          );
        const page = rows.slice(0, q.limit);
        const last = page[page.length - 1];
        return {
          items: page.map(summary),
          nextCursor:
            rows.length > q.limit && last ? encodeCursor(String(last.created_at), String(last.id)) : null,
        };
      },
    }),
  );

  defs.push(
    defineRoute({
      method: 'get',
      path: '/clues/:id',
      summary: 'One clue: ledger facts and live disposal state (police liaison: the referral package only)',
      tag: 'clues',
      roles: ['coordinator', 'leader', 'unit_officer', 'police_liaison'],
      ownership: 'clue',
      unitRelation: 'any',
      response: ClueViewSchema,
      handler: async (req) => {
        const p = principal(req);
        const { row, relation } = await loadVisibleClue(em(), p, String(req.params.id));
        if (relation === 'police') {
          const referrals = await em()
            .getConnection()
            .execute<Record<string, unknown>[]>(
              'select id, status, sent_at, acknowledged_at, police_case_number, package from referrals where clue_id = ? and police_unit_id = ? order by seq',
              [row.id, p.unitId],
            );
          return {
            view: 'referral',
            id: row.id,
            ref: row.ref,
            stage: row.stage,
            referrals: referrals.map(camel),
          };
        }
        const [facts] = await em()
          .getConnection()
          .execute<Record<string, unknown>[]>(
            `select id, ref, source_channel, description, subject_name, subject_kind, credit_code, registration_place, operating_place, frequent_changes,
                    key_area, key_behaviours, online, amount_cny, participants, public_opinion, stability_risk, targets_vulnerable,
                    lead_unit_id, co_handling_unit_ids, duplicate_of_id, risk_score, grade, key_flag, key_clue, stage, nature,
                    overdue_level, next_due_at, created_at, updated_at, closed_at, (reporter_enc is not null) as has_reporter
               from clues where id = ?`,
            [row.id],
          );
        let state: ReturnType<typeof toApiState> | null = null;
        // A closed clue whose workflow ended is read from the state its run left in the ledger.
        const ended = row.stage === 'closed' ? await endedState(row.id) : undefined;
        if (ended) state = toApiState(ended);
        else if (row.stage !== 'registered') state = toApiState(await handle(row.id).query(msgs.stateQuery));
        const out: Record<string, unknown> = {
          view: 'full',
          ...camel(facts ?? {}),
          amountCny: Number(facts?.amount_cny),
          state,
        };
        // A duplicate link must not reveal a clue the caller may not see.
        if (typeof out.duplicateOfId === 'string' && relation !== 'all') {
          const vis = visibilitySql(p);
          const seen = await em()
            .getConnection()
            .execute<unknown[]>(`select 1 from clues c where c.id = ? and ${vis.sql}`, [
              out.duplicateOfId,
              ...vis.params,
            ]);
          if (seen.length === 0) out.duplicateOfId = null;
        }
        return out;
      },
    }),
  );

  defs.push(
    defineRoute({
      method: 'get',
      path: '/clues/:id/timeline',
      summary: "The clue's timeline: stage changes, clock events, reminders, escalations, decisions",
      tag: 'clues',
      roles: ['coordinator', 'leader', 'unit_officer'],
      ownership: 'clue',
      unitRelation: 'lead_or_co',
      response: TimelineSchema,
      handler: async (req) => {
        const { row } = await loadVisibleClue(em(), principal(req), String(req.params.id));
        const events = await em()
          .getConnection()
          .execute<Record<string, unknown>[]>(
            // The actor's name beside the id: a reader sees who acted, not an account key.
            `select e.kind, e.actor_id, u.name as actor_name, e.actor_role, e.data, e.at
               from timeline_events e left join users u on u.id = e.actor_id
              where e.owner_type = 'clue' and e.owner_id = ? order by e.at, e.id`,
            [row.id],
          );
        return { items: events.map(camel) };
      },
    }),
  );

  defs.push(
    defineRoute({
      method: 'post',
      path: '/clues/:id/reporter/unmask',
      summary: "Reveal the reporter's identity (coordinators only; reason required; audited)",
      tag: 'clues',
      roles: ['coordinator'],
      ownership: 'clue',
      unitRelation: 'any',
      body: UnmaskBodySchema,
      response: UnmaskedReporterSchema,
      handler: async (req) => {
        const p = principal(req);
        const { row } = await loadVisibleClue(em(), p, String(req.params.id));
        const [r] = await em()
          .getConnection()
          .execute<{ reporter_enc: string | null }[]>('select reporter_enc from clues where id = ?', [
            row.id,
          ]);
        // Written before the identity is returned: no unmask without its audit row.
        await recordAudit(em(), {
          ...auditActor(p),
          action: 'reporter.unmask',
          target: `clue:${row.id}`,
          requestId: req.requestId,
          details: { ref: row.ref, reason: (req.body as { reason: string }).reason },
        });
        if (!r?.reporter_enc) return { reporter: null };
        return { reporter: decryptReporter(ctx.reporterKey, r.reporter_enc) };
      },
    }),
  );

  for (const t of TRANSITIONS) {
    defs.push(
      defineRoute({
        method: 'post',
        path: `/clues/:id/${t.path}`,
        summary: t.summary,
        tag: 'transitions',
        roles: t.roles,
        ownership: 'clue',
        unitRelation: t.relation,
        body: t.body,
        response: ClueStateSchema,
        handler: async (req) => {
          const p = principal(req);
          const { row, relation } = await loadVisibleClue(em(), p, String(req.params.id));
          requireRelation(relation, t.relation);
          // Still `registered` in the ledger: its workflow takes the update all the same (it registers
          // before it listens); made sure it runs, in case intake stopped between the row and the start.
          if (row.stage === 'registered') await ensureStarted(ctx, row.id, false);
          if (CLOCK_OWNER_TRANSITIONS.has(t.path) && p.role !== 'coordinator') {
            // Outside the District Office, only the unit that owes a clock may ask to extend, pause or resume it.
            const clockId = String((req.body as { clockId?: unknown }).clockId);
            const [clock] = await em()
              .getConnection()
              .execute<{ unit_id: string }[]>(`select unit_id from clocks where key = ?`, [
                `clue:${row.id}:${clockId}`,
              ]);
            if (clock && clock.unit_id !== p.unitId) throw forbidden('this clock belongs to another unit');
          }
          const actor = { userId: p.userId, role: p.role, unitId: p.unitId };
          const args = { ...(req.body as object), ...(t.fromParams?.(req) ?? {}), actor };
          // Reopening works whether the workflow is open or ended (a new run carries the clue on).
          if (t.path === 'reopening')
            return toApiState(await reopenClue(ctx, row.id, args as msgs.ReopeningInput));
          if (row.stage === 'closed' && (await endedState(row.id))) {
            // No run to ask: a closed clue allows only reopening, as its validator would say.
            throw new WorkflowUpdateFailedError(
              'Workflow Update failed',
              invalidTransition((t.update as { name: string }).name, 'closed', allowedTransitions('closed')),
            );
          }
          const state = (await handle(row.id).executeUpdate(t.update as never, {
            args: [args] as never,
          })) as ClueState;
          return toApiState(state);
        },
      }),
    );
  }
  return defs;
}

const PG_TIMESTAMP = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d(?::?\d\d)?)?$/;

/** PostgreSQL's text form of a timestamptz ('2026-11-26 02:20:06.787983+00') as ISO-8601 UTC. */
export function isoFromPg(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  const m = PG_TIMESTAMP.exec(String(v));
  if (!m) return String(v);
  let zone = m[3] ?? 'Z';
  if (/^[+-]\d\d$/.test(zone)) zone += ':00';
  else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const d = new Date(`${m[1]}T${m[2]!.slice(0, 12)}${zone}`);
  return Number.isNaN(d.getTime()) ? String(v) : d.toISOString();
}

/** Column name → [camelCase name, is a timestamp column]; a ledger page repeats the same few keys. */
const columnNames = new Map<string, [string, boolean]>();
function columnName(k: string): [string, boolean] {
  let c = columnNames.get(k);
  if (!c) {
    c = [k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase()), /(^|_)at$/.test(k)];
    if (columnNames.size < 1000) columnNames.set(k, c);
  }
  return c;
}

/** snake_case row → camelCase object; timestamp columns (`*_at`) become ISO-8601. */
export function camel(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in row) {
    const v = row[k];
    const [name, isTime] = columnName(k);
    out[name] = isTime || v instanceof Date ? isoFromPg(v) : v;
  }
  return out;
}

function summary(r: Record<string, unknown>) {
  const c = camel(r);
  return {
    ...c,
    amountCny: Number(c.amountCny),
    nextDueAt: (c.nextDueAt as string | null) ?? null,
    duplicateOfId: (c.duplicateOfId as string | null) ?? null,
  };
}

/**
 * Keyset cursor (created_at, id). The timestamp is kept exactly as PostgreSQL wrote it (microseconds),
 * so rows created within the same millisecond are neither skipped nor repeated.
 */
export function encodeCursor(createdAt: Date | string, id: string): string {
  const at = createdAt instanceof Date ? createdAt.toISOString() : String(createdAt);
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}
export function decodeCursor(s: string): { createdAt: string; id: string } {
  try {
    const [c, id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof c !== 'string' || !PG_TIMESTAMP.test(c) || Number.isNaN(Date.parse(isoFromPg(c)!)))
      throw new Error('bad');
    if (typeof id !== 'string' || id.length === 0 || id.length > 64) throw new Error('bad');
    return { createdAt: c, id };
  } catch {
    throw new HttpProblem(422, 'validation-error', 'cursor is not valid', {
      errors: [{ path: ['cursor'], message: 'invalid cursor' }],
    });
  }
}
