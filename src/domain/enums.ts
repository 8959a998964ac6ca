/**
 * Domain enumerations for the illegal fund-raising case-management system.
 *
 * PURE module: no Node built-ins, no runtime imports. Safe to import from
 * Temporal workflow code.
 *
 * Each enumeration is exported twice: as a readonly const array (for
 * iteration, validation and ordering) and as a string-literal union type.
 * Arrays documented as "ordered" are sorted from least to most severe, so
 * array index can be used for comparisons (see `severityIndex`).
 */

/** Where a clue (线索) came from. */
export const SOURCE_CHANNELS = [
  'mass_report',
  'media_exposure',
  'big_data_monitoring',
  'suspicious_funds',
  'advertising_monitoring',
  'industry_investigation',
  'grid_inspection',
  'social_investigation',
  'online_monitoring',
  'cross_region_exchange',
  'other',
] as const;
export type SourceChannel = (typeof SOURCE_CHANNELS)[number];

/** Key industries / areas singled out by the special campaign. */
export const KEY_AREAS = [
  'private_investment_intermediary',
  'p2p_lending',
  'third_party_payment',
  'crowdfunding',
  'private_equity',
  'e_commerce',
  'wholesale_retail',
  'real_estate',
  'agricultural_cooperative',
  'education',
  'medical_care',
  'elderly_care',
  'tourism',
  'other',
] as const;
export type KeyArea = (typeof KEY_AREAS)[number];

/** Key behaviours / typical schemes singled out by the special campaign. */
export const KEY_BEHAVIOURS = [
  'consumer_rebate',
  'mutual_aid',
  'joining_points',
  'virtual_assets',
  'livestock_custody',
  'belt_and_road_guise',
  'sharing_economy_guise',
  'charity_guise',
  'targets_elderly',
  'targets_disabled',
  'targets_poor',
  'other',
] as const;
export type KeyBehaviour = (typeof KEY_BEHAVIOURS)[number];

/** Kind of the subject (涉事主体) a clue is about. */
export const SUBJECT_KINDS = [
  'enterprise',
  'individual_business',
  'individual',
  'organization',
  'online_platform',
  'other',
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** Public-opinion (舆情) level. ORDERED, least to most severe. */
export const PUBLIC_OPINION_LEVELS = ['none', 'local', 'regional', 'national'] as const;
export type PublicOpinionLevel = (typeof PUBLIC_OPINION_LEVELS)[number];

/** Social-stability (维稳) risk level. ORDERED, least to most severe. */
export const STABILITY_RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type StabilityRiskLevel = (typeof STABILITY_RISK_LEVELS)[number];

/** Nature (定性) of a clue after classification. Ordered, least to most serious. */
export const NATURES = [
  'not_illegal',
  'irregular',
  'suspected_illegal_fundraising',
  'suspected_crime',
] as const;
export type Nature = (typeof NATURES)[number];

/** Disposal strategies (处置方式). A plan may combine several. */
export const STRATEGIES = [
  'warning_interview',
  'standardized_rectification',
  'administrative_penalty',
  'criminal_referral',
  'online_cleanup',
] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** Risk grades. I is the most serious. */
export const GRADES = ['I', 'II', 'III', 'IV'] as const;
export type Grade = (typeof GRADES)[number];

/** Conventional warning colours for each grade (红 / 橙 / 黄 / 蓝). */
export const GRADE_COLOURS = {
  I: 'red',
  II: 'orange',
  III: 'yellow',
  IV: 'blue',
} as const satisfies Record<Grade, string>;
export type GradeColour = (typeof GRADE_COLOURS)[Grade];

/** Kinds of organisational unit (镇街 / 社区 / 部门 / 区处非办). */
export const UNIT_KINDS = ['town', 'community', 'department', 'district_office'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** User roles. */
export const ROLES = ['coordinator', 'unit_officer', 'leader', 'police_liaison', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Supported UI / notification locales. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Types of work information (工作信息) units submit during a campaign. */
export const WORK_INFORMATION_TYPES = [
  'highlights',
  'risks_found',
  'typical_case',
  'problems',
  'suggestions',
] as const;
export type WorkInformationType = (typeof WORK_INFORMATION_TYPES)[number];

/** Life-cycle stages of a clue, in their normal order. */
export const CLUE_STAGES = [
  'registered',
  'verifying',
  'classifying',
  'planning',
  'plan_review',
  'disposing',
  'referred',
  'monitoring',
  'closure_review',
  'closed',
] as const;
export type ClueStage = (typeof CLUE_STAGES)[number];

/** Type guard: is `value` one of the members of `values`? */
export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** Index of `value` in an ordered enumeration (0 = least severe). */
export function severityIndex<T extends string>(ordered: readonly T[], value: T): number {
  return ordered.indexOf(value);
}
