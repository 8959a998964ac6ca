/**
 * One participating unit's deliverables in a campaign (notice V.I, VI.4), child of the campaign
 * workflow, id `campaign-<campaignId>-unit-<unitId>`.
 *
 * Three deadline clocks from ./clock, due at the campaign's phase dates: the implementation plan (end of
 * mobilization), at least N pieces of work information (end of implementation), the summary report
 * (its deadline). Reminders before and the escalation ladder after each due time, as for clues. A late
 * deliverable is accepted and recorded as late; the escalations it caused stay on record.
 *
 * Lives until the campaign closes or is cancelled: a unit that leaves (withdrawn) has its open clocks
 * cancelled and may rejoin with new clocks; a unit that filed everything may still add information.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { createActivities } from '../activities';
import { WORK_INFORMATION_TYPES } from '../src/domain/enums';
import { invalidInput, invalidTransition } from '../src/domain/failures';
import type { ResolvedPolicy } from '../src/policy';
import { SA_LEAD_UNIT, SA_NEXT_DUE_TIME, SA_OVERDUE_LEVEL } from '../src/temporal/search-attributes';
import {
  cancelClock,
  completeClock,
  dueEventsAt,
  isOpen,
  markHandled,
  nextEventAt,
  openClock,
  type Clock,
  type ClockEvent,
} from './clock';
import { clockRow, type TimelineEventInput } from './clue.workflow';
import {
  closeUnitSignal,
  deliverableClockId,
  fileImplementationPlanUpdate,
  fileInformationUpdate,
  fileSummaryReportUpdate,
  rejoinSignal,
  unitStateQuery,
  unitStatusSignal,
  type Actor,
  type CloseUnitSignal,
  type DeliverableKind,
  type Dues,
  type FiledDeliverable,
  type ImplementationPlanContent,
  type SummaryReportContent,
  type TypicalCase,
  type UnitDeliverablesState,
  type WorkInformationContent,
} from './campaign.messages';

type Activities = ReturnType<typeof createActivities>;

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface UnitDeliverablesInput {
  campaignId: string;
  campaignName: string;
  unitId: string;
  parentWorkflowId: string;
  dues: Dues;
  minInformation: number;
  maxTypicalCases: number;
  policy: ResolvedPolicy;
  participation: number;
  by: string;
  carried?: { state: UnitDeliverablesState; eventSeq: number };
}

const KIND_ORDER: DeliverableKind[] = ['implementation_plan', 'work_information', 'summary_report'];

export async function unitDeliverablesWorkflow(input: UnitDeliverablesInput): Promise<UnitDeliverablesState> {
  const policy = input.policy;
  const now = () => Date.now();
  const owner = { type: 'campaign' as const, id: input.campaignId, ref: input.campaignName.slice(0, 64) };
  let eventSeq = input.carried?.eventSeq ?? 0;
  const state: UnitDeliverablesState = input.carried?.state ?? {
    campaignId: input.campaignId,
    unitId: input.unitId,
    status: 'active',
    participation: input.participation,
    joinedAt: now(),
    dues: input.dues,
    minInformation: input.minInformation,
    maxTypicalCases: input.maxTypicalCases,
    information: [],
    clocks: [],
    overdueLevel: 0,
  };
  let pendingTimeline: TimelineEventInput[] = [];
  let pendingDeliverables: FiledDeliverable[] = [];
  let pendingNotices: Parameters<Activities['notify']>[0][] = [];
  let reportStatus = false;
  let dirty = false;
  let finished = false;

  const record = (kind: string, actor: Actor | undefined, data: Record<string, unknown> = {}) => {
    eventSeq += 1;
    pendingTimeline.push({
      key: `campaign:${state.campaignId}:${state.unitId}:e${eventSeq}`,
      kind,
      actorId: actor?.userId,
      actorRole: actor?.role,
      data: { unitId: state.unitId, ...data },
      at: now(),
    });
    dirty = true;
  };

  const clockOf = (kind: DeliverableKind): Clock | undefined =>
    state.clocks.find((c) => c.id === deliverableClockId(state.unitId, kind, state.participation));

  const openDeliverableClocks = (by: string) => {
    for (const kind of KIND_ORDER) {
      if (filed(kind)) continue;
      const c = openClock(
        {
          id: deliverableClockId(state.unitId, kind, state.participation),
          task: kind,
          unitId: state.unitId,
          dueAt: state.dues[kind],
          by,
        },
        now(),
      );
      state.clocks.push(c);
      record('clock.opened', undefined, {
        clockId: c.id,
        task: kind,
        dueAt: new Date(c.dueAt).toISOString(),
      });
    }
  };

  const filed = (kind: DeliverableKind): boolean =>
    kind === 'implementation_plan'
      ? state.implementationPlan !== undefined
      : kind === 'summary_report'
        ? state.summaryReport !== undefined
        : state.information.length >= state.minInformation;

  const refreshSummary = () => {
    const open = state.clocks.filter(isOpen);
    state.overdueLevel = open.reduce((m, c) => Math.max(m, c.level), 0);
    const dues = open.map((c) => c.dueAt);
    state.nextDueAt = dues.length ? Math.min(...dues) : undefined;
  };

  const setStatus = (s: UnitDeliverablesState['status']) => {
    state.status = s;
    reportStatus = true;
    dirty = true;
  };

  // Projection, notifications and the status report to the parent, serialized in the order things happened.
  let chain: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    chain = chain.then(async () => {
      refreshSummary();
      const events = pendingTimeline;
      pendingTimeline = [];
      const deliverables = pendingDeliverables;
      pendingDeliverables = [];
      await acts.projectCampaign({
        unit: {
          campaignId: state.campaignId,
          unitId: state.unitId,
          status: state.status,
          participation: state.participation,
          joinedAt: state.joinedAt,
          workflowId: workflowInfo().workflowId,
          dues: state.dues,
          overdueLevel: state.overdueLevel,
          nextDueAt: state.nextDueAt ?? null,
        },
        deliverables: deliverables.map((d) => ({ campaignId: state.campaignId, unitId: state.unitId, ...d })),
      });
      await acts.project({ owner, clocks: state.clocks.map(clockRow), events });
      const notices = pendingNotices;
      pendingNotices = [];
      for (const n of notices) await acts.notify(n);
      const attrs: SearchAttributeUpdatePair[] = [
        { key: SA_LEAD_UNIT, value: state.unitId },
        { key: SA_OVERDUE_LEVEL, value: state.overdueLevel },
        { key: SA_NEXT_DUE_TIME, value: state.nextDueAt !== undefined ? new Date(state.nextDueAt) : null },
      ];
      upsertSearchAttributes(attrs);
      if (reportStatus) {
        reportStatus = false;
        try {
          await getExternalWorkflowHandle(input.parentWorkflowId).signal(unitStatusSignal, {
            unitId: state.unitId,
            participation: state.participation,
            status: state.status,
          });
        } catch {
          // The campaign has already ended: nothing is waiting for this report.
        }
      }
    });
    return chain;
  };

  const apply = async (fn: () => void): Promise<UnitDeliverablesState> => {
    fn();
    await flush();
    return state;
  };

  const afterFiling = () => {
    if (state.status === 'active' && KIND_ORDER.every(filed)) {
      setStatus('completed');
      record('unit.completed', undefined, {});
    }
  };

  const fileDeliverable = (
    kind: DeliverableKind,
    actor: Actor,
    content: FiledDeliverable['content'],
    seq: number,
  ): FiledDeliverable => {
    const at = now();
    const dueAt = state.dues[kind];
    const d: FiledDeliverable = {
      kind,
      seq,
      participation: state.participation,
      filedAt: at,
      filedBy: actor.userId,
      dueAt,
      late: at > dueAt,
      content,
    };
    pendingDeliverables.push(d);
    record('deliverable.filed', actor, { kind, seq, late: d.late, dueAt: new Date(dueAt).toISOString() });
    return d;
  };

  const completeClockOf = (kind: DeliverableKind, actor: Actor) => {
    const c = clockOf(kind);
    if (c && isOpen(c)) {
      completeClock(c, now(), actor.userId);
      record('clock.completed', actor, { clockId: c.id, task: kind, late: c.late, level: c.level });
    }
  };

  // ---- validation ------------------------------------------------------------------------------

  const requireAccepting = (what: string) => {
    if (state.status !== 'active' && state.status !== 'completed') {
      throw invalidTransition(what, `unit ${state.status}`, []);
    }
  };
  const text = (v: unknown, path: (string | number)[], max = 8000) => {
    if (typeof v !== 'string' || v.trim() === '')
      throw invalidInput(`${path.join('.')} is required`, path.map(String));
    if (v.length > max)
      throw invalidInput(`${path.join('.')} is longer than ${max} characters`, path.map(String));
  };
  const texts = (v: unknown, path: string) => {
    if (!Array.isArray(v) || v.length === 0) throw invalidInput(`${path} needs at least one entry`, [path]);
    v.forEach((x, i) => text(x, [path, i]));
  };

  // ---- updates -----------------------------------------------------------------------------------

  setHandler(unitStateQuery, () => state);

  setHandler(
    fileImplementationPlanUpdate,
    ({ actor, ...content }) =>
      apply(() => {
        const c: ImplementationPlanContent = {
          riskPoints: content.riskPoints,
          measures: content.measures,
          responsibilities: content.responsibilities,
          ...(content.notes ? { notes: content.notes } : {}),
        };
        state.implementationPlan = fileDeliverable('implementation_plan', actor, c, 1);
        completeClockOf('implementation_plan', actor);
        afterFiling();
      }),
    {
      validator: (i) => {
        requireAccepting('implementation-plan');
        if (state.implementationPlan)
          throw invalidTransition('implementation-plan', 'implementation plan already filed', []);
        texts(i.riskPoints, 'riskPoints');
        texts(i.measures, 'measures');
        if (!Array.isArray(i.responsibilities) || i.responsibilities.length === 0) {
          throw invalidInput('responsibilities needs at least one entry', ['responsibilities']);
        }
        i.responsibilities.forEach((r: { duty: string; responsible: string }, k: number) => {
          text(r?.duty, ['responsibilities', k, 'duty']);
          text(r?.responsible, ['responsibilities', k, 'responsible']);
        });
      },
    },
  );

  setHandler(
    fileInformationUpdate,
    ({ actor, type, title, content }) =>
      apply(() => {
        const c: WorkInformationContent = { type, title, content };
        const d = fileDeliverable('work_information', actor, c, state.information.length + 1);
        state.information.push(d);
        if (state.information.length >= state.minInformation) completeClockOf('work_information', actor);
        afterFiling();
      }),
    {
      validator: (i) => {
        requireAccepting('information');
        if (!(WORK_INFORMATION_TYPES as readonly string[]).includes(i.type)) {
          throw invalidInput(
            `unknown information type "${String(i.type)}" (one of ${WORK_INFORMATION_TYPES.join(', ')})`,
            ['type'],
          );
        }
        text(i.title, ['title'], 200);
        text(i.content, ['content']);
      },
    },
  );

  setHandler(
    fileSummaryReportUpdate,
    ({ actor, ...r }) =>
      apply(() => {
        const c: SummaryReportContent = {
          overallSituation: r.overallSituation,
          regionalDistribution: r.regionalDistribution,
          causes: r.causes,
          difficultiesAndOutlook: r.difficultiesAndOutlook,
          nextSteps: r.nextSteps,
          typicalCases: r.typicalCases,
        };
        state.summaryReport = fileDeliverable('summary_report', actor, c, 1);
        completeClockOf('summary_report', actor);
        afterFiling();
      }),
    {
      validator: (i) => {
        requireAccepting('summary-report');
        if (state.summaryReport)
          throw invalidTransition('summary-report', 'summary report already filed', []);
        for (const f of [
          'overallSituation',
          'regionalDistribution',
          'causes',
          'difficultiesAndOutlook',
          'nextSteps',
        ] as const) {
          text(i[f], [f]);
        }
        if (!Array.isArray(i.typicalCases))
          throw invalidInput('typicalCases must be a list', ['typicalCases']);
        if (i.typicalCases.length > state.maxTypicalCases) {
          throw invalidInput(`at most ${state.maxTypicalCases} typical cases are allowed (notice VI.4)`, [
            'typicalCases',
          ]);
        }
        const seen = new Set<string>();
        i.typicalCases.forEach((t: TypicalCase, k: number) => {
          text(t?.clueId, ['typicalCases', k, 'clueId'], 64);
          text(t?.title, ['typicalCases', k, 'title'], 200);
          text(t?.summary, ['typicalCases', k, 'summary']);
          if (seen.has(t.clueId))
            throw invalidInput('each typical case must reference a different clue', [
              'typicalCases',
              String(k),
              'clueId',
            ]);
          seen.add(t.clueId);
        });
      },
    },
  );

  // ---- signals from the campaign -------------------------------------------------------------------

  let closing: CloseUnitSignal | undefined;
  setHandler(closeUnitSignal, (s) => {
    closing = s;
    dirty = true;
  });
  let rejoining: { participation: number; dues: Dues; by: string } | undefined;
  setHandler(rejoinSignal, (s) => {
    rejoining = s;
    dirty = true;
  });

  const applyClose = (s: CloseUnitSignal) => {
    for (const c of state.clocks.filter(isOpen)) {
      cancelClock(c, now(), s.by, s.reason);
      record('clock.cancelled', undefined, {
        clockId: c.id,
        task: c.task,
        reason: s.reason,
        outcome: s.outcome,
      });
    }
    if (s.outcome === 'withdrawn') {
      state.leftAt = now();
      state.leftReason = s.reason;
      record('unit.withdrawn', { userId: s.by, role: 'coordinator' }, { reason: s.reason });
    } else {
      finished = true;
      record(`unit.${s.outcome}`, undefined, { reason: s.reason });
    }
    setStatus(s.outcome);
  };

  const applyRejoin = (r: { participation: number; dues: Dues; by: string }) => {
    state.participation = r.participation;
    state.dues = r.dues;
    state.joinedAt = now();
    state.leftAt = undefined;
    state.leftReason = undefined;
    record('unit.rejoined', { userId: r.by, role: 'coordinator' }, { participation: r.participation });
    openDeliverableClocks(r.by);
    setStatus(KIND_ORDER.every(filed) ? 'completed' : 'active');
  };

  // ---- clock events --------------------------------------------------------------------------------

  const fire = async (e: ClockEvent) => {
    const c = state.clocks.find((x) => x.id === e.clockId)!;
    markHandled(c, e);
    refreshSummary();
    const key = `campaign:${state.campaignId}:${c.id}:${e.key}`;
    if (e.kind === 'reminder') {
      record('clock.reminder', undefined, {
        clockId: c.id,
        task: c.task,
        index: e.index,
        scheduledAt: new Date(e.at).toISOString(),
      });
      pendingNotices.push({
        key: `reminder:${key}`,
        kind: 'reminder',
        template: 'campaignReminder',
        audience: { unitIds: [state.unitId] },
        params: {
          campaign: input.campaignName,
          task: c.task,
          unit: state.unitId,
          dueAt: c.dueAt,
          filed: c.task === 'work_information' ? state.information.length : 0,
          required: c.task === 'work_information' ? state.minInformation : 1,
        },
        owner,
      });
    } else {
      record('clock.escalated', undefined, {
        clockId: c.id,
        task: c.task,
        level: e.level,
        scheduledAt: new Date(e.at).toISOString(),
      });
      await acts.recordEscalation({
        key,
        level: e.level,
        topLevel: policy.escalation.length,
        owner,
        clock: clockRow(c),
      });
    }
  };

  // ---- run -----------------------------------------------------------------------------------------

  if (!input.carried) {
    record(
      'unit.joined',
      { userId: input.by, role: 'coordinator' },
      { participation: state.participation, dues: duesIso(state.dues) },
    );
    openDeliverableClocks(input.by);
    setStatus('active');
  }
  await flush();

  while (!finished) {
    const next = nextEventAt(state.clocks, policy);
    dirty = false;
    const wake = () =>
      dirty || closing !== undefined || rejoining !== undefined || workflowInfo().continueAsNewSuggested;
    if (next === undefined) await condition(wake);
    else await condition(wake, Math.max(0, next - now()));

    for (const e of dueEventsAt(state.clocks, policy, now())) await fire(e);
    if (closing) {
      const s = closing;
      closing = undefined;
      // A unit that already left is only closed for good; its clocks are cancelled already.
      applyClose(s);
    }
    if (rejoining && state.status === 'withdrawn') {
      applyRejoin(rejoining);
    }
    rejoining = undefined;
    await flush();

    if (!finished && workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await flush();
      await continueAsNew<typeof unitDeliverablesWorkflow>({ ...input, carried: { state, eventSeq } });
    }
  }
  await condition(allHandlersFinished);
  await flush();
  return state;
}

function duesIso(d: Dues): Record<string, string> {
  return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, new Date(v).toISOString()]));
}
