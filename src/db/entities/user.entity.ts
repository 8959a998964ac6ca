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
  /** scrypt hash (src/auth/passwords.ts); null until a password is set. */
  passwordHash?: string | null;
  failedSignIns: number;
  /** No sign-in attempt before this instant (back-off after a failure, or the lock). */
  lockedUntil?: Date | null;
  passwordChangedAt?: Date | null;
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
    passwordHash: { type: 'string', nullable: true, hidden: true, lazy: true },
    failedSignIns: { type: 'integer', default: 0 },
    lockedUntil: { type: 'datetime', nullable: true },
    passwordChangedAt: { type: 'datetime', nullable: true },
  },
});

/** Cookie sessions of people signed in with a password; only hashes of the secret and CSRF token. */
export interface Session {
  id: string;
  secretHash: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  csrfHash: string;
  userAgent?: string | null;
}

export const SessionSchema = new EntitySchema<Session>({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: { type: 'string', primary: true, length: 64 },
    secretHash: { type: 'string', length: 64, unique: true },
    userId: { type: 'string', length: 64, index: true },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
    lastSeenAt: { type: 'datetime', defaultRaw: 'now()' },
    expiresAt: { type: 'datetime', index: true },
    csrfHash: { type: 'string', length: 64 },
    userAgent: { type: 'string', length: 64, nullable: true },
  },
});

/** Failed sign-ins under usernames that match no user (by hash), so they lock like real accounts. */
export interface SignInUnknown {
  nameHash: string;
  failedSignIns: number;
  lockedUntil: Date;
}

export const SignInUnknownSchema = new EntitySchema<SignInUnknown>({
  name: 'SignInUnknown',
  tableName: 'sign_in_unknown',
  properties: {
    nameHash: { type: 'string', primary: true, length: 64 },
    failedSignIns: { type: 'integer' },
    lockedUntil: { type: 'datetime', index: true },
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
