/**
 * Tiny message catalogue for notifications, UI labels and ledger exports.
 *
 * PURE module: no Node built-ins, no runtime imports except `./domain/enums`.
 * Safe to import from Temporal workflow code.
 *
 * The English catalogue is the source of truth for the key set: `MessageKey`
 * is derived from it and the zh-CN catalogue is typed
 * `Record<MessageKey, string>`, so a missing (or extra) zh-CN key is a type
 * error. Placeholders are written `{name}` and filled by `t()`.
 *
 * Label keys follow `<kind>.<enum value>`, see `LABEL_KINDS` / `label()`.
 * For `escalation.body`, `{level}` is free text: pass the already translated
 * label, e.g. `t(locale, 'level.2')`.
 */

import {
  CLUE_STAGES,
  GRADES,
  KEY_AREAS,
  KEY_BEHAVIOURS,
  NATURES,
  PUBLIC_OPINION_LEVELS,
  ROLES,
  SOURCE_CHANNELS,
  STABILITY_RISK_LEVELS,
  STRATEGIES,
  SUBJECT_KINDS,
  UNIT_KINDS,
  WORK_INFORMATION_TYPES,
} from './domain/enums';
import type { Locale } from './domain/enums';

export type { Locale } from './domain/enums';

const en = {
  // ── notifications ────────────────────────────────────────────────────────
  'reminder.subject': '[Reminder] Clue {clueRef}: "{task}" is due {dueAt}',
  'reminder.body':
    'To {unit}:\n\nThe task "{task}" for clue {clueRef} is due {dueAt}. Please complete it on time and record the outcome in the system.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'escalation.subject': '[Escalation] Clue {clueRef}: "{task}" is {daysOverdue} day(s) overdue',
  'escalation.body':
    'To {unit}:\n\nThe task "{task}" for clue {clueRef} was due {dueAt} and is now {daysOverdue} day(s) overdue. Under the supervision rules it has been escalated to: {level}. Please handle it immediately and explain the reason for the delay.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'stageChanged.subject': 'Clue {clueRef} has moved to stage "{stage}"',
  'stageChanged.body':
    'Clue {clueRef} has moved to stage "{stage}". The units concerned should carry out the follow-up work within their remit.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'referral.subject': '[Referral] Clue {clueRef} has been referred to {unit}',
  'referral.body':
    'To {unit}:\n\nFollowing assessment by the district office for handling illegal fund-raising, clue {clueRef} has been referred to your unit for handling within its remit. Please acknowledge receipt promptly and report on progress within the set time limit.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'referralReturned.subject': '[Referral returned] Clue {clueRef} was returned by {unit}',
  'referralReturned.body':
    'Clue {clueRef} has been returned by {unit}. The district office should reassess it and assign a responsible unit.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'campaignPhase.subject': '[Campaign] {campaign} has entered the {phase} phase',
  'campaignPhase.body':
    'To all towns, sub-districts and departments concerned:\n\n{campaign} has entered the {phase} phase, which ends {endsAt}. Please carry out the work of this phase as set out in the work plan and submit work information on time.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'accountability.subject': '[Accountability] Clue {clueRef}: "{task}" remains outstanding after escalation',
  'accountability.body':
    'To {unit}:\n\nThe task "{task}" for clue {clueRef} is still outstanding despite repeated escalation and has been submitted for accountability review under the rules. Please rectify immediately and explain the situation in writing.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'followUp.subject': '[Follow-up] Clue {clueRef}: follow-up visit due {dueAt}',
  'followUp.body':
    'To {unit}:\n\nClue {clueRef} has been closed. Please carry out a follow-up visit by {dueAt} to check that rectification has held and the activity has not resumed, and record the result in the system.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',

  // ── clue stages ──────────────────────────────────────────────────────────
  'stage.registered': 'Registered',
  'stage.verifying': 'Verifying',
  'stage.classifying': 'Classifying',
  'stage.planning': 'Planning',
  'stage.plan_review': 'Plan review',
  'stage.disposing': 'Disposing',
  'stage.referred': 'Referred',
  'stage.monitoring': 'Monitoring',
  'stage.closure_review': 'Closure review',
  'stage.closed': 'Closed',

  // ── natures ──────────────────────────────────────────────────────────────
  'nature.not_illegal': 'Not illegal',
  'nature.irregular': 'Irregular',
  'nature.suspected_illegal_fundraising': 'Suspected illegal fund-raising',
  'nature.suspected_crime': 'Suspected crime',

  // ── strategies ───────────────────────────────────────────────────────────
  'strategy.warning_interview': 'Warning interview',
  'strategy.standardized_rectification': 'Standardized rectification',
  'strategy.administrative_penalty': 'Administrative penalty',
  'strategy.criminal_referral': 'Criminal referral',
  'strategy.online_cleanup': 'Online clean-up',

  // ── grades ───────────────────────────────────────────────────────────────
  'grade.I': 'Grade I (red)',
  'grade.II': 'Grade II (orange)',
  'grade.III': 'Grade III (yellow)',
  'grade.IV': 'Grade IV (blue)',

  // ── task kinds ───────────────────────────────────────────────────────────
  'task.verification': 'Verification',
  'task.classification': 'Classification',
  'task.plan': 'Disposal plan',
  'task.plan_review': 'Disposal plan review',
  'task.milestone': 'Disposal milestone',
  'task.referral_ack': 'Referral acknowledgement',
  'task.supplementary_evidence': 'Supplementary evidence',
  'task.exchange': 'Information exchange',
  'task.follow_up': 'Follow-up visit',
  'task.closure_review': 'Closure review',
  'task.implementation_plan': 'Implementation plan',
  'task.work_information': 'Work information',
  'task.summary_report': 'Summary report',

  // ── escalation levels ────────────────────────────────────────────────────
  'level.1': 'Unit head and district office',
  'level.2': 'District leadership',
  'level.3': 'District leading group',

  // ── source channels ──────────────────────────────────────────────────────
  'sourceChannel.mass_report': 'Public report',
  'sourceChannel.media_exposure': 'Media exposure',
  'sourceChannel.big_data_monitoring': 'Big-data monitoring',
  'sourceChannel.suspicious_funds': 'Suspicious fund flows',
  'sourceChannel.advertising_monitoring': 'Advertising monitoring',
  'sourceChannel.industry_investigation': 'Industry investigation',
  'sourceChannel.grid_inspection': 'Grid inspection',
  'sourceChannel.social_investigation': 'Community investigation',
  'sourceChannel.online_monitoring': 'Online monitoring',
  'sourceChannel.cross_region_exchange': 'Cross-region exchange',
  'sourceChannel.other': 'Other',

  // ── key areas ────────────────────────────────────────────────────────────
  'keyArea.private_investment_intermediary': 'Private investment and financing intermediaries',
  'keyArea.p2p_lending': 'P2P lending',
  'keyArea.third_party_payment': 'Third-party payment',
  'keyArea.crowdfunding': 'Crowdfunding',
  'keyArea.private_equity': 'Private equity',
  'keyArea.e_commerce': 'E-commerce',
  'keyArea.wholesale_retail': 'Wholesale and retail',
  'keyArea.real_estate': 'Real estate',
  'keyArea.agricultural_cooperative': 'Farmers’ cooperatives',
  'keyArea.education': 'Education',
  'keyArea.medical_care': 'Medical care',
  'keyArea.elderly_care': 'Elderly care',
  'keyArea.tourism': 'Tourism',
  'keyArea.other': 'Other',

  // ── key behaviours ───────────────────────────────────────────────────────
  'keyBehaviour.consumer_rebate': 'Consumer rebates',
  'keyBehaviour.mutual_aid': 'Mutual aid schemes',
  'keyBehaviour.joining_points': 'Franchise / points schemes',
  'keyBehaviour.virtual_assets': 'Virtual currencies and assets',
  'keyBehaviour.livestock_custody': 'Livestock / farming custody',
  'keyBehaviour.belt_and_road_guise': 'Under the guise of "Belt and Road"',
  'keyBehaviour.sharing_economy_guise': 'Under the guise of the sharing economy',
  'keyBehaviour.charity_guise': 'Under the guise of charity',
  'keyBehaviour.targets_elderly': 'Targets the elderly',
  'keyBehaviour.targets_disabled': 'Targets people with disabilities',
  'keyBehaviour.targets_poor': 'Targets low-income people',
  'keyBehaviour.other': 'Other',

  // ── subject kinds ────────────────────────────────────────────────────────
  'subjectKind.enterprise': 'Enterprise',
  'subjectKind.individual_business': 'Individual business',
  'subjectKind.individual': 'Individual',
  'subjectKind.organization': 'Organization',
  'subjectKind.online_platform': 'Online platform',
  'subjectKind.other': 'Other',

  // ── public opinion / stability risk ──────────────────────────────────────
  'publicOpinion.none': 'None',
  'publicOpinion.local': 'Local',
  'publicOpinion.regional': 'Regional',
  'publicOpinion.national': 'National',
  'stabilityRisk.low': 'Low',
  'stabilityRisk.medium': 'Medium',
  'stabilityRisk.high': 'High',
  'stabilityRisk.critical': 'Critical',

  // ── units, roles, work information ───────────────────────────────────────
  'unitKind.town': 'Town / sub-district',
  'unitKind.community': 'Community / village',
  'unitKind.department': 'Department',
  'unitKind.district_office': 'District office',
  'role.coordinator': 'Coordinator',
  'role.unit_officer': 'Unit officer',
  'role.leader': 'Leader',
  'role.police_liaison': 'Police liaison',
  'role.admin': 'Administrator',
  'workInformation.highlights': 'Highlights',
  'workInformation.risks_found': 'Risks found',
  'workInformation.typical_case': 'Typical case',
  'workInformation.problems': 'Problems',
  'workInformation.suggestions': 'Suggestions',
} as const;

