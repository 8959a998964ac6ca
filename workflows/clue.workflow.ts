/**
 * Clue disposal: one workflow per clue, id `clue-<clueId>` ("one thing, one policy", notice IV.3–IV.6, V.II).
 *
 * Stages: verifying → classifying → planning → plan_review → disposing → referred → monitoring →
 * closure_review → closed (reopenable). Every transition is an Update whose validator rejects a
 * transition the stage does not allow before it reaches history. Every deadline is a clock from
 * ./clock; one loop sleeps until the earliest reminder or escalation of any open clock.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { ClockEffect, ClueEffectsInput, createActivities } from '../activities';
import {
  FailureType,
  invalidInput,
  invalidTransition,
  unknownItem,
  type TransitionDetails,
} from '../src/domain/failures';
import type { Grade, Nature } from '../src/domain/enums';
import type { ResolvedPolicy, TaskKind } from '../src/policy';
import {
  SA_GRADE,
  SA_LEAD_UNIT,
  SA_NEXT_DUE_TIME,
  SA_OVERDUE_LEVEL,
  SA_STAGE,
} from '../src/temporal/search-attributes';
import {
  cancelClock,
  completeClock,
  daysOverdue,
  decideExtension,
  dueEventsAt,
  dueFromPolicy,
  isOpen,
  markHandled,
  nextEventAt,
  openClock,
  pauseClock,
  requestExtension,
  resumeClock,
  retierClock,
  type Clock,
  type ClockEvent,
} from './clock';
import {
  acknowledgeReferralUpdate,
  carriedQuery,
  classifyUpdate,
  completeMilestoneUpdate,
  decideClosureUpdate,
  decideExtensionUpdate,
  exchangeInformationUpdate,
  followUpUpdate,
  pauseClockUpdate,
  recordActionUpdate,
  referUpdate,
  regradeUpdate,
  reopenUpdate,
  requestClosureUpdate,
  requestExtensionUpdate,
  resumeClockUpdate,
  retentionCheckSignal,
  reviewPlanUpdate,
  stateQuery,
  submitPlanUpdate,
  verifyUpdate,
  type Actor,
  type CarriedClue,
  type ClueStage,
  type ClueState,
  type MilestoneInput,
  type ReferralState,
  type Transition,
} from './clue.messages';
import { nextWake, retentionEndsAt, retentionOf, retentionOver } from './retention';

type Activities = ReturnType<typeof createActivities>;

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface ClueWorkflowInput {
  clueId: string;
  ref: string;
  grade: Grade;
  keyClue: boolean;
  leadUnitId: string;
  coHandlingUnitIds: string[];
  /** Unit whose coordinators review plans, extensions and closures (the District Office). */
  districtOfficeUnitId: string;
  /** Unit of the public security organ that receives referrals. */
  policeUnitId: string;
  policy: ResolvedPolicy;
  registeredBy: string;
  /** Set when continuing as new, and on a new run that reopens a clue whose workflow ended. */
  carried?: CarriedClue;
  /**
   * Test-only: continue as new once the history has this many events, as if the server had suggested
   * it (deterministic: the history length is part of every workflow task). Carried to the next run.
   */
  continueAsNewAfterEvents?: number;
}

export interface TimelineEventInput {
  key: string;
  kind: string;
  actorId?: string;
  actorRole?: string;
  data: Record<string, unknown>;
  at: number;
}

/** Which transitions each stage allows (the 409 body lists them). Clock and record-keeping transitions are stage-independent. */
export const STAGE_TRANSITIONS: Record<ClueStage, Transition[]> = {
  registered: [],
  verifying: ['verification'],
  classifying: ['classification'],
  planning: ['plan', 'referral'],
  plan_review: ['plan-review'],
  disposing: ['actions', 'milestone-completion', 'referral'],
  referred: ['actions', 'milestone-completion', 'referral-acknowledgement'],
  monitoring: ['actions', 'follow-ups', 'closure', 'referral'],
  closure_review: ['closure-decision'],
  closed: ['reopening'],
};
const ANY_OPEN_STAGE: Transition[] = [
  'deadline-extensions',
  'deadline-extension-decision',
  'clock-pauses',
  'clock-resumptions',
  'information-exchange',
  'regrade',
];

export function allowedTransitions(stage: ClueStage): Transition[] {
  return stage === 'closed' ? STAGE_TRANSITIONS.closed : [...STAGE_TRANSITIONS[stage], ...ANY_OPEN_STAGE];
}

/**
 * Runs until the clue has stayed closed for the policy's retention window (then returns what a new run
 * would carry), continuing as new when the history grows long.
 */
