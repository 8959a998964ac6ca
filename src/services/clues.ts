/**
 * Clue intake (notice IV.1, IV.3): validate, score and grade, detect duplicates, store the row and
 * start its disposal workflow `clue-<id>`. Used by the API and the bulk import alike.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgTextArray } from '../db/sql';
import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { encryptReporter, type Reporter } from '../auth/reporter';
import { normalizeSubjectName, validateCreditCode, type CreditCodeProblem } from '../domain/credit-code';
import type {
  Grade,
  KeyArea,
  KeyBehaviour,
  PublicOpinionLevel,
  SourceChannel,
  StabilityRiskLevel,
  SubjectKind,
} from '../domain/enums';
import { isKeyClue, riskGrade, riskScore } from '../domain/risk';
import { resolvePolicy, type AppContext } from '../context';
import { allowedTransitions, type ClueWorkflowInput, type clueWorkflow } from '../../workflows/clue.workflow';
import {
  carriedQuery,
  reopenUpdate,
  retentionCheckSignal,
  type CarriedClue,
  type ClueState,
  type ReopeningInput,
} from '../../workflows/clue.messages';
import { invalidTransition } from '../domain/failures';
import { addDuration } from '../calendar';
import { DEFAULT_RETENTION } from '../policy';
import { startDuplicateNotice } from '../ledger/duplicates';
import type { Said } from '../ledger/messages';

export interface ClueIntake {
  sourceChannel: SourceChannel;
  description: string;
  subject: {
    name: string;
    kind: SubjectKind;
    creditCode?: string;
    registrationPlace?: string;
    operatingPlace?: string;
    frequentChanges?: boolean;
  };
  keyArea: KeyArea;
  keyBehaviours: KeyBehaviour[];
  online: boolean;
  amountCny: number;
  participants: number;
  publicOpinion: PublicOpinionLevel;
  stabilityRisk: StabilityRiskLevel;
  leadUnitId: string;
  coHandlingUnitIds?: string[];
  keyFlag?: boolean;
  reporter?: Reporter;
}

export class IntakeError extends Error {
  constructor(
    message: string,
    readonly path: (string | number)[],
    /** The same, to be worded in the reader's language (the import report). */
    readonly said?: Said,
  ) {
    super(message);
  }
}

/** A refused credit code, to be worded in the reader's language. */
export function creditCodeSaid(p: CreditCodeProblem): Said {
  const { kind, ...params } = p;
  return { key: `ledger.import.err.creditCode.${kind}`, params };
}

const VULNERABLE: KeyBehaviour[] = ['targets_elderly', 'targets_disabled', 'targets_poor'];

export interface RegisteredClue {
  id: string;
  ref: string;
  grade: Grade;
  riskScore: number;
  keyClue: boolean;
  duplicateOfId: string | null;
  created: boolean;
}

export function clueWorkflowId(clueId: string): string {
  return `clue-${clueId}`;
}

async function checkUnits(em: EntityManager, c: ClueIntake): Promise<void> {
  const ids = [c.leadUnitId, ...(c.coHandlingUnitIds ?? [])];
  const rows = await em
    .getConnection()
    .execute<{ id: string; kind: string }[]>(
      `select id, kind from units where active and id = any(?::text[])`,
      [`{${ids.map((i) => `"${i.replace(/"/g, '')}"`).join(',')}}`],
    );
  const known = new Map(rows.map((r) => [r.id, r.kind]));
  const unknownUnit = (u: string, path: (string | number)[]) =>
    new IntakeError(`unknown unit "${u}"`, path, {
      key: 'ledger.import.err.unknownUnit',
      params: { value: u },
    });
  if (!known.has(c.leadUnitId)) throw unknownUnit(c.leadUnitId, ['leadUnitId']);
  (c.coHandlingUnitIds ?? []).forEach((u, i) => {
    if (!known.has(u)) throw unknownUnit(u, ['coHandlingUnitIds', i]);
    if (u === c.leadUnitId)
      throw new IntakeError('the lead unit cannot also co-handle', ['coHandlingUnitIds', i], {
        key: 'ledger.import.err.leadAlsoCo',
      });
  });
  if (new Set(c.coHandlingUnitIds ?? []).size !== (c.coHandlingUnitIds ?? []).length) {
    throw new IntakeError('co-handling units must be distinct', ['coHandlingUnitIds'], {
      key: 'ledger.import.err.coDistinct',
    });
  }
}

/**
 * Registers a clue exactly once per business key (Idempotency-Key or import key): a repeat returns
 * the existing clue and makes sure its workflow runs.
 */
