/** Request and response schemas of the HTTP API. The OpenAPI document is generated from these. */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  GRADES,
  KEY_AREAS,
  KEY_BEHAVIOURS,
  LOCALES,
  NATURES,
  PUBLIC_OPINION_LEVELS,
  ROLES,
  SOURCE_CHANNELS,
  STABILITY_RISK_LEVELS,
  STRATEGIES,
  SUBJECT_KINDS,
  CLUE_STAGES,
  UNIT_KINDS,
} from '../src/domain/enums';
import { ROBOT_CHANNELS } from '../src/notify/robots';
import { unitUpdateInput } from '../src/services/units';

extendZodWithOpenApi(z);

/**
 * Free text: no NUL characters (PostgreSQL cannot store them) and not blank. The pattern says so in
 * the OpenAPI document too, so a generated client (or a fuzzer) knows what "valid" means.
 * `\uFEFF` counts as blank because String.prototype.trim removes it. (Unpaired UTF-16 surrogates,
 * which JSON can carry but PostgreSQL cannot store, are refused for every route by the gate.)
 */
export const TEXT_PATTERN = /^[^\u0000]*[^\s\uFEFF\u0000][^\u0000]*$/;
/** Optional free text (may be empty): only NUL is refused. */
export const NO_NUL_PATTERN = /^[^\u0000]*$/;
export const text = (max = 4000) =>
  z.string().trim().min(1).max(max).regex(TEXT_PATTERN, 'must not be blank or contain NUL characters');
export const optionalText = (max = 4000) =>
  z.string().max(max).regex(NO_NUL_PATTERN, 'must not contain NUL characters');
const isoDateTime = z.iso.datetime({ offset: true });
export const UNIT_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const unitId = z
  .string()
  .min(1)
  .max(64)
  .regex(UNIT_ID_PATTERN, 'unit ids are lowercase letters, digits and dashes');
/** Timestamps in responses: ISO-8601 UTC. */
export const Timestamp = z.iso.datetime({ offset: true });
/** Opaque cursor for the next page (base64url). */
export const Cursor = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]*$/, 'not a cursor');
export const pageLimit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);

export const ClueIntakeSchema = z
  .object({
    sourceChannel: z.enum(SOURCE_CHANNELS),
    description: text(8000),
    subject: z
      .object({
        name: text(200),
        kind: z.enum(SUBJECT_KINDS),
        creditCode: z
          .string()
          .trim()
          .max(18)
          .regex(/^[0-9A-Za-z ]*$/, 'letters and digits only')
          .optional(),
        registrationPlace: text(200).optional(),
        operatingPlace: text(200).optional(),
        frequentChanges: z.boolean().optional(),
      })
      .strict(),
    keyArea: z.enum(KEY_AREAS),
    keyBehaviours: z.array(z.enum(KEY_BEHAVIOURS)).max(KEY_BEHAVIOURS.length).default([]),
    online: z.boolean(),
    amountCny: z.number().finite().min(0).max(1e13),
    participants: z.number().int().min(0).max(100_000_000),
    publicOpinion: z.enum(PUBLIC_OPINION_LEVELS),
    stabilityRisk: z.enum(STABILITY_RISK_LEVELS),
    leadUnitId: unitId,
    coHandlingUnitIds: z.array(unitId).max(20).optional(),
    keyFlag: z.boolean().optional(),
    reporter: z
      .object({ name: text(100), contact: text(200) })
      .strict()
      .optional(),
  })
  .strict()
  .openapi('ClueIntake');

export const RegisteredClueSchema = z
  .object({
    id: z.string(),
    ref: z.string(),
    grade: z.enum(GRADES),
    riskScore: z.number(),
    keyClue: z.boolean(),
    duplicateOfId: z.string().nullable(),
    workflowId: z.string(),
  })
  .openapi('RegisteredClue');

const milestone = z
  .object({
    id: z
      .string()
      .min(1)
      .max(40)
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional(),
    title: text(300),
    dueAt: isoDateTime,
  })
  .strict();

const ClockId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'not a clock id');

