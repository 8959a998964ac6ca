import { ApiTokenSchema, SessionSchema, SignInUnknownSchema, UserSchema } from './user.entity';
import { ClueSchema } from './clue.entity';
import { UnitSchema } from './unit.entity';
import { CampaignDeliverableSchema, CampaignSchema, CampaignUnitSchema } from './campaign.entity';
import {
  AccountabilityRecordSchema,
  AuditEntrySchema,
  ClockRowSchema,
  EscalationSchema,
  IdempotencyRecordSchema,
  MailOutboxSchema,
  NotificationSchema,
  ReferralSchema,
  TimelineEventSchema,
} from './ledger.entity';

export * from './unit.entity';
export * from './user.entity';
export * from './clue.entity';
export * from './ledger.entity';
export * from './campaign.entity';

export const entities = [
  UnitSchema,
  UserSchema,
  ApiTokenSchema,
  SessionSchema,
  SignInUnknownSchema,
  ClueSchema,
  TimelineEventSchema,
  ClockRowSchema,
  NotificationSchema,
  MailOutboxSchema,
  EscalationSchema,
  AccountabilityRecordSchema,
  ReferralSchema,
  AuditEntrySchema,
  IdempotencyRecordSchema,
  CampaignSchema,
  CampaignUnitSchema,
  CampaignDeliverableSchema,
];
