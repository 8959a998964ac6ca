import { EntitySchema } from '@mikro-orm/core';

/**
 * Projections written by activities. Every row has a unique business key so a retried
 * activity never doubles it (INSERT ... ON CONFLICT DO NOTHING).
 */

/** One entry of a clue's (or campaign's) timeline: stage changes, clock events, decisions. */
export interface TimelineEvent {
  id: number;
  key: string;
  ownerType: 'clue' | 'campaign';
  ownerId: string;
  kind: string;
  actorId?: string | null;
  actorRole?: string | null;
  data: Record<string, unknown>;
  at: Date;
}
export const TimelineEventSchema = new EntitySchema<TimelineEvent>({
  name: 'TimelineEvent',
  tableName: 'timeline_events',
  indexes: [{ properties: ['ownerType', 'ownerId', 'at'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    key: { type: 'string', length: 300, unique: true },
    ownerType: { type: 'string', length: 16 },
    ownerId: { type: 'string', length: 64 },
    kind: { type: 'string', length: 48 },
    actorId: { type: 'string', length: 64, nullable: true },
    actorRole: { type: 'string', length: 32, nullable: true },
    data: { type: 'json' },
    at: { type: 'datetime' },
  },
});

/** Every open (and finished) deadline clock, so all of them can be listed, not only the nearest. */
export interface ClockRow {
  key: string;
  ownerType: 'clue' | 'campaign';
  ownerId: string;
  clockId: string;
  task: string;
  unitId: string;
  label?: string | null;
  startedAt: Date;
  dueAt: Date;
  status: string;
  level: number;
  completedAt?: Date | null;
  late: boolean;
  updatedAt: Date;
}
export const ClockRowSchema = new EntitySchema<ClockRow>({
  name: 'ClockRow',
  tableName: 'clocks',
  indexes: [
    { properties: ['status', 'dueAt'] },
    { properties: ['unitId', 'status'] },
    { properties: ['ownerType', 'ownerId'] },
  ],
  properties: {
    key: { type: 'string', length: 200, primary: true },
    ownerType: { type: 'string', length: 16 },
    ownerId: { type: 'string', length: 64 },
    clockId: { type: 'string', length: 100 },
    task: { type: 'string', length: 40 },
    unitId: { type: 'string', length: 64 },
    label: { type: 'string', nullable: true },
    startedAt: { type: 'datetime' },
    dueAt: { type: 'datetime' },
    status: { type: 'string', length: 16 },
    level: { type: 'integer', default: 0 },
    completedAt: { type: 'datetime', nullable: true },
    late: { type: 'boolean', default: false },
    updatedAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});

/** In-app notification, one per (business key, recipient). */
export interface Notification {
  id: number;
  key: string;
  userId: string;
  unitId?: string | null;
  kind: string;
  subject: string;
  body: string;
  locale: string;
  ownerType?: string | null;
  ownerId?: string | null;
  createdAt: Date;
  readAt?: Date | null;
}
export const NotificationSchema = new EntitySchema<Notification>({
  name: 'Notification',
  tableName: 'notifications',
  uniques: [{ properties: ['key', 'userId'] }],
  indexes: [{ properties: ['userId', 'createdAt'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    key: { type: 'string', length: 300 },
    userId: { type: 'string', length: 64 },
    unitId: { type: 'string', length: 64, nullable: true },
    kind: { type: 'string', length: 32 },
    subject: { type: 'string', length: 500 },
    body: { type: 'text' },
    locale: { type: 'string', length: 8 },
    ownerType: { type: 'string', length: 16, nullable: true },
    ownerId: { type: 'string', length: 64, nullable: true },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
    readAt: { type: 'datetime', nullable: true },
  },
});

/** Outgoing email; the unique key makes a retried send a no-op once delivered. */
export interface MailOutbox {
  id: number;
  key: string;
  toAddr: string;
  subject: string;
  body: string;
  messageId: string;
  status: 'pending' | 'sent';
  attempts: number;
  lastError?: string | null;
  createdAt: Date;
  sentAt?: Date | null;
  /** A sender's lease while it sends, or the next try after a failure (src/mail/outbox.ts). */
  notBefore?: Date | null;
  /** 'email', or a unit's group robot ('wecom' | 'dingtalk'; then `toAddr` is the unit id). */
  channel?: 'email' | 'wecom' | 'dingtalk';
}
export const MailOutboxSchema = new EntitySchema<MailOutbox>({
  name: 'MailOutbox',
  tableName: 'mail_outbox',
  indexes: [{ properties: ['status', 'createdAt'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    key: { type: 'string', length: 400, unique: true },
    toAddr: { type: 'string' },
    subject: { type: 'string', length: 500 },
    body: { type: 'text' },
    messageId: { type: 'string' },
    status: { type: 'string', length: 16 },
    attempts: { type: 'integer', default: 0 },
    lastError: { type: 'text', nullable: true },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
    sentAt: { type: 'datetime', nullable: true },
    notBefore: { type: 'datetime', nullable: true },
    channel: { type: 'string', length: 16, default: 'email' },
  },
});

/** One rung of the escalation ladder reached by one clock (notice VI.1). */
export interface Escalation {
  id: number;
  key: string;
  ownerType: 'clue' | 'campaign';
  ownerId: string;
  ownerRef: string;
  clockId: string;
  task: string;
  unitId: string;
  level: number;
  dueAt: Date;
  escalatedAt: Date;
  status: 'open' | 'acknowledged' | 'resolved';
  acknowledgedBy?: string | null;
  acknowledgedAt?: Date | null;
  instruction?: string | null;
  resolvedAt?: Date | null;
}
export const EscalationSchema = new EntitySchema<Escalation>({
  name: 'Escalation',
  tableName: 'escalations',
  indexes: [{ properties: ['status', 'level', 'dueAt'] }, { properties: ['unitId', 'status'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    key: { type: 'string', length: 300, unique: true },
    ownerType: { type: 'string', length: 16 },
    ownerId: { type: 'string', length: 64 },
    ownerRef: { type: 'string', length: 64 },
    clockId: { type: 'string', length: 100 },
    task: { type: 'string', length: 40 },
    unitId: { type: 'string', length: 64 },
    level: { type: 'integer' },
    dueAt: { type: 'datetime' },
    escalatedAt: { type: 'datetime' },
    status: { type: 'string', length: 16 },
    acknowledgedBy: { type: 'string', length: 64, nullable: true },
    acknowledgedAt: { type: 'datetime', nullable: true },
    instruction: { type: 'text', nullable: true },
    resolvedAt: { type: 'datetime', nullable: true },
  },
});

/** Accountability record written when a clock reaches the top of the ladder (notice VI.1). */
export interface AccountabilityRecord {
  id: number;
  key: string;
  unitId: string;
  ownerType: 'clue' | 'campaign';
  ownerId: string;
  ownerRef: string;
  clockId: string;
  task: string;
  dueAt: Date;
  level: number;
  recordedAt: Date;
  resolvedAt?: Date | null;
}
export const AccountabilityRecordSchema = new EntitySchema<AccountabilityRecord>({
  name: 'AccountabilityRecord',
  tableName: 'accountability_records',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    key: { type: 'string', length: 300, unique: true },
    unitId: { type: 'string', length: 64, index: true },
    ownerType: { type: 'string', length: 16 },
    ownerId: { type: 'string', length: 64 },
    ownerRef: { type: 'string', length: 64 },
    clockId: { type: 'string', length: 100 },
    task: { type: 'string', length: 40 },
    dueAt: { type: 'datetime' },
    level: { type: 'integer' },
    recordedAt: { type: 'datetime' },
    resolvedAt: { type: 'datetime', nullable: true },
  },
});

/** Hand-off package to public security (notice IV.5, IV.6). */
export interface Referral {
  id: string;
  clueId: string;
  seq: number;
  policeUnitId: string;
  package: Record<string, unknown>;
  sentAt: Date;
  status: 'awaiting' | 'accepted' | 'returned';
  acknowledgedAt?: Date | null;
  acknowledgedBy?: string | null;
  policeCaseNumber?: string | null;
  reason?: string | null;
  webhookStatus?: string | null;
}
export const ReferralSchema = new EntitySchema<Referral>({
  name: 'Referral',
  tableName: 'referrals',
  uniques: [{ properties: ['clueId', 'seq'] }],
  properties: {
    id: { type: 'string', length: 100, primary: true },
    clueId: { type: 'string', length: 64 },
    seq: { type: 'integer' },
    policeUnitId: { type: 'string', length: 64, index: true },
    package: { type: 'json' },
    sentAt: { type: 'datetime' },
    status: { type: 'string', length: 16 },
    acknowledgedAt: { type: 'datetime', nullable: true },
    acknowledgedBy: { type: 'string', length: 64, nullable: true },
    policeCaseNumber: { type: 'string', length: 64, nullable: true },
    reason: { type: 'text', nullable: true },
    webhookStatus: { type: 'string', length: 32, nullable: true },
  },
});

/** Audit log of every write and every unmasking, with actor, role, unit and request id. */
export interface AuditEntry {
  id: number;
  at: Date;
  actorId?: string | null;
  role?: string | null;
  unitId?: string | null;
  action: string;
  target?: string | null;
  requestId?: string | null;
  details: Record<string, unknown>;
}
export const AuditEntrySchema = new EntitySchema<AuditEntry>({
  name: 'AuditEntry',
  tableName: 'audit_log',
  indexes: [{ properties: ['at'] }, { properties: ['target'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    at: { type: 'datetime', defaultRaw: 'now()' },
    actorId: { type: 'string', length: 64, nullable: true },
    role: { type: 'string', length: 32, nullable: true },
    unitId: { type: 'string', length: 64, nullable: true },
    action: { type: 'string', length: 64 },
    target: { type: 'string', length: 128, nullable: true },
    requestId: { type: 'string', length: 64, nullable: true },
    details: { type: 'json' },
  },
});

/** Stored responses for Idempotency-Key on creating POSTs. */
export interface IdempotencyRecord {
  key: string;
  userId: string;
  bodyHash: string;
  status: number;
  response: Record<string, unknown>;
  createdAt: Date;
}
export const IdempotencyRecordSchema = new EntitySchema<IdempotencyRecord>({
  name: 'IdempotencyRecord',
  tableName: 'idempotency_keys',
  properties: {
    key: { type: 'string', length: 300, primary: true },
    userId: { type: 'string', length: 64 },
    bodyHash: { type: 'string', length: 64 },
    status: { type: 'integer' },
    response: { type: 'json' },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});