/** Bodies of the transitions; each is a Temporal Update of the clue workflow. */
export const TransitionBodies = {
  verification: z.object({ findings: text(), factsConfirmed: z.boolean() }).strict(),
  classification: z
    .object({
      nature: z.enum(NATURES),
      repaymentAbility: z.enum(['none', 'partial', 'full', 'unknown']),
      repaymentWillingness: z.enum(['none', 'low', 'high', 'unknown']),
      reasoning: text(),
    })
    .strict(),
  plan: z
    .object({
      strategies: z.array(z.enum(STRATEGIES)).min(1).max(STRATEGIES.length),
      measures: text(),
      responsiblePerson: text(100),
      milestones: z.array(milestone).min(1).max(50),
    })
    .strict(),
  'plan-review': z
    .object({ decision: z.enum(['approve', 'return']), comment: optionalText().default('') })
    .strict(),
  actions: z.object({ description: text() }).strict(),
  'milestone-completion': z.object({ note: optionalText().default('') }).strict(),
  referral: z.object({ reason: text() }).strict(),
  'referral-acknowledgement': z
    .object({
      decision: z.enum(['accepted', 'returned']),
      policeCaseNumber: text(64).optional(),
      reason: text().optional(),
    })
    .strict(),
  'follow-ups': z.object({ resurgence: z.boolean(), findings: text() }).strict(),
  closure: z.object({ summary: text(8000) }).strict(),
  'closure-decision': z
    .object({ decision: z.enum(['approve', 'return']), comment: optionalText().default('') })
    .strict(),
  reopening: z.object({ reason: text() }).strict(),
  'deadline-extensions': z.object({ clockId: ClockId, newDueAt: isoDateTime, reason: text() }).strict(),
  'deadline-extension-decision': z
    .object({ decision: z.enum(['approve', 'reject']), comment: optionalText().default('') })
    .strict(),
  'clock-pauses': z.object({ clockId: ClockId, reason: text() }).strict(),
  'clock-resumptions': z.object({ clockId: ClockId, reason: text() }).strict(),
  'information-exchange': z.object({ summary: text() }).strict(),
  regrade: z.object({ grade: z.enum(GRADES), keyClue: z.boolean(), reason: text() }).strict(),
} as const;

export const ClockSchema = z
  .object({
    clockId: z.string(),
    task: z.string(),
    unitId: z.string(),
    label: z.string().nullable(),
    startedAt: Timestamp,
    dueAt: Timestamp,
    status: z.enum(['open', 'paused', 'done', 'cancelled']),
    level: z.number().int(),
    completedAt: Timestamp.nullable(),
    late: z.boolean(),
    pendingExtensionId: z.string().nullable(),
  })
  .openapi('Clock');

const byAt = { by: z.string(), at: Timestamp };

/** The live disposal state (the workflow's `state` query), timestamps as ISO-8601. */
export const ClueStateSchema = z
  .object({
    clueId: z.string(),
    ref: z.string(),
    stage: z.enum(CLUE_STAGES),
    grade: z.enum(GRADES),
    keyClue: z.boolean(),
    leadUnitId: z.string(),
    coHandlingUnitIds: z.array(z.string()),
    overdueLevel: z.number().int(),
    nextDueAt: Timestamp.nullable(),
    allowedTransitions: z.array(z.string()),
    clocks: z.array(ClockSchema),
    verification: z.object({ findings: z.string(), factsConfirmed: z.boolean(), ...byAt }).nullable(),
    classification: z
      .object({
        nature: z.enum(NATURES),
        repaymentAbility: z.string(),
        repaymentWillingness: z.string(),
        reasoning: z.string(),
        ...byAt,
      })
      .nullable(),
    plan: z
      .object({
        strategies: z.array(z.enum(STRATEGIES)),
        measures: z.string(),
        responsiblePerson: z.string(),
        version: z.number().int(),
        submittedBy: z.string(),
        submittedAt: Timestamp,
        approvedAt: Timestamp.nullable(),
      })
      .nullable(),
    milestones: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        dueAt: Timestamp,
        completedAt: Timestamp.nullable(),
        note: z.string().nullable(),
      }),
    ),
    actions: z.array(z.object({ description: z.string(), ...byAt })),
    referrals: z.array(
      z.object({
        id: z.string(),
        seq: z.number().int(),
        status: z.enum(['awaiting', 'accepted', 'returned']),
        sentAt: Timestamp,
        policeCaseNumber: z.string().nullable(),
        reason: z.string().nullable(),
      }),
    ),
    followUps: z.array(
      z.object({ index: z.number().int(), resurgence: z.boolean(), findings: z.string(), ...byAt }),
    ),
    closure: z
      .object({ summary: z.string(), requestedBy: z.string(), requestedAt: Timestamp, returnTo: z.string() })
      .nullable(),
    closedAt: Timestamp.nullable(),
    reopenCount: z.number().int(),
  })
  .openapi('ClueState');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() }).loose())
      .optional(),
    allowedTransitions: z.array(z.string()).optional(),
  })
  .loose()
  .openapi('Problem');

