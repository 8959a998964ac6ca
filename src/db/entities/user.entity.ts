import { EntitySchema } from '@mikro-orm/core';
import type { Locale, Role } from '../../domain/enums';

export interface User {
  id: string;
  name: string;
  email: string;
  role: Role;
  unitId?: string | null;
  /** The unit's head receives level-1 escalations with the District Office. */
  isUnitHead: boolean;
  locale: Locale;
  active: boolean;
  createdAt: Date;
}

export const UserSchema = new EntitySchema<User>({
  name: 'User',
  tableName: 'users',
  properties: {
    id: { type: 'string', primary: true, length: 64 },
    name: { type: 'string' },
    email: { type: 'string', unique: true },
    role: { type: 'string', length: 32, index: true },
    unitId: { type: 'string', length: 64, nullable: true, index: true },
    isUnitHead: { type: 'boolean', default: false },
    locale: { type: 'string', length: 8, default: 'zh-CN' },
    active: { type: 'boolean', default: true },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});

/** API tokens are stored as SHA-256 hashes; the secret is shown once at creation. */
export interface ApiToken {
  id: string;
  userId: string;
  tokenHash: string;
  prefix: string;
  label: string;
  createdAt: Date;
  expiresAt?: Date | null;
  revokedAt?: Date | null;
  lastUsedAt?: Date | null;
}

export const ApiTokenSchema = new EntitySchema<ApiToken>({
  name: 'ApiToken',
  tableName: 'api_tokens',
  properties: {
    id: { type: 'string', primary: true, length: 64 },
    userId: { type: 'string', length: 64, index: true },
    tokenHash: { type: 'string', length: 64, unique: true },
    prefix: { type: 'string', length: 16 },
    label: { type: 'string' },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
    expiresAt: { type: 'datetime', nullable: true },
    revokedAt: { type: 'datetime', nullable: true },
    lastUsedAt: { type: 'datetime', nullable: true },
  },
});