export type MessageKey = keyof typeof en;

const SIGNATURE = '\n\n（本邮件由区防范和处置非法集资案件管理系统自动发送，请勿直接回复。）';

const zhCN: Record<MessageKey, string> = {
  // ── 通知 ─────────────────────────────────────────────────────────────────
  'reminder.subject': '【到期提醒】线索{clueRef}“{task}”将于{dueAt}到期',
  'reminder.body':
    '{unit}：\n\n线索{clueRef}的“{task}”事项办理时限为{dueAt}，请抓紧办理，按时在系统中反馈办理情况。' + SIGNATURE,
  'escalation.subject': '【督办】线索{clueRef}“{task}”已逾期{daysOverdue}天',
  'escalation.body':
    '{unit}：\n\n线索{clueRef}的“{task}”事项办理时限为{dueAt}，现已逾期{daysOverdue}天，已按督办规定提级至{level}督办。请立即办理，并书面说明逾期原因。' +
    SIGNATURE,
  'stageChanged.subject': '线索{clueRef}已进入“{stage}”阶段',
  'stageChanged.body': '线索{clueRef}已进入“{stage}”阶段，请相关单位按照职责分工做好后续工作。' + SIGNATURE,
  'referral.subject': '【线索移交】线索{clueRef}已移交{unit}',
  'referral.body':
    '{unit}：\n\n经区处非办研判，现将线索{clueRef}移交你单位，请依职责及时签收并开展处置，在规定时限内反馈处置情况。' +
    SIGNATURE,
  'referralReturned.subject': '【线索退回】线索{clueRef}已被{unit}退回',
  'referralReturned.body': '线索{clueRef}已被{unit}退回，请区处非办重新研判，明确承办单位。' + SIGNATURE,
  'campaignPhase.subject': '【专项行动】{campaign}进入{phase}阶段',
  'campaignPhase.body':
    '各镇（街道）、各有关部门：\n\n{campaign}现已进入{phase}阶段，本阶段截止时间为{endsAt}。请按照工作方案要求，扎实做好本阶段各项工作，并按时报送工作信息。' +
    SIGNATURE,
  'accountability.subject': '【问责提示】线索{clueRef}“{task}”经督办仍未办结',
  'accountability.body':
    '{unit}：\n\n线索{clueRef}的“{task}”事项经多次督办仍未办结，已按规定提请问责。请立即整改落实，并书面报告有关情况。' +
    SIGNATURE,
  'followUp.subject': '【回访提醒】线索{clueRef}请于{dueAt}前完成回访',
  'followUp.body':
    '{unit}：\n\n线索{clueRef}已办结，请于{dueAt}前开展回访，核实整改落实情况，防止问题反弹，并在系统中填报回访结果。' +
    SIGNATURE,

  // ── 线索阶段 ─────────────────────────────────────────────────────────────
  'stage.registered': '已登记',
  'stage.verifying': '核查中',
  'stage.classifying': '定性中',
  'stage.planning': '方案制定中',
  'stage.plan_review': '方案审核中',
  'stage.disposing': '处置中',
  'stage.referred': '已移交',
  'stage.monitoring': '持续监测',
  'stage.closure_review': '办结审核中',
  'stage.closed': '已办结',

  // ── 性质认定 ─────────────────────────────────────────────────────────────
  'nature.not_illegal': '不构成违法',
  'nature.irregular': '违规经营',
  'nature.suspected_illegal_fundraising': '涉嫌非法集资',
  'nature.suspected_crime': '涉嫌犯罪',

  // ── 处置方式 ─────────────────────────────────────────────────────────────
  'strategy.warning_interview': '警示约谈',
  'strategy.standardized_rectification': '规范整改',
  'strategy.administrative_penalty': '行政处罚',
  'strategy.criminal_referral': '移送公安机关',
  'strategy.online_cleanup': '网上信息清理',

  // ── 风险等级 ─────────────────────────────────────────────────────────────
  'grade.I': 'Ⅰ级（红色）',
  'grade.II': 'Ⅱ级（橙色）',
  'grade.III': 'Ⅲ级（黄色）',
  'grade.IV': 'Ⅳ级（蓝色）',

  // ── 任务类型 ─────────────────────────────────────────────────────────────
  'task.verification': '线索核查',
  'task.classification': '性质认定',
  'task.plan': '制定处置方案',
  'task.plan_review': '处置方案审核',
  'task.milestone': '处置节点',
  'task.referral_ack': '移交签收',
  'task.supplementary_evidence': '补充证据材料',
  'task.exchange': '信息互通',
  'task.follow_up': '回访',
  'task.closure_review': '办结审核',
  'task.implementation_plan': '实施方案',
  'task.work_information': '工作信息报送',
  'task.summary_report': '总结报告',

  // ── 督办层级 ─────────────────────────────────────────────────────────────
  'level.1': '单位负责人及区处非办',
  'level.2': '区领导',
  'level.3': '区领导小组',

  // ── 线索来源 ─────────────────────────────────────────────────────────────
  'sourceChannel.mass_report': '群众举报',
  'sourceChannel.media_exposure': '媒体曝光',
  'sourceChannel.big_data_monitoring': '大数据监测',
  'sourceChannel.suspicious_funds': '可疑资金监测',
  'sourceChannel.advertising_monitoring': '广告监测',
  'sourceChannel.industry_investigation': '行业排查',
  'sourceChannel.grid_inspection': '网格化排查',
  'sourceChannel.social_investigation': '社会面排查',
  'sourceChannel.online_monitoring': '网络监测',
  'sourceChannel.cross_region_exchange': '跨区域移交',
  'sourceChannel.other': '其他',

  // ── 重点领域 ─────────────────────────────────────────────────────────────
  'keyArea.private_investment_intermediary': '民间投融资中介',
  'keyArea.p2p_lending': '网络借贷',
  'keyArea.third_party_payment': '第三方支付',
  'keyArea.crowdfunding': '众筹',
  'keyArea.private_equity': '私募股权',
  'keyArea.e_commerce': '电子商务',
  'keyArea.wholesale_retail': '批发零售',
  'keyArea.real_estate': '房地产',
  'keyArea.agricultural_cooperative': '农民专业合作社',
  'keyArea.education': '教育',
  'keyArea.medical_care': '医疗',
  'keyArea.elderly_care': '养老服务',
  'keyArea.tourism': '旅游',
  'keyArea.other': '其他',

  // ── 重点行为 ─────────────────────────────────────────────────────────────
  'keyBehaviour.consumer_rebate': '消费返利',
  'keyBehaviour.mutual_aid': '网络互助',
  'keyBehaviour.joining_points': '加盟积分',
  'keyBehaviour.virtual_assets': '虚拟货币及虚拟资产',
  'keyBehaviour.livestock_custody': '养殖托管',
  'keyBehaviour.belt_and_road_guise': '假借“一带一路”名义',
  'keyBehaviour.sharing_economy_guise': '假借“共享经济”名义',
  'keyBehaviour.charity_guise': '假借慈善公益名义',
  'keyBehaviour.targets_elderly': '以老年人为主要对象',
  'keyBehaviour.targets_disabled': '以残疾人为主要对象',
  'keyBehaviour.targets_poor': '以困难群众为主要对象',
  'keyBehaviour.other': '其他',

  // ── 主体类型 ─────────────────────────────────────────────────────────────
  'subjectKind.enterprise': '企业',
  'subjectKind.individual_business': '个体工商户',
  'subjectKind.individual': '自然人',
  'subjectKind.organization': '社会组织',
  'subjectKind.online_platform': '网络平台',
  'subjectKind.other': '其他',

  // ── 舆情 / 维稳风险 ──────────────────────────────────────────────────────
  'publicOpinion.none': '无',
  'publicOpinion.local': '本地',
  'publicOpinion.regional': '区域性',
  'publicOpinion.national': '全国性',
  'stabilityRisk.low': '低',
  'stabilityRisk.medium': '中',
  'stabilityRisk.high': '高',
  'stabilityRisk.critical': '极高',

  // ── 单位、角色、工作信息 ─────────────────────────────────────────────────
  'unitKind.town': '镇（街道）',
  'unitKind.community': '社区（村）',
  'unitKind.department': '区直部门',
  'unitKind.district_office': '区处非办',
  'role.coordinator': '统筹协调员',
  'role.unit_officer': '单位联络员',
  'role.leader': '领导',
  'role.police_liaison': '公安联络员',
  'role.admin': '系统管理员',
  'workInformation.highlights': '工作亮点',
  'workInformation.risks_found': '风险发现',
  'workInformation.typical_case': '典型案例',
  'workInformation.problems': '存在问题',
  'workInformation.suggestions': '意见建议',
};

