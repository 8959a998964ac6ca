import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { getCalendar } from '../../src/calendars';
import { sql } from '../../src/db/sql';
import { DEFAULT_POLICY, mergePolicy, type DeadlinePolicy, type ResolvedPolicy } from '../../src/policy';
import type { ClueWorkflowInput } from '../../workflows/clue.workflow';

export function policy(over: Partial<DeadlinePolicy> = {}): ResolvedPolicy {
  const p = mergePolicy(DEFAULT_POLICY, over);
  return { ...p, calendarData: getCalendar(p.calendar) };
}

/** A plain calendar-time policy: every task 5 days, reminders 3 and 1 days before, ladder 0/2/5 days after. */
export const FIVE_DAY_CALENDAR_POLICY = policy({
  mode: 'calendar',
  calendar: 'weekdays',
  tiers: Object.fromEntries(Object.keys(DEFAULT_POLICY.tiers).map((k) => [k, 'P5D'])),
  reminders: ['P3D', 'P1D'],
  escalation: ['PT0S', 'P2D', 'P5D'],
  followUps: ['P30D', 'P60D', 'P90D'],
});

/** Inserts a clue row as the intake would (the workflow projects onto it). */
export async function insertClue(
  em: EntityManager,
  o: { leadUnitId?: string; coHandlingUnitIds?: string[]; grade?: string } = {},
) {
  const id = randomUUID();
  const [{ seq } = { seq: 0 }] = await sql<{ seq: number }[]>(em, `select nextval('clue_seq')::int as seq`);
  const ref = `XS-2026-${String(seq).padStart(6, '0')}`;
  await sql(
    em,
    `insert into clues (id, ref, seq, source_channel, description, subject_name, subject_name_norm, subject_kind, key_area, key_behaviours, online,
       amount_cny, participants, public_opinion, stability_risk, lead_unit_id, co_handling_unit_ids, risk_score, grade, key_clue, stage, created_by)
     values (?,?,?,'mass_report','test','Subject ${seq}','subject ${seq}','enterprise','elderly_care','{}',false,1000000,50,'local','medium',?,?::text[],40,?,false,'registered','u-coordinator')`,
    [
      id,
      ref,
      seq,
      o.leadUnitId ?? 'tushan-scenic-area',
      `{${(o.coHandlingUnitIds ?? []).join(',')}}`,
      o.grade ?? 'III',
    ],
  );
  return { id, ref };
}

export function clueInput(
  c: { id: string; ref: string },
  p: ResolvedPolicy,
  o: Partial<ClueWorkflowInput> = {},
): ClueWorkflowInput {
  return {
    clueId: c.id,
    ref: c.ref,
    grade: 'III',
    keyClue: false,
    leadUnitId: 'tushan-scenic-area',
    coHandlingUnitIds: [],
    districtOfficeUnitId: 'district-office',
    policeUnitId: 'public-security',
    policy: p,
    registeredBy: 'u-coordinator',
    ...o,
  };
}

export const actor = {
  tushan: { userId: 'u-tushan', role: 'unit_officer' as const, unitId: 'tushan-scenic-area' },
  coordinator: { userId: 'u-coordinator', role: 'coordinator' as const, unitId: 'district-office' },
  police: { userId: 'u-police', role: 'police_liaison' as const, unitId: 'public-security' },
  changhuai: { userId: 'u-changhuai', role: 'unit_officer' as const, unitId: 'changhuai-town' },
};