export const ClueListQuery = z
  .object({
    stage: z.enum(CLUE_STAGES).optional(),
    grade: z.enum(GRADES).optional(),
    unit: unitId.optional(),
    keyArea: z.enum(KEY_AREAS).optional(),
    behaviour: z.enum(KEY_BEHAVIOURS).optional(),
    keyClue: z.enum(['true', 'false']).optional(),
    overdue: z.enum(['true', 'false']).optional(),
    q: optionalText(100).optional(),
    /** Exact unified social credit code (upper-cased), for the intake form's duplicate warning. */
    creditCode: z
      .string()
      .trim()
      .max(18)
      .regex(/^[0-9A-Za-z]*$/, 'letters and digits only')
      .optional(),
    /** What waits for the District Office: an extension request not yet decided, or a referral public security returned. */
    pending: z.enum(['extension', 'returned_referral']).optional(),
    limit: pageLimit(200, 50),
    cursor: Cursor.optional(),
  })
  .strict();

export const ClueSummarySchema = z
  .object({
    id: z.string(),
    ref: z.string(),
    subjectName: z.string(),
    sourceChannel: z.enum(SOURCE_CHANNELS),
    keyArea: z.enum(KEY_AREAS),
    keyBehaviours: z.array(z.enum(KEY_BEHAVIOURS)),
    amountCny: z.number(),
    participants: z.number().int(),
    riskScore: z.number().int(),
    grade: z.enum(GRADES),
    keyClue: z.boolean(),
    stage: z.enum(CLUE_STAGES),
    nature: z.enum(NATURES).nullable(),
    leadUnitId: z.string(),
    coHandlingUnitIds: z.array(z.string()),
    overdueLevel: z.number().int(),
    nextDueAt: Timestamp.nullable(),
    duplicateOfId: z.string().nullable(),
    createdAt: Timestamp,
  })
  .openapi('ClueSummary');

export const ClueListSchema = z
  .object({ items: z.array(ClueSummarySchema), nextCursor: Cursor.nullable() })
  .openapi('ClueList');

/** A clue as coordinators, leaders and its lead and co-handling units see it: ledger facts and live state. */
export const ClueDetailSchema = z
  .object({
    view: z.literal('full'),
    id: z.string(),
    ref: z.string(),
    sourceChannel: z.enum(SOURCE_CHANNELS),
    description: z.string(),
    subjectName: z.string(),
    subjectKind: z.enum(SUBJECT_KINDS),
    creditCode: z.string().nullable(),
    registrationPlace: z.string().nullable(),
    operatingPlace: z.string().nullable(),
    frequentChanges: z.boolean(),
    keyArea: z.enum(KEY_AREAS),
    keyBehaviours: z.array(z.enum(KEY_BEHAVIOURS)),
    online: z.boolean(),
    amountCny: z.number(),
    participants: z.number().int(),
    publicOpinion: z.enum(PUBLIC_OPINION_LEVELS),
    stabilityRisk: z.enum(STABILITY_RISK_LEVELS),
    targetsVulnerable: z.boolean(),
    leadUnitId: z.string(),
    coHandlingUnitIds: z.array(z.string()),
    duplicateOfId: z.string().nullable(),
    riskScore: z.number().int(),
    grade: z.enum(GRADES),
    keyFlag: z.boolean(),
    keyClue: z.boolean(),
    stage: z.enum(CLUE_STAGES),
    nature: z.enum(NATURES).nullable(),
    overdueLevel: z.number().int(),
    nextDueAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    closedAt: Timestamp.nullable(),
    /** Whether a (confidential) reporter is on file; the identity itself needs the unmask call. */
    hasReporter: z.boolean(),
    state: ClueStateSchema.nullable(),
  })
  .openapi('ClueDetail');