export async function registerClue(
  ctx: AppContext,
  c: ClueIntake,
  o: { createdBy: string; idempotencyKey?: string; importKey?: string },
): Promise<RegisteredClue> {
  const em = ctx.orm.em.fork() as EntityManager;
  const conn = em.getConnection();
  const keyCol = o.idempotencyKey ? 'idempotency_key' : o.importKey ? 'import_key' : undefined;
  const keyVal = o.idempotencyKey ?? o.importKey;
  // An import repeated after a failure finds its rows here without spending reference numbers. An API
  // repeat never gets this far (api/idempotency.ts replays it), except after a failure: the insert's
  // unique key catches that one below, one statement less per clue.
  /** The clue already registered under this request's business key, its workflow made sure of. */
  const existingByKey = async (): Promise<RegisteredClue | undefined> => {
    if (!keyCol) return undefined;
    const [row] = await conn.execute<{ id: string }[]>(`select id from clues where ${keyCol} = ?`, [keyVal]);
    return row ? ensureStarted(ctx, row.id, false) : undefined;
  };
  if (keyCol === 'import_key') {
    const existing = await existingByKey();
    if (existing) return existing;
  }
  let creditCode: string | null = null;
  if (c.subject.creditCode) {
    const v = validateCreditCode(c.subject.creditCode);
    if (!v.ok)
      throw new IntakeError(
        `unified social credit code ${v.reason}`,
        ['subject', 'creditCode'],
        creditCodeSaid(v.problem),
      );
    creditCode = v.normalized;
  }
  await checkUnits(em, c);
  const { score } = riskScore({
    participants: c.participants,
    amountCny: c.amountCny,
    publicOpinion: c.publicOpinion,
    stabilityRisk: c.stabilityRisk,
    targetsVulnerable: c.keyBehaviours.some((b) => VULNERABLE.includes(b)),
    online: c.online,
  });
  const grade = riskGrade(score);
  const keyClue = isKeyClue(grade, c.keyFlag ?? false);
  const nameNorm = normalizeSubjectName(c.subject.name);
  const id = randomUUID();
  const [{ seq } = { seq: 0 }] = await conn.execute<{ seq: number }[]>(
    `select nextval('clue_seq')::int as seq`,
  );
  const ref = `XS-${new Date().getUTCFullYear()}-${String(seq).padStart(6, '0')}`;
  let duplicateOfId: string | null;
  try {
    // Duplicate: an open clue about the same subject (credit code, or normalised name), looked up in
    // the insert itself (one round trip: each costs the API more CPU than the statement costs PostgreSQL).
    const [inserted] = await conn.execute<{ duplicate_of_id: string | null }[]>(
      `insert into clues (id, ref, seq, source_channel, description, subject_name, subject_name_norm, subject_kind, credit_code,
         registration_place, operating_place, frequent_changes, key_area, key_behaviours, online, amount_cny, participants,
         public_opinion, stability_risk, targets_vulnerable, reporter_enc, lead_unit_id, co_handling_unit_ids, duplicate_of_id,
         risk_score, grade, key_flag, key_clue, stage, idempotency_key, import_key, created_by)
       values (?,?,?,?,?,?,?,?,?,?,?,?,?,?::text[],?,?,?,?,?,?,?,?,?::text[],
         (select d.id from clues d where d.stage <> 'closed' and (d.credit_code = ? or d.subject_name_norm = ?) order by d.created_at limit 1),
         ?,?,?,?,'registered',?,?,?)
       returning duplicate_of_id`,
      [
        id,
        ref,
        seq,
        c.sourceChannel,
        c.description,
        c.subject.name.trim(),
        nameNorm,
        c.subject.kind,
        creditCode,
        c.subject.registrationPlace ?? null,
        c.subject.operatingPlace ?? null,
        c.subject.frequentChanges ?? false,
        c.keyArea,
        pgTextArray(c.keyBehaviours),
        c.online,
        c.amountCny,
        c.participants,
        c.publicOpinion,
        c.stabilityRisk,
        c.keyBehaviours.some((b) => VULNERABLE.includes(b)),
        c.reporter ? encryptReporter(ctx.reporterKey, c.reporter) : null,
        c.leadUnitId,
        pgTextArray(c.coHandlingUnitIds ?? []),
        creditCode,
        nameNorm,
        score,
        grade,
        c.keyFlag ?? false,
        keyClue,
        o.idempotencyKey ?? null,
        o.importKey ?? null,
        o.createdBy,
      ],
    );
    duplicateOfId = inserted?.duplicate_of_id ?? null;
  } catch (err) {
    // Two concurrent requests with the same key: the loser returns the winner's clue.
    if (/duplicate key|unique/i.test(String(err))) {
      const existing = await existingByKey();
      if (existing) return existing;
    }
    throw err;
  }
  return ensureStarted(ctx, id, true, {
    id,
    ref,
    grade,
    risk_score: score,
    key_clue: keyClue,
    duplicate_of_id: duplicateOfId,
    lead_unit_id: c.leadUnitId,
    co_handling_unit_ids: c.coHandlingUnitIds ?? [],
    created_by: o.createdBy,
    stage: 'registered',
  });
}

