/**
 * The special investigation campaign (notice V, VI.4): one workflow per campaign, id `campaign-<id>`.
 *
 * It walks the phases at their dates (mobilization → implementation → [summary] → concluded), tells
 * every participating unit at each transition, and runs one child workflow per unit
 * (./unit-deliverables.workflow) that holds that unit's deliverable clocks. Units can join and leave a
 * running campaign; a coordinator can cancel it, which closes every open clock with the reason. Once the
 * deadlines have passed and every unit has filed everything, the campaign closes by itself.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { invalidInput, invalidTransition } from '../src/domain/failures';
import type { ResolvedPolicy } from '../src/policy';
import { SA_STAGE } from '../src/temporal/search-attributes';
import { dueFromPolicy } from './clock';
import type { TimelineEventInput } from './clue.workflow';
import {
  addUnitsUpdate,
  campaignStateQuery,
  cancelCampaignUpdate,
  closeUnitSignal,
  nextPhaseBoundary,
  phaseAt,
  phaseEndsAt,
  rejoinSignal,
  removeUnitUpdate,
  unitStatusSignal,
  unitWorkflowId,
  type Actor,
  type CampaignDates,
  type CampaignPhase,
  type CampaignState,
  type CampaignUnit,
  type CloseUnitSignal,
  type Dues,
  type UnitStatus,
} from './campaign.messages';
import { unitDeliverablesWorkflow } from './unit-deliverables.workflow';

type Activities = ReturnType<typeof createActivities>;

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface CampaignWorkflowInput {
  campaignId: string;
  name: string;
  year: number;
  dates: CampaignDates;
  unitIds: string[];
  /** Snapshot of the resolved deadline policy (reminder offsets, escalation ladder, calendar). */
  policy: ResolvedPolicy;
  createdBy: string;
  /** Notice VI.4: "no less than three pieces of information", "typical cases (no more than three)". */
  minInformation: number;
  maxTypicalCases: number;
  carried?: { state: CampaignState; eventSeq: number };
}

/** How long an update waits for the children to confirm they projected a membership change. */
const CHILD_ACK_TIMEOUT = '1 minute';

const TERMINAL: CampaignPhase[] = ['closed', 'cancelled'];