export const ReferralPackageViewSchema = z
  .object({
    id: z.string(),
    status: z.enum(['awaiting', 'accepted', 'returned']),
    sentAt: Timestamp,
    acknowledgedAt: Timestamp.nullable(),
    policeCaseNumber: z.string().nullable(),
    package: z.record(z.string(), z.unknown()),
  })
  .openapi('ReferralPackage');

/** What a police liaison sees of a clue referred to it: the referral packages only. */
export const PoliceClueViewSchema = z
  .object({
    view: z.literal('referral'),
    id: z.string(),
    ref: z.string(),
    stage: z.enum(CLUE_STAGES),
    referrals: z.array(ReferralPackageViewSchema),
  })
  .openapi('PoliceClueView');

export const ClueViewSchema = z
  .discriminatedUnion('view', [ClueDetailSchema, PoliceClueViewSchema])
  .openapi('ClueView');

export const TimelineSchema = z
  .object({
    items: z.array(
      z.object({
        kind: z.string(),
        actorId: z.string().nullable(),
        /** The user's name; null for the workflow itself, the command line, or a user since removed. */
        actorName: z.string().nullable(),
        actorRole: z.string().nullable(),
        data: z.record(z.string(), z.unknown()),
        at: Timestamp,
      }),
    ),
  })
  .openapi('Timeline');

export const UnmaskBodySchema = z.object({ reason: text(1000).min(5) }).strict();
export const UnmaskedReporterSchema = z
  .object({ reporter: z.object({ name: z.string(), contact: z.string() }).nullable() })
  .openapi('UnmaskedReporter');

// ---- people, notifications, escalations, clocks, units -------------------------------------------

export const MeSchema = z
  .object({
    userId: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    unitId: z.string().nullable(),
    locale: z.enum(LOCALES),
    /** Only when signed in with the session cookie: the X-CSRF-Token for writes (again after a reload). */
    csrfToken: z.string().optional(),
  })
  .openapi('Me');

export const NotificationListQuery = z
  .object({
    limit: pageLimit(200, 50),
    unread: z.enum(['true', 'false']).optional(),
    cursor: Cursor.optional(),
  })
  .strict();
export const NotificationListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.number().int(),
        key: z.string(),
        kind: z.string(),
        subject: z.string(),
        body: z.string(),
        locale: z.enum(LOCALES),
        ownerType: z.string().nullable(),
        ownerId: z.string().nullable(),
        createdAt: Timestamp,
        readAt: Timestamp.nullable(),
      }),
    ),
    nextCursor: Cursor.nullable(),
  })
  .openapi('NotificationList');

export const EscalationListQuery = z
  .object({
    status: z.enum(['open', 'acknowledged', 'resolved', 'all']).default('open'),
    limit: pageLimit(500, 100),
  })
  .strict();
export const EscalationSchema = z
  .object({
    id: z.number().int(),
    ownerType: z.string(),
    ownerId: z.string(),
    ownerRef: z.string(),
    clockId: z.string(),
    task: z.string(),
    unitId: z.string(),
    unitNameZh: z.string().nullable(),
    unitNameEn: z.string().nullable(),
    level: z.number().int(),
    dueAt: Timestamp,
    escalatedAt: Timestamp,
    status: z.enum(['open', 'acknowledged', 'resolved']),
    instruction: z.string().nullable(),
    acknowledgedAt: Timestamp.nullable(),
    /** Working days overdue on the policy's calendar (the owner's: a campaign may have its own). */
    daysOverdue: z.number().int(),
    // The clue's facts (null for a campaign deliverable's escalation).
    subjectName: z.string().nullable(),
    grade: z.string().nullable(),
    amountCny: z.number().nullable(),
    participants: z.number().int().nullable(),
    stage: z.string().nullable(),
  })
  .openapi('Escalation');