export async function clueWorkflow(input: ClueWorkflowInput): Promise<CarriedClue> {
  const policy = input.policy;
  const now = () => Date.now();
  let eventSeq = input.carried?.eventSeq ?? 0;
  const state: ClueState = input.carried?.state ?? {
    clueId: input.clueId,
    ref: input.ref,
    stage: 'registered',
    grade: input.grade,
    keyClue: input.keyClue,
    leadUnitId: input.leadUnitId,
    coHandlingUnitIds: input.coHandlingUnitIds,
    milestones: [],
    actions: [],
    referrals: [],
    followUps: [],
    reopenCount: 0,
    clocks: [],
    overdueLevel: 0,
  };
  let pendingTimeline: TimelineEventInput[] = [];
  const pendingNotices: Parameters<Activities['notify']>[0][] = [];
  let dirty = false;

  // ---- helpers -------------------------------------------------------------------------------

  const record = (kind: string, actor: Actor | undefined, data: Record<string, unknown> = {}) => {
    eventSeq += 1;
    pendingTimeline.push({
      key: `clue:${state.clueId}:e${eventSeq}`,
      kind,
      actorId: actor?.userId,
      actorRole: actor?.role,
      data,
      at: now(),
    });
    dirty = true;
  };

  const clockSeq = () => state.clocks.length + 1;
  const open = (
    task: TaskKind,
    unitId: string,
    actor: Actor | undefined,
    opts: { dueAt?: number; label?: string; reason?: string } = {},
  ) => {
    const dueAt = opts.dueAt ?? dueFromPolicy(policy, task, state.grade, now());
    const c = openClock(
      {
        id: `${task}-${clockSeq()}`,
        task,
        unitId,
        label: opts.label,
        dueAt,
        by: actor?.userId ?? 'system',
        reason: opts.reason,
      },
      now(),
    );
    state.clocks.push(c);
    record('clock.opened', actor, {
      clockId: c.id,
      task,
      unitId,
      dueAt: new Date(dueAt).toISOString(),
      label: opts.label,
    });
    return c;
  };
  const openClocksOf = (task: TaskKind) => state.clocks.filter((c) => c.task === task && isOpen(c));
  const complete = (task: TaskKind, actor: Actor, reason?: string) => {
    for (const c of openClocksOf(task)) {
      completeClock(c, now(), actor.userId, reason);
      record('clock.completed', actor, { clockId: c.id, task, late: c.late });
    }
  };
  const cancelAll = (task: TaskKind, actor: Actor | undefined, reason: string) => {
    for (const c of openClocksOf(task)) {
      cancelClock(c, now(), actor?.userId ?? 'system', reason);
      record('clock.cancelled', actor, { clockId: c.id, task, reason });
    }
  };
  const findClock = (clockId: string): Clock => {
    const c = state.clocks.find((x) => x.id === clockId);
    if (!c) throw unknownItem(`no clock "${clockId}" on this clue`, ['clockId']);
    return c;
  };

  const stageUnits = () => [state.leadUnitId, ...state.coHandlingUnitIds];
  const setStage = (stage: ClueStage, actor: Actor | undefined, data: Record<string, unknown> = {}) => {
    const from = state.stage;
    state.stage = stage;
    record('stage.changed', actor, { from, to: stage, ...data });
    // Lead and co-handling units are told of every stage change (notice V.II, VI.2).
    pendingNotices.push({
      key: `clue:${state.clueId}:stage:e${eventSeq}`,
      kind: 'stage_changed',
      template: 'stageChanged',
      audience: { unitIds: stageUnits() },
      params: { clueRef: state.ref, stage },
      owner: { type: 'clue', id: state.clueId },
    });
  };

  const requireStage = (t: Transition) => {
    if (!allowedTransitions(state.stage).includes(t))
      throw invalidTransition(t, state.stage, allowedTransitions(state.stage));
  };
  /** The stage allows the transition but the item it targets is not in a state for it: also a 409. */
  const notPossible = (t: Transition, why: string) =>
    ApplicationFailure.create({
      type: FailureType.InvalidTransition,
      message: `"${t}" is not possible now: ${why}`,
      nonRetryable: true,
      details: [{ stage: state.stage, allowed: allowedTransitions(state.stage) } satisfies TransitionDetails],
    });
  const requireText = (v: string | undefined, field: string) => {
    if (typeof v !== 'string' || v.trim() === '') throw invalidInput(`${field} is required`, [field]);
  };

  const startMonitoring = (actor: Actor | undefined) => {
    setStage('monitoring', actor);
    // Back in monitoring after an on-demand referral: the follow-ups already running keep their dates.
    if (openClocksOf('follow_up').length > 0) return;
    const start = now();
    policy.followUps.forEach((offset, i) => {
      const dueAt = dueFromPolicy(
        { ...policy, tiers: { follow_up: offset } },
        'follow_up',
        state.grade,
        start,
      );
      open('follow_up', state.leadUnitId, actor, { dueAt, label: `follow-up ${i + 1}` });
    });
  };

  const afterDisposalProgress = (actor: Actor) => {
    const allDone = state.milestones.every((m) => m.completedAt !== undefined);
    const awaiting = state.referrals.some((r) => r.status === 'awaiting');
    if (
      state.stage === 'disposing' &&
      allDone &&
      !awaiting &&
      openClocksOf('supplementary_evidence').length === 0
    ) {
      startMonitoring(actor);
    }
  };

  const refer = (actor: Actor | undefined, reason: string) => {
    const seq = state.referrals.length + 1;
    const referral: ReferralState = {
      id: `${state.clueId}-r${seq}`,
      seq,
      status: 'awaiting',
      sentAt: now(),
      from: state.stage,
    };
    state.referrals.push(referral);
    // Referred before a plan was made: public security takes the case over, no plan is owed any more.
    cancelAll('plan', actor, 'referred to public security');
    setStage('referred', actor, { referralId: referral.id });
    open('referral_ack', input.policeUnitId, actor, { label: referral.id, reason });
    pendingReferrals.push({
      referralId: referral.id,
      seq,
      reason,
      by: actor?.userId ?? 'system',
      disposal: {
        verification: state.verification,
        classification: state.classification,
        plan: state.plan,
        milestones: state.milestones,
        actions: state.actions,
        earlierReferrals: state.referrals.filter((r) => r.id !== referral.id),
      },
    });
  };
  const pendingReferrals: {
    referralId: string;
    seq: number;
    reason: string;
    by: string;
    disposal: Record<string, unknown>;
  }[] = [];

  const pendingAcks: Parameters<Activities['recordReferralAcknowledgement']>[0][] = [];
  const pendingClockEffects: ClockEffect[] = [];
  const hasPendingWork = () =>
    pendingReferrals.length +
      pendingAcks.length +
      pendingClockEffects.length +
      pendingTimeline.length +
      pendingNotices.length >
    0;
  let lastAttrs = '';
  const attributesFirst = patched('search-attributes-before-effects');
  // A step's reminders, escalations, projection and notices go out as one activity (issue 13: a clock
  // event took three workflow tasks and two activities). Asked when a step has any, so a run started
  // earlier takes it at its next such step and its recorded history replays one activity each.
  let effectsInOne = false;
  const effectsTogether = () => (effectsInOne ||= patched('clue-effects-in-one-activity'));
  let projectedClue = '';
  const projectedClocks = new Map<string, string>();

  // Every side effect goes through one chain, in the order things happened: the referral package before
  // its acknowledgement, an escalation row before the projection that may resolve it, rows before mail.
  let chain: Promise<void> = Promise.resolve();
  /** Search attributes, upserted only when something changed so the history does not grow with every flush. */
  const upsertAttributes = () => {
    refreshSummary();
    const signature = JSON.stringify([
      state.stage,
      state.grade,
      state.leadUnitId,
      state.overdueLevel,
      state.nextDueAt ?? null,
    ]);
    if (signature === lastAttrs) return;
    lastAttrs = signature;
    const attrs: SearchAttributeUpdatePair[] = [
      { key: SA_STAGE, value: state.stage },
      { key: SA_GRADE, value: state.grade },
      { key: SA_LEAD_UNIT, value: state.leadUnitId },
      { key: SA_OVERDUE_LEVEL, value: state.overdueLevel },
      { key: SA_NEXT_DUE_TIME, value: state.nextDueAt !== undefined ? new Date(state.nextDueAt) : null },
    ];
    upsertSearchAttributes(attrs);
  };

  const flush = (): Promise<void> => {
    // Search attributes change in the same workflow task as the state (an escalation is searchable at
    // the instant it happens, not after its emails went out). Histories recorded before this change
    // upserted only after the effects: they replay that way.
    if (attributesFirst) upsertAttributes();
    chain = chain.then(async () => {
      for (const r of pendingReferrals.splice(0)) {
        await acts.sendReferral({
          referralId: r.referralId,
          clueId: state.clueId,
          seq: r.seq,
          policeUnitId: input.policeUnitId,
          reason: r.reason,
          by: r.by,
          disposal: r.disposal,
        });
      }
      for (const a of pendingAcks.splice(0)) await acts.recordReferralAcknowledgement(a);
      const clockEffects = pendingClockEffects.splice(0);
      const together = (clockEffects.length > 0 || pendingNotices.length > 0) && effectsTogether();
      if (!together) {
        for (const e of clockEffects) {
          if (e.kind === 'reminder') await acts.sendReminder(e.input);
          else await acts.recordEscalation(e.input);
        }
      }
      const events = pendingTimeline;
      pendingTimeline = [];
      refreshSummary();
      // Only what changed since the last projection of this run is sent (the first one sends everything).
      const clue = {
        stage: state.stage,
        nature: state.classification?.nature ?? null,
        grade: state.grade,
        keyClue: state.keyClue,
        overdueLevel: state.overdueLevel,
        nextDueAt: state.nextDueAt ?? null,
        closedAt: state.closedAt ?? null,
        referredToUnitId: state.referrals.length > 0 ? input.policeUnitId : null,
      };
      const clueSig = JSON.stringify(clue);
      const clocks = state.clocks.map(clockRow).filter((row) => {
        const sig = JSON.stringify(row);
        if (projectedClocks.get(row.clockId) === sig) return false;
        projectedClocks.set(row.clockId, sig);
        return true;
      });
      let projection: ClueEffectsInput['project'];
      if (events.length > 0 || clocks.length > 0 || clueSig !== projectedClue) {
        projectedClue = clueSig;
        projection = { owner: { type: 'clue', id: state.clueId, ref: state.ref }, clue, clocks, events };
      }
      if (together)
        await acts.applyClueEffects({ clockEffects, project: projection, notices: pendingNotices.splice(0) });
      else {
        if (projection) await acts.project(projection);
        // Taken after the projection: a notice added meanwhile went out in this flush (recorded histories).
        for (const n of pendingNotices.splice(0)) await acts.notify(n);
      }
      upsertAttributes();
    });
    return chain;
  };

  const refreshSummary = () => {
    const openClocks = state.clocks.filter(isOpen);
    state.overdueLevel = openClocks.reduce((m, c) => Math.max(m, c.level), 0);
    const dues = openClocks.filter((c) => c.status === 'open').map((c) => c.dueAt);
    state.nextDueAt = dues.length ? Math.min(...dues) : undefined;
  };

  /** Applies a transition and returns the new state once it is projected. */
  const apply = async (fn: () => void): Promise<ClueState> => {
    fn();
    refreshSummary();
    await flush();
    return state;
  };

  // ---- registration --------------------------------------------------------------------------

  const register = () => {
    record(
      'clue.registered',
      { userId: input.registeredBy, role: 'coordinator' },
      { grade: state.grade, keyClue: state.keyClue },
    );
    setStage('verifying', undefined);
    open('verification', state.leadUnitId, undefined);
    // Cross-regional clue: each co-handling unit owes an information exchange (notice V.II, VI.2).
    for (const u of state.coHandlingUnitIds) open('exchange', u, undefined, { label: u });
  };
  // Registered before any update handler exists: an update that arrives with the first workflow task
  // (a step posted right after POST /clues) is validated against `verifying`, not refused as still
  // registering. Runs that started before this change registered after the handlers and replay so.
  const registeredFirst = !input.carried && patched('registration-before-handlers');
  if (registeredFirst) register();

  // ---- transitions ---------------------------------------------------------------------------

  setHandler(stateQuery, () => state);
  setHandler(carriedQuery, () => ({ state, eventSeq }));
  // Only wakes the loop, which then re-reads the retention window (see retentionCheckSignal).
  setHandler(retentionCheckSignal, () => {
    dirty = true;
  });

  setHandler(
    verifyUpdate,
    (i) =>
      apply(() => {
        state.verification = {
          findings: i.findings,
          factsConfirmed: i.factsConfirmed,
          by: i.actor.userId,
          at: now(),
        };
        complete('verification', i.actor);
        record('verification.recorded', i.actor, { factsConfirmed: i.factsConfirmed });
        setStage('classifying', i.actor);
        open('classification', state.leadUnitId, i.actor);
      }),
    {
      validator: (i) => {
        requireStage('verification');
        requireText(i.findings, 'findings');
      },
    },
  );

  setHandler(
    classifyUpdate,
    (i) =>
      apply(() => {
        state.classification = {
          nature: i.nature,
          repaymentAbility: i.repaymentAbility,
          repaymentWillingness: i.repaymentWillingness,
          reasoning: i.reasoning,
          by: i.actor.userId,
          at: now(),
        };
        complete('classification', i.actor);
        record('classification.recorded', i.actor, { nature: i.nature });
        if (i.nature === 'not_illegal') {
          // Not illegal: straight to closure approval, the reasoning is the summary.
          state.closure = {
            summary: i.reasoning,
            requestedBy: i.actor.userId,
            requestedAt: now(),
            returnTo: 'classifying',
          };
          setStage('closure_review', i.actor);
          open('closure_review', input.districtOfficeUnitId, i.actor);
        } else {
          setStage('planning', i.actor);
          open('plan', state.leadUnitId, i.actor);
        }
      }),
    {
      validator: (i) => {
        requireStage('classification');
        requireText(i.reasoning, 'reasoning');
        const natures: Nature[] = [
          'not_illegal',
          'irregular',
          'suspected_illegal_fundraising',
          'suspected_crime',
        ];
        if (!natures.includes(i.nature)) throw invalidInput(`unknown nature "${i.nature}"`, ['nature']);
      },
    },
  );

  setHandler(
    submitPlanUpdate,
    (i) =>
      apply(() => {
        const version = (state.plan?.version ?? 0) + 1;
        state.plan = {
          strategies: i.strategies,
          measures: i.measures,
          responsiblePerson: i.responsiblePerson,
          version,
          submittedBy: i.actor.userId,
          submittedAt: now(),
        };
        // Milestones of an earlier plan that were not reached are replaced by the new plan's.
        state.milestones = state.milestones.filter((m) => m.completedAt !== undefined);
        // Milestones without an id get the first free m<n>.
        const used = new Set([
          ...state.milestones.map((m) => m.id),
          ...i.milestones.flatMap((m) => (m.id ? [m.id] : [])),
        ]);
        let n = 0;
        const nextId = () => {
          do n += 1;
          while (used.has(`m${n}`));
          used.add(`m${n}`);
          return `m${n}`;
        };
        i.milestones.forEach((m) => {
          state.milestones.push({
            id: m.id ?? nextId(),
            title: m.title,
            dueAt: Date.parse(m.dueAt),
          });
        });
        complete('plan', i.actor);
        record('plan.submitted', i.actor, {
          version,
          strategies: i.strategies,
          milestones: i.milestones.length,
        });
        setStage('plan_review', i.actor);
        open('plan_review', input.districtOfficeUnitId, i.actor, { label: `plan v${version}` });
      }),
    {
      validator: (i) => {
        requireStage('plan');
        if (!Array.isArray(i.strategies) || i.strategies.length === 0)
          throw invalidInput('at least one strategy is required', ['strategies']);
        requireText(i.measures, 'measures');
        requireText(i.responsiblePerson, 'responsiblePerson');
        if (!Array.isArray(i.milestones) || i.milestones.length === 0)
          throw invalidInput('at least one milestone is required', ['milestones']);
        const ids = new Set<string>();
        i.milestones.forEach((m: MilestoneInput, k: number) => {
          requireText(m.title, `milestones.${k}.title`);
          const t = Date.parse(m.dueAt);
          if (Number.isNaN(t))
            throw invalidInput('dueAt must be an ISO date-time', ['milestones', String(k), 'dueAt']);
          if (t <= now())
            throw invalidInput('dueAt must be in the future', ['milestones', String(k), 'dueAt']);
          if (m.id !== undefined) {
            if (ids.has(m.id) || state.milestones.some((x) => x.id === m.id && x.completedAt !== undefined)) {
              throw invalidInput(`duplicate milestone id "${m.id}"`, ['milestones', String(k), 'id']);
            }
            ids.add(m.id);
          }
        });
      },
    },
  );

  setHandler(
    reviewPlanUpdate,
    (i) =>
      apply(() => {
        complete('plan_review', i.actor, i.comment);
        record('plan.reviewed', i.actor, { decision: i.decision, comment: i.comment });
        if (i.decision === 'return') {
          setStage('planning', i.actor, { returned: true });
          open('plan', state.leadUnitId, i.actor, { reason: i.comment });
          return;
        }
        if (state.plan) state.plan.approvedAt = now();
        setStage('disposing', i.actor);
        for (const m of state.milestones.filter((x) => x.completedAt === undefined)) {
          open('milestone', state.leadUnitId, i.actor, { dueAt: m.dueAt, label: m.id });
        }
        if (state.plan?.strategies.includes('criminal_referral'))
          refer(i.actor, 'plan includes criminal referral');
      }),
    {
      validator: (i) => {
        requireStage('plan-review');
        if (i.decision !== 'approve' && i.decision !== 'return')
          throw invalidInput('decision must be approve or return', ['decision']);
        if (i.decision === 'return') requireText(i.comment, 'comment');
      },
    },
  );

  setHandler(
    recordActionUpdate,
    (i) =>
      apply(() => {
        state.actions.push({ description: i.description, by: i.actor.userId, at: now() });
        record('action.recorded', i.actor, { description: i.description });
      }),
    {
      validator: (i) => {
        requireStage('actions');
        requireText(i.description, 'description');
      },
    },
  );

  setHandler(
    completeMilestoneUpdate,
    (i) =>
      apply(() => {
        const m = state.milestones.find((x) => x.id === i.milestoneId)!;
        m.completedAt = now();
        m.note = i.note;
        for (const c of state.clocks.filter((c) => c.task === 'milestone' && c.label === m.id && isOpen(c))) {
          completeClock(c, now(), i.actor.userId, i.note);
          record('clock.completed', i.actor, { clockId: c.id, task: 'milestone', late: c.late });
        }
        record('milestone.completed', i.actor, { milestoneId: m.id, note: i.note });
        afterDisposalProgress(i.actor);
      }),
    {
      validator: (i) => {
        requireStage('milestone-completion');
        const m = state.milestones.find((x) => x.id === i.milestoneId);
        if (!m) throw unknownItem(`no milestone "${i.milestoneId}" in the plan`, ['milestoneId']);
        if (m.completedAt !== undefined)
          throw notPossible('milestone-completion', `milestone ${m.id} is already completed`);
      },
    },
  );

  setHandler(
    referUpdate,
    (i) =>
      apply(() => {
        complete('supplementary_evidence', i.actor, 'referred again');
        refer(i.actor, i.reason);
      }),
    {
      validator: (i) => {
        requireStage('referral');
        requireText(i.reason, 'reason');
      },
    },
  );

  setHandler(
    acknowledgeReferralUpdate,
    (i) =>
      apply(() => {
        const r = state.referrals.find((x) => x.status === 'awaiting')!;
        r.status = i.decision;
        r.policeCaseNumber = i.policeCaseNumber;
        r.reason = i.reason;
        for (const c of state.clocks.filter(
          (c) => c.task === 'referral_ack' && c.label === r.id && isOpen(c),
        )) {
          completeClock(c, now(), i.actor.userId, i.decision);
          record('clock.completed', i.actor, { clockId: c.id, task: 'referral_ack', late: c.late });
        }
        pendingAcks.push({
          referralId: r.id,
          decision: i.decision,
          policeCaseNumber: i.policeCaseNumber,
          reason: i.reason,
          by: i.actor.userId,
        });
        record('referral.acknowledged', i.actor, {
          referralId: r.id,
          decision: i.decision,
          policeCaseNumber: i.policeCaseNumber,
          reason: i.reason,
        });
        if (i.decision === 'accepted' && r.from === 'monitoring') {
          // Referred on demand while monitoring: public security has it, the follow-ups go on.
          setStage('monitoring', i.actor, { acceptedReferral: r.id });
        } else if (i.decision === 'returned') {
          // Back to the lead unit for supplementary evidence under a new clock (notice IV.6).
          setStage('disposing', i.actor, { returnedReferral: r.id });
          open('supplementary_evidence', state.leadUnitId, i.actor, { label: r.id, reason: i.reason });
          pendingNotices.push({
            key: `clue:${state.clueId}:referral-returned:${r.id}`,
            kind: 'referral_returned',
            template: 'referralReturned',
            audience: { unitIds: [state.leadUnitId], roles: ['coordinator'] },
            params: { clueRef: state.ref, reason: i.reason ?? '', unit: input.policeUnitId },
            owner: { type: 'clue', id: state.clueId },
          });
        } else {
          setStage('disposing', i.actor, { acceptedReferral: r.id });
          afterDisposalProgress(i.actor);
        }
      }),
    {
      validator: (i) => {
        requireStage('referral-acknowledgement');
        if (i.decision === 'accepted') requireText(i.policeCaseNumber, 'policeCaseNumber');
        else if (i.decision === 'returned') requireText(i.reason, 'reason');
        else throw invalidInput('decision must be accepted or returned', ['decision']);
      },
    },
  );

  setHandler(
    followUpUpdate,
    (i) =>
      apply(() => {
        const c = openClocksOf('follow_up')[0];
        const index = state.followUps.length + 1;
        state.followUps.push({
          index,
          resurgence: i.resurgence,
          findings: i.findings,
          by: i.actor.userId,
          at: now(),
        });
        if (c) {
          completeClock(c, now(), i.actor.userId, i.findings);
          record('clock.completed', i.actor, { clockId: c.id, task: 'follow_up', late: c.late });
        }
        record('follow_up.recorded', i.actor, { index, resurgence: i.resurgence });
        if (i.resurgence) {
          // Resurgence reopens disposal: a new plan for what came back (notice IV.4).
          cancelAll('follow_up', i.actor, 'resurgence reported');
          setStage('planning', i.actor, { resurgence: true });
          open('plan', state.leadUnitId, i.actor, { reason: 'resurgence' });
        }
      }),
    {
      validator: (i) => {
        requireStage('follow-ups');
        requireText(i.findings, 'findings');
        if (typeof i.resurgence !== 'boolean')
          throw invalidInput('resurgence must be true or false', ['resurgence']);
      },
    },
  );

  setHandler(
    requestClosureUpdate,
    (i) =>
      apply(() => {
        state.closure = {
          summary: i.summary,
          requestedBy: i.actor.userId,
          requestedAt: now(),
          returnTo: state.stage,
        };
        record('closure.requested', i.actor, {});
        setStage('closure_review', i.actor);
        open('closure_review', input.districtOfficeUnitId, i.actor);
      }),
    {
      validator: (i) => {
        requireStage('closure');
        requireText(i.summary, 'summary');
      },
    },
  );

  setHandler(
    decideClosureUpdate,
    (i) =>
      apply(() => {
        complete('closure_review', i.actor, i.comment);
        record('closure.decided', i.actor, { decision: i.decision, comment: i.comment });
        if (i.decision === 'approve') {
          for (const c of state.clocks.filter(isOpen)) {
            cancelClock(c, now(), i.actor.userId, 'clue closed');
            record('clock.cancelled', i.actor, { clockId: c.id, task: c.task, reason: 'clue closed' });
          }
          state.closedAt = now();
          setStage('closed', i.actor);
        } else {
          const back = state.closure?.returnTo ?? 'monitoring';
          setStage(back, i.actor, { closureReturned: true });
          if (back === 'classifying')
            open('classification', state.leadUnitId, i.actor, { reason: i.comment });
        }
      }),
    {
      validator: (i) => {
        requireStage('closure-decision');
        if (i.decision !== 'approve' && i.decision !== 'return')
          throw invalidInput('decision must be approve or return', ['decision']);
        if (i.decision === 'return') requireText(i.comment, 'comment');
      },
    },
  );

  setHandler(
    reopenUpdate,
    (i) =>
      apply(() => {
        state.reopenCount += 1;
        state.closedAt = undefined;
        state.closure = undefined;
        record('clue.reopened', i.actor, { reason: i.reason, count: state.reopenCount });
        setStage('verifying', i.actor, { reopened: true });
        open('verification', state.leadUnitId, i.actor, { reason: i.reason });
      }),
    {
      validator: (i) => {
        requireStage('reopening');
        requireText(i.reason, 'reason');
      },
    },
  );

  setHandler(
    requestExtensionUpdate,
    (i) =>
      apply(() => {
        const c = findClock(i.clockId);
        const ext = requestExtension(c, now(), i.actor.userId, Date.parse(i.newDueAt), i.reason);
        record('clock.extension_requested', i.actor, {
          clockId: c.id,
          extensionId: ext.id,
          newDueAt: i.newDueAt,
          reason: i.reason,
        });
        pendingNotices.push({
          key: `clue:${state.clueId}:extension:${ext.id}`,
          kind: 'extension_requested',
          template: 'extensionRequested',
          audience: { roles: ['coordinator'] },
          params: {
            clueRef: state.ref,
            task: c.task,
            newDueAt: ext.newDueAt,
            reason: i.reason,
            unit: c.unitId,
          },
          owner: { type: 'clue', id: state.clueId },
        });
      }),
    {
      validator: (i) => {
        requireStage('deadline-extensions');
        const c = findClock(i.clockId);
        if (!isOpen(c)) throw notPossible('deadline-extensions', `clock ${c.id} is ${c.status}`);
        if (c.pendingExtension) {
          throw notPossible(
            'deadline-extensions',
            `extension ${c.pendingExtension.id} is awaiting a decision`,
          );
        }
        const t = Date.parse(i.newDueAt);
        if (Number.isNaN(t)) throw invalidInput('newDueAt must be an ISO date-time', ['newDueAt']);
        if (t <= c.dueAt)
          throw invalidInput('newDueAt must be later than the current due time', ['newDueAt']);
        requireText(i.reason, 'reason');
      },
    },
  );

  setHandler(
    decideExtensionUpdate,
    (i) =>
      apply(() => {
        const c = state.clocks.find((x) => x.pendingExtension?.id === i.extensionId)!;
        decideExtension(c, now(), i.actor.userId, i.decision === 'approve', i.comment);
        record('clock.extension_decided', i.actor, {
          clockId: c.id,
          extensionId: i.extensionId,
          decision: i.decision,
          dueAt: new Date(c.dueAt).toISOString(),
        });
      }),
    {
      validator: (i) => {
        requireStage('deadline-extension-decision');
        if (!state.clocks.some((x) => x.pendingExtension?.id === i.extensionId)) {
          throw unknownItem(`no pending extension "${i.extensionId}"`, ['extensionId']);
        }
        if (i.decision !== 'approve' && i.decision !== 'reject')
          throw invalidInput('decision must be approve or reject', ['decision']);
      },
    },
  );

  setHandler(
    pauseClockUpdate,
    (i) =>
      apply(() => {
        const c = findClock(i.clockId);
        pauseClock(c, now(), i.actor.userId, i.reason);
        record('clock.paused', i.actor, { clockId: c.id, reason: i.reason });
      }),
    {
      validator: (i) => {
        requireStage('clock-pauses');
        const c = findClock(i.clockId);
        if (c.status !== 'open') throw notPossible('clock-pauses', `clock ${c.id} is ${c.status}`);
        requireText(i.reason, 'reason');
      },
    },
  );

  setHandler(
    resumeClockUpdate,
    (i) =>
      apply(() => {
        const c = findClock(i.clockId);
        resumeClock(c, now(), i.actor.userId, i.reason, policy);
        record('clock.resumed', i.actor, {
          clockId: c.id,
          reason: i.reason,
          dueAt: new Date(c.dueAt).toISOString(),
        });
      }),
    {
      validator: (i) => {
        requireStage('clock-resumptions');
        const c = findClock(i.clockId);
        if (c.status !== 'paused') throw notPossible('clock-resumptions', `clock ${c.id} is ${c.status}`);
        requireText(i.reason, 'reason');
      },
    },
  );

  setHandler(
    exchangeInformationUpdate,
    (i) =>
      apply(() => {
        const c = state.clocks.find(
          (x) => x.task === 'exchange' && x.unitId === i.actor.unitId && isOpen(x),
        )!;
        completeClock(c, now(), i.actor.userId, i.summary);
        record('exchange.recorded', i.actor, { unitId: i.actor.unitId, clockId: c.id, late: c.late });
        pendingNotices.push({
          key: `clue:${state.clueId}:exchange:${c.id}`,
          kind: 'information_exchanged',
          template: 'informationExchanged',
          audience: { unitIds: [state.leadUnitId] },
          params: { clueRef: state.ref, unit: i.actor.unitId ?? '', summary: i.summary },
          owner: { type: 'clue', id: state.clueId },
        });
      }),
    {
      validator: (i) => {
        requireStage('information-exchange');
        requireText(i.summary, 'summary');
        if (!state.clocks.some((x) => x.task === 'exchange' && x.unitId === i.actor.unitId && isOpen(x))) {
          throw notPossible('information-exchange', 'your unit owes no information exchange on this clue');
        }
      },
    },
  );

  setHandler(
    regradeUpdate,
    (i) =>
      apply(() => {
        const from = state.grade;
        state.grade = i.grade;
        state.keyClue = i.keyClue;
        record('clue.regraded', i.actor, { from, to: i.grade, keyClue: i.keyClue, reason: i.reason });
        for (const c of state.clocks) {
          const before = c.dueAt;
          retierClock(c, policy, i.grade, now(), i.actor.userId, i.reason, from);
          if (c.dueAt !== before) {
            record('clock.retiered', i.actor, {
              clockId: c.id,
              task: c.task,
              from: iso(before),
              dueAt: iso(c.dueAt),
            });
          }
        }
      }),
    {
      validator: (i) => {
        requireStage('regrade');
        if (!['I', 'II', 'III', 'IV'].includes(i.grade))
          throw invalidInput('grade must be I, II, III or IV', ['grade']);
        requireText(i.reason, 'reason');
      },
    },
  );

  // ---- clock events ----------------------------------------------------------------------------

  /** Acts on one due clock event: state and timeline now, the reminder or escalation in the next flush. */
  const fire = (e: ClockEvent) => {
    const c = state.clocks.find((x) => x.id === e.clockId)!;
    markHandled(c, e, policy);
    const at = now();
    const clockKey = `clue:${state.clueId}:${c.id}:${e.key}`;
    const owner = { type: 'clue' as const, id: state.clueId, ref: state.ref };
    const data = {
      clockId: c.id,
      task: c.task,
      unitId: c.unitId,
      dueAt: iso(c.dueAt),
      scheduledAt: iso(e.at),
    };
    if (e.kind === 'reminder') {
      record('clock.reminder', undefined, { ...data, index: e.index });
      pendingClockEffects.push({ kind: 'reminder', input: { key: clockKey, owner, clock: clockRow(c) } });
    } else {
      const overdue = daysOverdue(c, policy, at);
      record('clock.escalated', undefined, { ...data, level: e.level, daysOverdue: overdue });
      pendingClockEffects.push({
        kind: 'escalation',
        input: {
          key: clockKey,
          owner,
          clock: clockRow(c),
          level: e.level,
          topLevel: policy.escalation.length,
          at,
          daysOverdue: overdue,
        },
      });
    }
  };

  // ---- end -----------------------------------------------------------------------------------

  /**
   * Ends the run once the retention window has passed: running handlers finish and every effect is
   * flushed, then the ledger records the end with the carried state (through the same chain, so a
   * reopening accepted meanwhile is projected after it and clears it). Neither the state nor the event
   * sequence changes, so what `carriedQuery` read just before equals the result. Returns undefined when
   * a reopening came in first: the run goes on.
   */
  const end = async (): Promise<CarriedClue | undefined> => {
    while (!allHandlersFinished() || hasPendingWork()) {
      await condition(allHandlersFinished);
      await flush();
    }
    if (!retentionOver(state, policy, now())) return undefined;
    const carried: CarriedClue = { state, eventSeq };
    const at = now();
    chain = chain.then(() =>
      acts.recordClueEnded({
        owner: { type: 'clue', id: state.clueId, ref: state.ref },
        carried,
        event: {
          key: `clue:${state.clueId}:ended:${state.reopenCount}`,
          kind: 'clue.workflow_ended',
          data: { closedAt: iso(state.closedAt ?? at), retention: retentionOf(policy) },
          at,
        },
      }),
    );
    await chain;
    if (!allHandlersFinished() || hasPendingWork() || !retentionOver(state, policy, now())) return undefined;
    return carried;
  };

  // ---- start ---------------------------------------------------------------------------------

  if (!input.carried && !registeredFirst) register();
  await flush();

  const canThreshold = input.continueAsNewAfterEvents;
  const shouldContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested ||
    (canThreshold !== undefined && workflowInfo().historyLength >= canThreshold);

  // A closed clue's run ends after the retention window. Asked only while closed, so a run that was
  // closed and waiting when this code deployed takes the new path at its next workflow task, and a
  // history recorded before it (no marker) replays waiting as before.
  let endsAfterRetention = false;
  const retentionApplies = () => {
    if (state.stage !== 'closed') return false;
    if (!endsAfterRetention) endsAfterRetention = patched('end-after-retention');
    return endsAfterRetention;
  };

  for (;;) {
    const endsAt = retentionApplies() ? retentionEndsAt(state, policy) : undefined;
    const next = nextWake(nextEventAt(state.clocks, policy), endsAt);
    dirty = false;
    const timeout = next === undefined ? undefined : Math.max(0, next - now());
    if (timeout === undefined) await condition(() => dirty || shouldContinueAsNew());
    else if (endsAt === undefined || endsAt > now())
      await condition(() => dirty || shouldContinueAsNew(), timeout);

    // Synchronous: no update can interleave between choosing the due events and acting on them.
    for (const e of dueEventsAt(state.clocks, policy, now())) fire(e);
    refreshSummary();
    await flush();

    if (endsAt !== undefined && retentionOver(state, policy, now())) {
      const ended = await end();
      if (ended) return ended;
      continue;
    }

    if (shouldContinueAsNew()) {
      // Let running updates finish and every effect be flushed; nothing may be pending when the run ends.
      while (!allHandlersFinished() || hasPendingWork()) {
        await condition(allHandlersFinished);
        await flush();
      }
      await continueAsNew<typeof clueWorkflow>({ ...input, carried: { state, eventSeq } });
    }
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

export function clockRow(c: Clock) {
  return {
    clockId: c.id,
    task: c.task,
    unitId: c.unitId,
    label: c.label ?? null,
    startedAt: c.startedAt,
    dueAt: c.dueAt,
    status: c.status,
    level: c.level,
    completedAt: c.completedAt ?? null,
    late: c.late,
    pendingExtensionId: c.pendingExtension?.id ?? null,
  };
}
export type ClockRowInput = ReturnType<typeof clockRow>;
