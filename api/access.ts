/** Who may see which clue: coordinators and leaders see all; a unit officer only clues its unit leads or co-handles; a police liaison only clues referred to its unit. Anything else is 404. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../src/auth/tokens';
import { forbidden, notFound } from './problem';

export interface ClueAccessRow {
  id: string;
  ref: string;
  lead_unit_id: string;
  co_handling_unit_ids: string[];
  referred_to_unit_id: string | null;
  stage: string;
}

export type Relation = 'lead' | 'co' | 'police' | 'all' | 'none';

export function relationOf(p: Principal, c: ClueAccessRow): Relation {
  if (p.role === 'coordinator' || p.role === 'leader') return 'all';
  if (p.role === 'unit_officer' && p.unitId) {
    if (c.lead_unit_id === p.unitId) return 'lead';
    if (c.co_handling_unit_ids.includes(p.unitId)) return 'co';
  }
  if (p.role === 'police_liaison' && p.unitId && c.referred_to_unit_id === p.unitId) return 'police';
  return 'none';
}

/** SQL condition limiting clue rows to what the principal may see (for lists, counts, exports). */
export function visibilitySql(p: Principal, alias = 'c'): { sql: string; params: unknown[] } {
  if (p.role === 'coordinator' || p.role === 'leader') return { sql: 'true', params: [] };
  if (p.role === 'unit_officer' && p.unitId)
    return {
      sql: `(${alias}.lead_unit_id = ? or ? = any(${alias}.co_handling_unit_ids))`,
      params: [p.unitId, p.unitId],
    };
  if (p.role === 'police_liaison' && p.unitId)
    return { sql: `${alias}.referred_to_unit_id = ?`, params: [p.unitId] };
  return { sql: 'false', params: [] };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function loadVisibleClue(
  em: EntityManager,
  p: Principal,
  id: string,
): Promise<{ row: ClueAccessRow; relation: Relation }> {
  if (!UUID.test(id)) throw notFound('clue');
  const [row] = await em
    .getConnection()
    .execute<ClueAccessRow[]>(
      'select id, ref, lead_unit_id, co_handling_unit_ids, referred_to_unit_id, stage from clues where id = ?',
      [id],
    );
  if (!row) throw notFound('clue');
  const relation = relationOf(p, row);
  if (relation === 'none') throw notFound('clue');
  return { row, relation };
}

/** A transition needs a relation; a visible clue with the wrong relation is 403, an invisible one 404. */
export function requireRelation(
  relation: Relation,
  needed: 'lead' | 'co' | 'lead_or_co' | 'police' | 'any',
): void {
  if (relation === 'all' || needed === 'any') return;
  const ok =
    (needed === 'lead' && relation === 'lead') ||
    (needed === 'co' && relation === 'co') ||
    (needed === 'lead_or_co' && (relation === 'lead' || relation === 'co')) ||
    (needed === 'police' && relation === 'police');
  if (!ok) throw forbidden('your unit does not hold this task on the clue');
}

/**
 * A campaign the caller may see: it exists (else 404), and a unit officer's unit takes or took part
 * in it (else 404, as for another unit's clue).
 */
export async function requireCampaignVisible(
  em: EntityManager,
  p: Principal,
  campaignId: string,
): Promise<void> {
  if (campaignId.length > 64) throw notFound('campaign');
  const rows = await em
    .getConnection()
    .execute<{ member: boolean }[]>(
      `select exists(select 1 from campaign_units cu where cu.campaign_id = c.id and cu.unit_id = ?) as member from campaigns c where c.id = ?`,
      [p.unitId ?? '', campaignId],
    );
  const row = rows[0];
  if (!row) throw notFound('campaign');
  if (p.role === 'unit_officer' && !row.member) throw notFound('campaign');
}

/** A caller bound to a unit (unit officer, police liaison) acts only for its own unit in `:unitId` paths. */
export function requireOwnUnit(p: Principal, unitId: string): void {
  if ((p.role === 'unit_officer' || p.role === 'police_liaison') && p.unitId !== unitId) {
    throw forbidden('you may only act for your own unit');
  }
}