export const EscalationDetailSchema = z
  .object({
    escalation: EscalationSchema,
    /** The clue's facts as a leader sees them (never the reporter); null for a campaign's escalation. */
    clue: z
      .object({
        id: z.string(),
        ref: z.string(),
        subjectName: z.string(),
        subjectKind: z.string(),
        keyArea: z.string(),
        grade: z.string(),
        keyClue: z.boolean(),
        amountCny: z.number(),
        participants: z.number().int(),
        stage: z.string(),
        leadUnitId: z.string(),
        description: z.string(),
        createdAt: Timestamp,
      })
      .nullable(),
    /** Every rung this clock reached, lowest level first. */
    history: z.array(
      z.object({
        id: z.number().int(),
        level: z.number().int(),
        escalatedAt: Timestamp,
        status: z.enum(['open', 'acknowledged', 'resolved']),
        acknowledgedAt: Timestamp.nullable(),
        resolvedAt: Timestamp.nullable(),
      }),
    ),
    /** Every instruction given on this clue or campaign (any clock), oldest first. */
    instructions: z.array(
      z.object({
        escalationId: z.number().int(),
        task: z.string(),
        level: z.number().int(),
        instruction: z.string(),
        acknowledgedAt: Timestamp,
        acknowledgedBy: z.string().nullable(),
        acknowledgedByName: z.string().nullable(),
      }),
    ),
  })
  .openapi('EscalationDetail');
export const EscalationListSchema = z.object({ items: z.array(EscalationSchema) }).openapi('EscalationList');
export const EscalationAckBodySchema = z.object({ instruction: text(4000) }).strict();
export const EscalationAckSchema = z
  .object({
    id: z.number().int(),
    status: z.literal('acknowledged'),
    instruction: z.string(),
    acknowledgedAt: Timestamp,
  })
  .openapi('EscalationAcknowledgement');

export const AccountabilityQuery = z.object({ limit: pageLimit(1000, 200) }).strict();
export const AccountabilityListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.number().int(),
        unitId: z.string(),
        unitNameZh: z.string().nullable(),
        unitNameEn: z.string().nullable(),
        ownerType: z.string(),
        ownerId: z.string(),
        ownerRef: z.string(),
        clockId: z.string(),
        task: z.string(),
        dueAt: Timestamp,
        level: z.number().int(),
        recordedAt: Timestamp,
        completedAt: Timestamp.nullable(),
        daysOverdue: z.number().int(),
      }),
    ),
  })
  .openapi('AccountabilityList');

export const ClockListQuery = z.object({ limit: pageLimit(500, 200) }).strict();
export const ClockListSchema = z
  .object({
    items: z.array(
      z.object({
        ownerType: z.string(),
        ownerId: z.string(),
        clockId: z.string(),
        task: z.string(),
        unitId: z.string(),
        label: z.string().nullable(),
        startedAt: Timestamp,
        dueAt: Timestamp,
        status: z.enum(['open', 'paused']),
        level: z.number().int(),
        ownerRef: z.string().openapi({ description: 'The clue reference (XS-…) or the campaign name' }),
        ownerTitle: z.string().nullable().openapi({ description: 'The clue subject (null for campaigns)' }),
        workingDaysLeft: z.number().int().openapi({
          description:
            'Whole working days until due on the deadline calendar; negative when overdue, 0 when due',
        }),
      }),
    ),
  })
  .openapi('ClockList');

export const UnitSchema = z
  .object({
    id: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    kind: z.enum(UNIT_KINDS),
    active: z.boolean(),
  })
  .openapi('Unit');
export const UnitListSchema = z.object({ items: z.array(UnitSchema) }).openapi('UnitList');
export const UnitCreateSchema = z
  .object({
    id: z.string().min(2).max(64).regex(UNIT_ID_PATTERN, 'unit ids are lowercase letters, digits and dashes'),
    nameZh: text(100),
    nameEn: text(100),
    kind: z.enum(UNIT_KINDS),
  })
  .strict()
  .openapi('UnitCreate');
