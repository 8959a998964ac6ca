import { EntitySchema } from '@mikro-orm/core';
import type { UnitKind } from '../../domain/enums';

/** A responsible unit: a town (Tushan Scenic Area counts as one), a community, a department, or the District Office. */
export interface Unit {
  id: string;
  nameZh: string;
  nameEn: string;
  kind: UnitKind;
  email?: string | null;
  active: boolean;
  createdAt: Date;
}

export const UnitSchema = new EntitySchema<Unit>({
  name: 'Unit',
  tableName: 'units',
  properties: {
    id: { type: 'string', primary: true, length: 64 },
    nameZh: { type: 'string' },
    nameEn: { type: 'string' },
    kind: { type: 'string', length: 32 },
    email: { type: 'string', nullable: true },
    active: { type: 'boolean', default: true },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});