export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<CampaignState> {
  const { policy, dates } = input;
  const now = () => Date.now();
  const workflowId = workflowInfo().workflowId;
  const owner = { type: 'campaign' as const, id: input.campaignId, ref: input.name.slice(0, 64) };
  let eventSeq = input.carried?.eventSeq ?? 0;
  const state: CampaignState = input.carried?.state ?? {
    campaignId: input.campaignId,
    name: input.name,
    year: input.year,
    dates,
    phase: 'scheduled',
    units: [],
  };
  let pendingTimeline: TimelineEventInput[] = [];
  let pendingNotices: Parameters<Activities['notify']>[0][] = [];
  let dirty = false;

  const record = (kind: string, actor: Actor | undefined, data: Record<string, unknown> = {}) => {
    eventSeq += 1;
    pendingTimeline.push({
      key: `campaign:${state.campaignId}:e${eventSeq}`,
      kind,
      actorId: actor?.userId,
      actorRole: actor?.role,
      data,
      at: now(),
    });
    dirty = true;
  };

  const unit = (unitId: string): CampaignUnit | undefined => state.units.find((u) => u.unitId === unitId);
  /** Units that take part now (a unit that filed everything still takes part). */
  const participating = () => state.units.filter((u) => u.status === 'active' || u.status === 'completed');
  const terminal = () => TERMINAL.includes(state.phase);

  const duesFor = (t: number): Dues => ({
    implementation_plan:
      dates.mobilizationEnd > t
        ? dates.mobilizationEnd
        : dueFromPolicy(policy, 'implementation_plan', 'III', t),
    work_information:
      dates.implementationEnd > t
        ? dates.implementationEnd
        : dueFromPolicy(policy, 'work_information', 'III', t),
    summary_report:
      dates.summaryReportDue > t ? dates.summaryReportDue : dueFromPolicy(policy, 'summary_report', 'III', t),
  });

  // Participation rows are written only when they change, so a stale copy never overwrites what a child
  // projected in between (a child marks its own unit completed).
  const projected = new Map<string, string>();
  const changedUnits = () =>
    state.units.flatMap((u) => {
      const row = {
        campaignId: state.campaignId,
        unitId: u.unitId,
        status: u.status,
        participation: u.participation,
        joinedAt: u.joinedAt,
        leftAt: u.leftAt ?? null,
        leftReason: u.leftReason ?? null,
        workflowId: unitWorkflowId(state.campaignId, u.unitId),
      };
      const json = JSON.stringify(row);
      if (projected.get(u.unitId) === json) return [];
      projected.set(u.unitId, json);
      return [row];
    });

  let chain: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    chain = chain.then(async () => {
      const events = pendingTimeline;
      pendingTimeline = [];
      await acts.projectCampaign({
        campaign: {
          id: state.campaignId,
          name: state.name,
          year: state.year,
          dates: state.dates,
          phase: state.phase,
          workflowId,
          createdBy: input.createdBy,
          minInformation: input.minInformation,
          maxTypicalCases: input.maxTypicalCases,
          policy: {
            calendar: policy.calendar,
            mode: policy.mode,
            tiers: policy.tiers,
            reminders: policy.reminders,
            escalation: policy.escalation,
          },
          cancelledBy: state.cancelled?.by ?? null,
          cancelReason: state.cancelled?.reason ?? null,
          endedAt: state.endedAt ?? null,
        },
        units: changedUnits(),
      });
      await acts.project({ owner, clocks: [], events });
      const notices = pendingNotices;
      pendingNotices = [];
      for (const n of notices) await acts.notify(n);
      upsertSearchAttributes([{ key: SA_STAGE, value: state.phase }]);
    });
    return chain;
  };

  /** Waits until each named unit's child reported the expected status for its current participation. */
  const awaitReports = async (expected: Map<string, UnitStatus[]>): Promise<void> => {
    const ok = await condition(
      () =>
        [...expected].every(([unitId, statuses]) => {
          const u = unit(unitId);
          return !u || statuses.some((s) => u.reported === `${u.participation}:${s}`);
        }),
      CHILD_ACK_TIMEOUT,
    );
    if (!ok) record('units.report_timeout', undefined, { unitIds: [...expected.keys()] });
  };

  const signalChild = async (unitId: string, s: CloseUnitSignal) => {
    await getExternalWorkflowHandle(unitWorkflowId(state.campaignId, unitId)).signal(closeUnitSignal, s);
  };

  const startUnit = async (unitId: string, by: string) => {
    const u: CampaignUnit = { unitId, status: 'active', participation: 1, joinedAt: now() };
    state.units.push(u);
    await startChild(unitDeliverablesWorkflow, {
      workflowId: unitWorkflowId(state.campaignId, unitId),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        {
          campaignId: state.campaignId,
          campaignName: state.name,
          unitId,
          parentWorkflowId: workflowId,
          dues: duesFor(now()),
          minInformation: input.minInformation,
          maxTypicalCases: input.maxTypicalCases,
          policy,
          participation: 1,
          by,
        },
      ],
    });
  };

  // ---- phases ----------------------------------------------------------------------------------

  const advancePhase = () => {
    if (terminal()) return;
    const target = phaseAt(dates, now());
    if (target === state.phase) return;
    const from = state.phase;
    state.phase = target;
    record('phase.changed', undefined, { from, to: target });
    const unitIds = participating().map((u) => u.unitId);
    if (unitIds.length === 0) return;
    if (target === 'concluded') {
      pendingNotices.push({
        key: `campaign:${state.campaignId}:phase:concluded`,
        kind: 'campaign_phase',
        template: 'campaignConcluded',
        audience: { unitIds },
        params: { campaign: state.name, endedAt: dates.summaryReportDue },
        owner,
      });
    } else {
      pendingNotices.push({
        key: `campaign:${state.campaignId}:phase:${target}`,
        kind: 'campaign_phase',
        template: 'campaignPhase',
        audience: { unitIds },
        params: {
          campaign: state.name,
          phase: target,
          endsAt: phaseEndsAt(dates, target) ?? dates.summaryReportDue,
        },
        owner,
      });
    }
  };

  /** After the deadlines, once every unit filed everything (or left), the campaign closes by itself. */
  const maybeClose = async () => {
    if (state.phase !== 'concluded') return;
    if (!state.units.every((u) => u.status === 'completed' || u.status === 'withdrawn')) return;
    state.phase = 'closed';
    state.endedAt = now();
    record('phase.changed', undefined, { from: 'concluded', to: 'closed' });
    const expected = new Map<string, UnitStatus[]>();
    for (const u of state.units) {
      await signalChild(u.unitId, {
        outcome: 'closed',
        reason: 'campaign closed: every deliverable filed',
        by: 'system',
      });
      expected.set(u.unitId, ['closed']);
    }
    await flush();
    await awaitReports(expected);
  };

  // ---- messages --------------------------------------------------------------------------------

  setHandler(campaignStateQuery, () => state);

  setHandler(unitStatusSignal, (r) => {
    const u = unit(r.unitId);
    if (!u || r.participation !== u.participation) return;
    u.reported = `${r.participation}:${r.status}`;
    if (r.status === 'completed' && u.status === 'active') {
      u.status = 'completed';
      record('unit.completed', undefined, { unitId: u.unitId });
    } else if (r.status === 'active' && u.status === 'completed') {
      u.status = 'active';
    }
    dirty = true;
  });

  setHandler(
    addUnitsUpdate,
    async ({ actor, unitIds }) => {
      const expected = new Map<string, UnitStatus[]>();
      for (const unitId of unitIds) {
        const u = unit(unitId);
        if (!u) {
          await startUnit(unitId, actor.userId);
        } else {
          u.participation += 1;
          u.status = 'active';
          u.joinedAt = now();
          u.leftAt = undefined;
          u.leftReason = undefined;
          await getExternalWorkflowHandle(unitWorkflowId(state.campaignId, unitId)).signal(rejoinSignal, {
            participation: u.participation,
            dues: duesFor(now()),
            by: actor.userId,
          });
        }
        const joined = unit(unitId)!;
        const dues = duesFor(now());
        record('unit.added', actor, { unitId, participation: joined.participation });
        pendingNotices.push({
          key: `campaign:${state.campaignId}:joined:${unitId}:p${joined.participation}`,
          kind: 'campaign_unit',
          template: 'campaignJoined',
          audience: { unitIds: [unitId] },
          params: {
            campaign: state.name,
            unit: unitId,
            planDueAt: dues.implementation_plan,
            informationDueAt: dues.work_information,
            reportDueAt: dues.summary_report,
            required: input.minInformation,
          },
          owner,
        });
        expected.set(unitId, ['active', 'completed']);
      }
      await flush();
      await awaitReports(expected);
      await flush();
      return state;
    },
    {
      validator: ({ unitIds }) => {
        if (terminal()) throw invalidTransition('add-units', state.phase, []);
        if (!Array.isArray(unitIds) || unitIds.length === 0)
          throw invalidInput('unitIds needs at least one unit', ['unitIds']);
        if (new Set(unitIds).size !== unitIds.length)
          throw invalidInput('unitIds must be distinct', ['unitIds']);
        unitIds.forEach((id, i) => {
          const u = unit(id);
          if (u && (u.status === 'active' || u.status === 'completed')) {
            throw invalidInput(`unit "${id}" already takes part in this campaign`, ['unitIds', String(i)]);
          }
        });
      },
    },
  );

  setHandler(
    removeUnitUpdate,
    async ({ actor, unitId, reason }) => {
      const u = unit(unitId)!;
      u.status = 'withdrawn';
      u.leftAt = now();
      u.leftReason = reason;
      record('unit.removed', actor, { unitId, reason, participation: u.participation });
      pendingNotices.push({
        key: `campaign:${state.campaignId}:left:${unitId}:p${u.participation}`,
        kind: 'campaign_unit',
        template: 'campaignLeft',
        audience: { unitIds: [unitId] },
        params: { campaign: state.name, unit: unitId, reason },
        owner,
      });
      await signalChild(unitId, { outcome: 'withdrawn', reason, by: actor.userId });
      await flush();
      await awaitReports(new Map([[unitId, ['withdrawn']]]));
      await flush();
      return state;
    },
    {
      validator: ({ unitId, reason }) => {
        if (terminal()) throw invalidTransition('remove-unit', state.phase, []);
        const u = unit(unitId);
        if (!u || (u.status !== 'active' && u.status !== 'completed')) {
          throw invalidInput(`unit "${unitId}" does not take part in this campaign`, ['unitId']);
        }
        if (typeof reason !== 'string' || reason.trim() === '')
          throw invalidInput('reason is required', ['reason']);
      },
    },
  );

  setHandler(
    cancelCampaignUpdate,
    async ({ actor, reason }) => {
      const notified = participating().map((u) => u.unitId);
      state.cancelled = { by: actor.userId, reason, at: now() };
      state.endedAt = now();
      const from = state.phase;
      state.phase = 'cancelled';
      record('phase.changed', actor, { from, to: 'cancelled', reason });
      const expected = new Map<string, UnitStatus[]>();
      for (const u of state.units) {
        if (u.status === 'active' || u.status === 'completed') u.status = 'cancelled';
        await signalChild(u.unitId, { outcome: 'cancelled', reason, by: actor.userId });
        expected.set(u.unitId, ['cancelled']);
      }
      if (notified.length > 0) {
        pendingNotices.push({
          key: `campaign:${state.campaignId}:cancelled`,
          kind: 'campaign_phase',
          template: 'campaignCancelled',
          audience: { unitIds: notified },
          params: { campaign: state.name, reason },
          owner,
        });
      }
      await flush();
      await awaitReports(expected);
      await flush();
      return state;
    },
    {
      validator: ({ reason }) => {
        if (terminal()) throw invalidTransition('cancellation', state.phase, []);
        if (typeof reason !== 'string' || reason.trim() === '')
          throw invalidInput('reason is required', ['reason']);
      },
    },
  );

  // ---- run -------------------------------------------------------------------------------------

  if (!input.carried) {
    record(
      'campaign.started',
      { userId: input.createdBy, role: 'coordinator' },
      {
        name: input.name,
        year: input.year,
        unitIds: input.unitIds,
        dates: Object.fromEntries(Object.entries(dates).map(([k, v]) => [k, new Date(v).toISOString()])),
      },
    );
    // The rows first, so every child's projection finds its campaign.
    await flush();
    await Promise.all(input.unitIds.map((u) => startUnit(u, input.createdBy)));
    for (const u of input.unitIds) record('unit.added', undefined, { unitId: u, participation: 1 });
    advancePhase();
  }
  await flush();

  while (!terminal()) {
    const next = nextPhaseBoundary(dates, now());
    dirty = false;
    const wake = () => dirty || workflowInfo().continueAsNewSuggested;
    if (next === undefined) await condition(wake);
    else await condition(wake, Math.max(0, next - now()));
    advancePhase();
    await maybeClose();
    await flush();

    if (!terminal() && workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await flush();
      await continueAsNew<typeof campaignWorkflow>({ ...input, carried: { state, eventSeq } });
    }
  }
  await condition(allHandlersFinished);
  await flush();
  return state;
}