/** PATCH /units/{unitId}: contacts and group robots (src/services/units.ts); `null` clears a field. */
export const UnitUpdateSchema = unitUpdateInput().openapi('UnitUpdate');
/** A unit as the admin sees it: robot webhooks with their access tokens masked, the DingTalk secret only as set. */
export const UnitContactsSchema = z
  .object({
    id: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    kind: z.enum(UNIT_KINDS),
    active: z.boolean(),
    email: z.string().nullable(),
    headName: z.string().nullable(),
    headEmail: z.string().nullable(),
    wecomWebhookUrl: z.string().nullable().openapi({ description: 'query values masked (***)' }),
    dingtalkWebhookUrl: z.string().nullable().openapi({ description: 'query values masked (***)' }),
    dingtalkSecretSet: z.boolean(),
    robotChannels: z.array(z.enum(ROBOT_CHANNELS)),
  })
  .openapi('UnitContacts');

// Administration of users and API tokens (admin; src/auth/admin.ts does the work, audited).
const userIdSchema = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes');
export const UserSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.enum(ROLES),
    unitId: z.string().nullable(),
    isUnitHead: z.boolean(),
    locale: z.enum(LOCALES),
    active: z.boolean(),
  })
  .openapi('User');
export const UserListSchema = z.object({ items: z.array(UserSchema) }).openapi('UserList');
export const UserCreateSchema = z
  .object({
    id: userIdSchema,
    name: text(200),
    email: z.email().max(254),
    role: z.enum(ROLES),
    unitId: unitId.optional(),
    isUnitHead: z.boolean().optional(),
    locale: z.enum(LOCALES).optional(),
  })
  .strict()
  .openapi('UserCreate');
/** A role change (with the unit it acts for) or a deactivation; at least one of them. */
export const UserUpdateSchema = z
  .object({
    role: z.enum(ROLES).optional(),
    unitId: unitId.optional(),
    active: z.literal(false).optional().openapi({ description: 'false deactivates the user for good' }),
  })
  .strict()
  .refine((b) => b.role !== undefined || b.active !== undefined, {
    message: 'give a role or active: false',
    path: ['role'],
  })
  .refine((b) => b.unitId === undefined || b.role !== undefined, {
    message: 'a unit goes with a role',
    path: ['role'],
  })
  .openapi('UserUpdate');
export const PasswordResetSchema = z
  .object({
    userId: z.string(),
    password: z.string().openapi({ description: 'the new one-time password: shown once, stored hashed' }),
  })
  .openapi('PasswordReset');
export const TokenSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    prefix: z.string(),
    label: z.string(),
    createdAt: Timestamp,
    expiresAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
    lastUsedAt: Timestamp.nullable(),
  })
  .openapi('Token');
export const TokenListQuery = z.object({ userId: userIdSchema.optional() }).strict();
export const TokenListSchema = z.object({ items: z.array(TokenSchema) }).openapi('TokenList');
export const TokenCreateSchema = z
  .object({
    userId: userIdSchema,
    label: text(200).optional(),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict()
  .openapi('TokenCreate');
export const IssuedTokenSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    label: z.string(),
    token: z.string().openapi({ description: 'the secret: shown once, stored as a SHA-256 hash' }),
    expiresAt: Timestamp.nullable(),
  })
  .openapi('IssuedToken');

/** GET /ledger/statistics: the parts a client relies on are described; the buckets are left open. */
const OnTimeFiguresShape = {
  counted: z.number().int(),
  done: z.number().int(),
  onTime: z.number().int(),
  lateDone: z.number().int(),
  openOverdue: z.number().int(),
  openNotDue: z.number().int(),
  cancelled: z.number().int(),
  rate: z
    .number()
    .nullable()
    .openapi({ description: 'on time ÷ (done + open overdue); null: nothing due yet' }),
  escalated: z.number().int(),
  escalatedHigh: z.number().int(),
};
export const StatisticsSchema = z
  .looseObject({
    generatedAt: Timestamp,
    onTimeByUnit: z.array(
      z.object({
        unitId: z.string(),
        unitName: z.string(),
        ...OnTimeFiguresShape,
        late: z.number().int(),
        openClocks: z.number().int(),
        overdueOpen: z.number().int(),
      }),
    ),
    onTimeOverall: z.object(OnTimeFiguresShape),
  })
  .openapi('Statistics');
