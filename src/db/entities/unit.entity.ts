import { EntitySchema } from '@mikro-orm/core';
import type { UnitKind } from '../../domain/enums';

/** A responsible unit: a town (Tushan Scenic Area counts as one), a community, a department, or the District Office. */
export interface Unit {
  id: string;
  nameZh: string;
  nameEn: string;
  kind: UnitKind;
  /** The unit's contact mailbox: notices reach it even when the unit has no user account. */
  email?: string | null;
  /** The unit head contact (supervision notices). */
  headName?: string | null;
  headEmail?: string | null;
  /** WeCom / DingTalk group robot webhooks (they carry access tokens: never logged). */
  wecomWebhookUrl?: string | null;
  dingtalkWebhookUrl?: string | null;
  /** DingTalk signing secret as AES-256-GCM ciphertext under the reporter key (src/notify/robots.ts). */
  dingtalkSecret?: string | null;
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
    headName: { type: 'string', nullable: true },
    headEmail: { type: 'string', nullable: true },
    wecomWebhookUrl: { type: 'string', length: 1000, nullable: true },
    dingtalkWebhookUrl: { type: 'string', length: 1000, nullable: true },
    dingtalkSecret: { type: 'text', nullable: true },
    active: { type: 'boolean', default: true },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});