interface IntakeRow {
  id: string;
  ref: string;
  grade: Grade;
  risk_score: number;
  key_clue: boolean;
  duplicate_of_id: string | null;
  lead_unit_id: string;
  co_handling_unit_ids: string[];
  created_by: string;
  stage: string;
}

function workflowInput(
  ctx: AppContext,
  row: Pick<
    IntakeRow,
    'id' | 'ref' | 'grade' | 'key_clue' | 'lead_unit_id' | 'co_handling_unit_ids' | 'created_by'
  >,
): ClueWorkflowInput {
  return {
    clueId: row.id,
    ref: row.ref,
    grade: row.grade,
    keyClue: row.key_clue,
    leadUnitId: row.lead_unit_id,
    coHandlingUnitIds: row.co_handling_unit_ids,
    districtOfficeUnitId: ctx.config.units.districtOffice,
    policeUnitId: ctx.config.units.police,
    policy: resolvePolicy(ctx.config.policy),
    registeredBy: row.created_by,
  };
}

/** Starts the clue's workflow if it is not running yet (idempotent by workflow id). */
export async function ensureStarted(
  ctx: AppContext,
  clueId: string,
  created: boolean,
  /** The row just inserted, when the caller has it (saves reading it back). */
  inserted?: IntakeRow,
): Promise<RegisteredClue> {
  const em = ctx.orm.em.fork() as EntityManager;
  const [row] = inserted
    ? [inserted]
    : await em
        .getConnection()
        .execute<IntakeRow[]>(
          `select id, ref, grade, risk_score, key_clue, duplicate_of_id, lead_unit_id, co_handling_unit_ids, created_by, stage from clues where id = ?`,
          [clueId],
        );
  if (!row) throw new Error(`clue ${clueId} vanished`);
  if (row.stage === 'registered') {
    // A possible duplicate: the open clue's lead unit is told (its own small workflow, once).
    if (row.duplicate_of_id) await startDuplicateNotice(ctx, row.id);
    await ctx.temporal.workflow.start('clueWorkflow', {
      workflowId: clueWorkflowId(row.id),
      taskQueue: ctx.config.temporal.taskQueue,
      args: [workflowInput(ctx, row)],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
  }
  return {
    id: row.id,
    ref: row.ref,
    grade: row.grade,
    riskScore: row.risk_score,
    keyClue: row.key_clue,
    duplicateOfId: row.duplicate_of_id,
    created,
  };
}

/**
 * Intake writes the row, then starts the workflow; if the process died in between, the row is
 * left in stage `registered`. Start-up finishes those (idempotent by workflow id).
 */
export async function resumeStalledIntakes(ctx: AppContext, olderThanMs = 30_000): Promise<number> {
  const em = ctx.orm.em.fork() as EntityManager;
  const rows = await em
    .getConnection()
    .execute<{ id: string }[]>(
      `select id from clues where stage = 'registered' and created_at < now() - (? * interval '1 millisecond') order by created_at limit 1000`,
      [olderThanMs],
    );
  for (const r of rows) await ensureStarted(ctx, r.id, false);
  return rows.length;
}

/** What a reopening would carry into a new run, and whether a run is open now. */
interface CarriedNow {
  carried: CarriedClue | undefined;
  running: boolean;
}

/**
 * The clue's state as its latest run holds it: queried while the run is open (a closed clue's state and
 * event sequence do not change until it is reopened or ends, and ending changes neither), its result
 * once it completed, replayed by a worker for a run that was terminated, and from the ledger once
 * Temporal no longer has the run (its namespace retention purged it).
 */
async function carriedNow(ctx: AppContext, clueId: string): Promise<CarriedNow> {
  const handle = ctx.temporal.workflow.getHandle<typeof clueWorkflow>(clueWorkflowId(clueId));
  let status: string | undefined;
  let runId: string | undefined;
  try {
    const d = await handle.describe();
    status = d.status.name;
    runId = d.runId;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  if (status === 'RUNNING') return { carried: await handle.query(carriedQuery), running: true };
  if (status === 'COMPLETED') {
    const result = await ctx.temporal.workflow
      .getHandle<typeof clueWorkflow>(handle.workflowId, runId)
      .result();
    return { carried: result, running: false };
  }
  if (status !== undefined) {
    return {
      carried: await ctx.temporal.workflow.getHandle(handle.workflowId, runId).query(carriedQuery),
      running: false,
    };
  }
  const em = ctx.orm.em.fork() as EntityManager;
  const [row] = await em
    .getConnection()
    .execute<{ workflow_carried: CarriedClue | null }[]>(`select workflow_carried from clues where id = ?`, [
      clueId,
    ]);
  return { carried: row?.workflow_carried ?? undefined, running: false };
}

/** The run ended between reading its state and the reopening: read again and start the new run. */
const endedMeanwhile = (err: unknown) =>
  !(err instanceof WorkflowUpdateFailedError) &&
  (err instanceof WorkflowNotFoundError ||
    /completed|not found|aborted/i.test(String((err as Error)?.message)));

/**
 * Reopens a closed clue in one atomic call whether its workflow is open or ended (update-with-start):
 * inside the retention window the open run takes the reopening; after the run ended, a new run under the
 * same workflow id starts from the carried state (no second registration; its events continue the old
 * sequence, so every business key stays unique) and applies it. A clue that is not closed is refused
 * as the workflow's own validator refuses it (409).
 */
export async function reopenClue(
  ctx: AppContext,
  clueId: string,
  reopening: ReopeningInput,
): Promise<ClueState> {
  const em = ctx.orm.em.fork() as EntityManager;
  for (let attempt = 1; ; attempt++) {
    const { carried, running } = await carriedNow(ctx, clueId);
    if (!carried) throw new Error(`clue ${clueId}: no workflow run and no carried state to reopen from`);
    const stage = carried.state.stage;
    if (stage !== 'closed') {
      throw new WorkflowUpdateFailedError(
        'Workflow Update failed',
        invalidTransition('reopening', stage, allowedTransitions(stage)),
      );
    }
    const [row] = await em
      .getConnection()
      .execute<IntakeRow[]>(
        `select id, ref, grade, risk_score, key_clue, duplicate_of_id, lead_unit_id, co_handling_unit_ids, created_by, stage from clues where id = ?`,
        [clueId],
      );
    if (!row) throw new Error(`clue ${clueId} vanished`);
    const start = new WithStartWorkflowOperation<typeof clueWorkflow>('clueWorkflow', {
      workflowId: clueWorkflowId(clueId),
      taskQueue: ctx.config.temporal.taskQueue,
      args: [{ ...workflowInput(ctx, row), carried }],
      // An open run takes the reopening itself; only an ended one is followed by a new run.
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
    try {
      return await ctx.temporal.workflow.executeUpdateWithStart(reopenUpdate, {
        args: [reopening],
        startWorkflowOperation: start,
      });
    } catch (err) {
      if (running && attempt < 3 && endedMeanwhile(err)) continue;
      throw err;
    }
  }
}

/**
 * Wakes closed clues whose retention window has run out but whose workflow has not ended: runs closed
 * under code without the window wait with no timer and take the new path only at their next workflow
 * task (the signal gives them one, and they end at once). Run at worker start-up; cheap once they are gone.
 */
export async function wakeExpiredClosedClues(
  ctx: AppContext,
  o: { now?: number; limit?: number } = {},
): Promise<number> {
  const em = ctx.orm.em.fork() as EntityManager;
  const policy = resolvePolicy(ctx.config.policy);
  const now = o.now ?? Date.now();
  const limit = o.limit ?? 1000;
  const windowMs =
    addDuration(policy.calendarData, now, policy.retention ?? DEFAULT_RETENTION, 'calendar') - now;
  const rows = await em
    .getConnection()
    .execute<{ id: string }[]>(
      `select id from clues where stage = 'closed' and workflow_ended_at is null and closed_at < ? order by closed_at limit ?`,
      [new Date(now - windowMs), limit],
    );
  let woken = 0;
  for (const r of rows) {
    try {
      await ctx.temporal.workflow.getHandle(clueWorkflowId(r.id)).signal(retentionCheckSignal);
      woken += 1;
    } catch (err) {
      // Ended meanwhile, or terminated by an operator: nothing to wake.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  return woken;
}