export const messages: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = {
  'zh-CN': zhCN,
  en,
};

export const DEFAULT_LOCALE: Locale = 'zh-CN';

/**
 * Translate `key` into `locale`, replacing `{name}` with `params.name`.
 * Placeholders without a matching param are left as written, so a missing
 * param is visible rather than silently dropped. Unknown locales fall back to
 * zh-CN; unknown keys (only possible from untyped callers) return the key.
 */
export function t(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const catalogue = messages[locale] ?? messages[DEFAULT_LOCALE];
  const template = catalogue[key] ?? key;
  if (!params) return template;
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** The `{name}` placeholders used by a template, in order of first appearance. */
export function placeholders(template: string): string[] {
  const seen: string[] = [];
  for (const m of template.matchAll(/\{([A-Za-z0-9_]+)\}/g)) {
    const name = m[1];
    if (name !== undefined && !seen.includes(name)) seen.push(name);
  }
  return seen;
}

/** Enumerations that have a label in the catalogue, keyed by key prefix. */
export const LABEL_KINDS = {
  stage: CLUE_STAGES,
  nature: NATURES,
  strategy: STRATEGIES,
  grade: GRADES,
  sourceChannel: SOURCE_CHANNELS,
  keyArea: KEY_AREAS,
  keyBehaviour: KEY_BEHAVIOURS,
  subjectKind: SUBJECT_KINDS,
  publicOpinion: PUBLIC_OPINION_LEVELS,
  stabilityRisk: STABILITY_RISK_LEVELS,
  unitKind: UNIT_KINDS,
  role: ROLES,
  workInformation: WORK_INFORMATION_TYPES,
} as const;
export type LabelKind = keyof typeof LABEL_KINDS;
export type LabelValue<K extends LabelKind> = (typeof LABEL_KINDS)[K][number];

// Compile-time guarantee that every enum value has a label key.
type MissingLabelKeys = {
  [K in LabelKind]: Exclude<`${K}.${LabelValue<K>}`, MessageKey>;
}[LabelKind];
const _allLabelsPresent: [MissingLabelKeys] extends [never] ? true : MissingLabelKeys = true;
void _allLabelsPresent;

/** Label for an enum value, e.g. `label('zh-CN', 'stage', 'verifying')` → '核查中'. */
export function label<K extends LabelKind>(locale: Locale, kind: K, value: LabelValue<K>): string {
  return t(locale, `${kind}.${value}` as MessageKey);
}
