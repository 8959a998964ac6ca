/**
 * Each participating unit's campaign deliverables (notice V.I, VI.4) as the documents state them: the
 * implementation plan, the work information pieces against the required number, the summary report —
 * on time, late, missing (deadline passed, not filed), not yet due, or withdrawn — read from the same
 * projection as the campaign progress page.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Locale } from '../domain/enums';
import { campaignProgress, type DeliverableStatus } from '../services/campaigns';
import type { Named } from './figures';

export type DeliverableState = 'on_time' | 'late' | 'missing' | 'pending' | 'cancelled';

export interface UnitDeliverables extends Named {
  participation: string;
  implementationPlan: DeliverableState;
  workInformation: { state: DeliverableState; filed: number; required: number };
  summaryReport: DeliverableState;
}

export interface Tally {
  onTime: Named[];
  late: Named[];
  missing: (Named & { filed?: number })[];
  pending: (Named & { filed?: number })[];
}

export interface DeliverablesSummary {
  required: number;
  totalInformation: number;
  units: UnitDeliverables[];
  implementationPlan: Tally;
  workInformation: Tally;
  summaryReport: Tally;
  withdrawn: Named[];
}

const STATE: Record<DeliverableStatus, DeliverableState> = {
  filed: 'on_time',
  filed_late: 'late',
  overdue: 'missing',
  pending: 'pending',
  cancelled: 'cancelled',
};

export async function campaignDeliverables(
  em: EntityManager,
  campaignId: string,
  locale: Locale,
  unitId?: string,
): Promise<DeliverablesSummary> {
  const p = await campaignProgress(em, campaignId, unitId);
  const units: UnitDeliverables[] = p.units.map((u) => ({
    unitId: u.unitId,
    unitName: locale === 'en' ? u.unitName.en : u.unitName.zh,
    participation: u.status,
    implementationPlan: STATE[u.deliverables.implementationPlan.status],
    workInformation: {
      state: STATE[u.deliverables.workInformation.status],
      filed: u.deliverables.workInformation.filedCount,
      required: u.deliverables.workInformation.required,
    },
    summaryReport: STATE[u.deliverables.summaryReport.status],
  }));
  const counted = units.filter((u) => u.participation !== 'withdrawn');
  const tally = (
    state: (u: UnitDeliverables) => DeliverableState,
    filed?: (u: UnitDeliverables) => number,
  ): Tally => {
    const pick = (s: DeliverableState) =>
      counted
        .filter((u) => state(u) === s)
        .map((u) => ({ unitId: u.unitId, unitName: u.unitName, ...(filed ? { filed: filed(u) } : {}) }));
    return {
      onTime: pick('on_time'),
      late: pick('late'),
      missing: pick('missing'),
      pending: pick('pending'),
    };
  };
  return {
    required: p.requirements.minInformation,
    totalInformation: counted.reduce((s, u) => s + u.workInformation.filed, 0),
    units,
    implementationPlan: tally((u) => u.implementationPlan),
    workInformation: tally(
      (u) => u.workInformation.state,
      (u) => u.workInformation.filed,
    ),
    summaryReport: tally((u) => u.summaryReport),
    withdrawn: units
      .filter((u) => u.participation === 'withdrawn')
      .map((u) => ({ unitId: u.unitId, unitName: u.unitName })),
  };
}
