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
  'referralReturned.subject':
    '[Referral returned] Clue {clueRef} was returned by {unit} for supplementary evidence',
  'referralReturned.body':
    'Clue {clueRef} has been returned by {unit} for supplementary evidence. Reason: {reason}\n\nThe clue goes back to the lead unit, which should gather the supplementary evidence within the time limit and then refer it again.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'extensionRequested.subject':
    '[Extension request] Clue {clueRef}: "{task}" asks for a new due time of {newDueAt}',
  'extensionRequested.body':
    'To the District Office:\n\n{unit} requests that the time limit of the task "{task}" for clue {clueRef} be extended to {newDueAt}. Reason: {reason}\n\nPlease approve or reject the request in the system.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'informationExchanged.subject': '[Information exchange] Clue {clueRef}: {unit} has shared its information',
  'informationExchanged.body':
    'To the lead unit:\n\n{unit}, a co-handling unit of clue {clueRef}, has filed its information exchange:\n\n{summary}\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'campaignPhase.subject': '[Campaign] {campaign} has entered the {phase} phase',
  'campaignPhase.body':
    'To all towns, sub-districts and departments concerned:\n\n{campaign} has entered the {phase} phase, which ends {endsAt}. Please carry out the work of this phase as set out in the work plan and submit work information on time.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  // ── campaign (issue 4): phase labels and unit notifications ─────────────────
  'campaignPhase.scheduled': 'Not started',
  'campaignPhase.mobilization': 'Mobilization and deployment',
  'campaignPhase.implementation': 'Implementation',
  'campaignPhase.summary': 'Summary report',
  'campaignPhase.concluded': 'Concluded',
  'campaignPhase.closed': 'Closed',
  'campaignPhase.cancelled': 'Cancelled',
  'campaignReminder.subject': '[Reminder] {campaign}: "{task}" of {unit} is due {dueAt}',
  'campaignReminder.body':
    'To {unit}:\n\nIn {campaign}, your unit\'s "{task}" is due {dueAt} ({filed} of {required} filed so far). Please file it in the system on time.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'campaignConcluded.subject': '[Campaign] {campaign} has ended',
  'campaignConcluded.body':
    'To all towns, sub-districts and departments concerned:\n\n{campaign} ended {endedAt}. Deliverables not yet filed are overdue and are being escalated under the supervision rules; please file them in the system without delay.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'campaignCancelled.subject': '[Campaign] {campaign} has been cancelled',
  'campaignCancelled.body':
    'To all towns, sub-districts and departments concerned:\n\nThe District Office has cancelled {campaign}. Reason: {reason}. Outstanding deliverables no longer need to be filed.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'campaignJoined.subject': '[Campaign] {unit} has been added to {campaign}',
  'campaignJoined.body':
    'To {unit}:\n\nYour unit has been added to {campaign}. Please file the implementation plan by {planDueAt}, at least {required} pieces of work information by {informationDueAt}, and the summary report by {reportDueAt}.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'campaignLeft.subject': '[Campaign] {unit} no longer takes part in {campaign}',
  'campaignLeft.body':
    'To {unit}:\n\nYour unit no longer takes part in {campaign}. Reason: {reason}. Outstanding deliverables no longer need to be filed.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'campaignEscalation.subject': '[Escalation] {campaign}: "{task}" of {unit} is {daysOverdue} day(s) overdue',
  'campaignEscalation.body':
    'To {unit}:\n\nThe campaign deliverable "{task}" ({campaign}) was due {dueAt} and is now {daysOverdue} day(s) overdue. Under the supervision rules it has been escalated to: {level}. Please file it immediately and explain the reason for the delay.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'campaignAccountability.subject':
    '[Accountability] {campaign}: "{task}" of {unit} remains outstanding after escalation',
  'campaignAccountability.body':
    'To {unit}:\n\nThe campaign deliverable "{task}" ({campaign}) is still outstanding despite repeated escalation and has been submitted for accountability review under the rules (notice VI.1). Please file it immediately and explain the situation in writing.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
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

  // ── notifications: duplicates and the weekly digest (issue 6) ─────────────
  'duplicateLinked.subject':
    '[Possible duplicate] New clue {clueRef} concerns the same subject as clue {originalRef}',
  'duplicateLinked.body':
    'To {unit}:\n\nThe newly registered clue {clueRef} (subject: {subject}) concerns the same subject as clue {originalRef}, which your unit leads, and has been linked to it automatically. Please take it into account in verification and disposal.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',
  'digest.subject': '[Weekly digest] {week}: {newKeyClues} new key clue(s), {overdueTotal} overdue item(s)',
  'digest.body':
    'Dear leaders,\n\nThe illegal fund-raising work digest for week {week}:\n1. New key risk clues: {newKeyClues} ({newKeyClueRefs}).\n2. Overdue items under escalation: {overdueTotal} — unit head and district office: {overdueL1}; district leadership: {overdueL2}; district leading group: {overdueL3}.\n3. Units with the lowest on-time rate: {worstUnits}.\n4. Referrals awaiting acknowledgement by public security: {referralsAwaiting} ({referralRefs}).\n\nPlease open the leadership dashboard for details and instructions.\n\nThis message was sent automatically by the district illegal fund-raising case-management system. Please do not reply.',

  // ── ledger exports (notice IV.3) ─────────────────────────────────────────
  'ledger.title.risks': 'Total risk list of illegal fund-raising clues',
  'ledger.title.keyClues': 'Key risk clue management account',
  'ledger.sheet': 'Ledger',
  'ledger.filters': 'Filters: {filters}',
  'ledger.filters.none': 'none (all clues)',
  'ledger.scope': 'Scope: {scope}',
  'ledger.scope.all': 'the whole district',
  'ledger.scope.unit': 'clues led or co-handled by {unit}',
  'ledger.scope.police': 'clues referred to {unit}',
  'ledger.exported': 'Exported {at} by {by}',
  'ledger.totals': 'Total',
  'ledger.totalsLine': '{count} clue(s); amount involved {amount} CNY; {participants} participant(s)',
  'ledger.yes': 'Yes',
  'ledger.no': 'No',
  'ledger.online': 'Online',
  'ledger.offline': 'Offline',
  'ledger.notOverdue': 'Not overdue',
  'ledger.col.seq': 'No.',
  'ledger.col.ref': 'Clue reference',
  'ledger.col.registeredAt': 'Registered',
  'ledger.col.sourceChannel': 'Source channel',
  'ledger.col.subjectName': 'Subject',
  'ledger.col.subjectKind': 'Subject kind',
  'ledger.col.creditCode': 'Unified social credit code',
  'ledger.col.registrationPlace': 'Place of registration',
  'ledger.col.operatingPlace': 'Place of operation',
  'ledger.col.frequentChanges': 'Frequent changes of address or executives',
  'ledger.col.keyArea': 'Key area',
  'ledger.col.keyBehaviours': 'Key behaviours',
  'ledger.col.online': 'Online / offline',
  'ledger.col.amountCny': 'Amount involved (CNY)',
  'ledger.col.participants': 'Participants',
  'ledger.col.publicOpinion': 'Public opinion',
  'ledger.col.stabilityRisk': 'Stability risk',
  'ledger.col.riskScore': 'Risk score',
  'ledger.col.grade': 'Risk grade',
  'ledger.col.keyClue': 'Key clue',
  'ledger.col.leadUnit': 'Lead unit',
  'ledger.col.coHandlingUnits': 'Co-handling units',
  'ledger.col.stage': 'Stage',
  'ledger.col.nature': 'Nature',
  'ledger.col.overdueLevel': 'Escalation level',
  'ledger.col.nextDueAt': 'Next due',
  'ledger.col.duplicateOf': 'Possible duplicate of',
  'ledger.col.description': 'Summary of the clue',
  'ledger.filter.unit': 'Unit',
  'ledger.filter.overdue': 'Overdue',
  'ledger.filter.from': 'Registered from',
  'ledger.filter.to': 'Registered until',
  'ledger.filter.q': 'Keyword',

  // ── district summary report (notice VI.4) ────────────────────────────────
  'report.title': 'Summary report on {campaign}',
  'report.issuer': 'District Office for the Prevention and Disposal of Illegal Fund-raising, {date}',
  'report.section.overall': '1. Overall situation',
  'report.section.regional': '2. Regional distribution',
  'report.section.causes': '3. Causes',
  'report.section.outlook': '4. Difficulties and risk outlook',
  'report.section.cases': '5. Typical cases',
  'report.section.nextSteps': '6. Next-step measures',
  'report.overall.stats':
    'The district risk ledger holds {total} illegal fund-raising risk clue(s), {inPeriod} of them registered during the campaign, involving {amount} CNY and {participants} participant(s); {keyClues} are key risk clues (grade I: {gradeI}, grade II: {gradeII}). {closed} clue(s) have been closed and {referred} referred to public security. The on-time rate of all deadlines is {onTimeRate}.',
  'report.overall.units':
    '{submitted} unit(s) filed their summary report; {missing} unit(s) have not filed one yet.',
  'report.regional.intro': 'Clues by lead unit (region):',
  'report.causes.stats':
    'By key area the clues concentrate in: {areas}. By behaviour they mainly show: {behaviours}.',
  'report.outlook.stats':
    '{openKey} key clue(s) are still being handled; {overdue} overdue item(s) are under escalation, {overdueHigh} of them at district leadership level or above.',
  'report.freeUnits': 'Towns and communities currently free of open key clues: {units}.',
  'report.case.title': 'Case {n}: {subject} ({ref})',
  'report.case.facts':
    'Reported by {unit}. Amount involved {amount} CNY, {participants} participant(s), {grade}, stage: {stage}.',
  'report.noCases': 'No typical cases were reported by the units.',
  'report.none': 'none',
  'report.fromUnit': 'Reported by {unit}: {text}',
  'report.generated': 'Generated {at}',
  'report.col.unit': 'Unit',
  'report.col.clues': 'Clues',
  'report.col.keyClues': 'Key clues',
  'report.col.amount': 'Amount (CNY)',
  'report.col.participants': 'Participants',
  'report.col.openKey': 'Open key clues',
  'report.col.onTime': 'On-time rate',
  'report.noData': 'No data yet',

  // ── leadership dashboard ─────────────────────────────────────────────────
  'dashboard.title': 'Leadership dashboard — illegal fund-raising disposal',
  'dashboard.signIn': 'Sign in',
  'dashboard.signOut': 'Sign out',
  'dashboard.token': 'Access token',
  'dashboard.signedInAs': 'Signed in as {name} ({role})',
  'dashboard.badToken': 'The token is invalid, expired or revoked.',
  'dashboard.wrongRole': 'This page is for district leaders and the District Office.',
  'dashboard.loading': 'Loading…',
  'dashboard.error': 'Could not load: {message}',
  'dashboard.refresh': 'Refresh',
  'dashboard.escalations': 'Open overdue escalations',
  'dashboard.noEscalations': 'No open overdue escalations.',
  'dashboard.col.level': 'Level',
  'dashboard.col.clue': 'Clue',
  'dashboard.col.task': 'Task',
  'dashboard.col.unit': 'Responsible unit',
  'dashboard.col.dueAt': 'Due',
  'dashboard.col.daysOverdue': 'Days overdue',
  'dashboard.col.instruction': 'Instruction',
  'dashboard.instructionPlaceholder': 'Write your instruction',
  'dashboard.acknowledge': 'Acknowledge',
  'dashboard.acknowledged': 'Acknowledged: {ref}',
  'dashboard.instructionRequired': 'Please write an instruction first.',
  'dashboard.onTime': 'On-time rate by unit',
  'dashboard.onTimeDetail': '{onTime} of {done} on time',
  'dashboard.noOnTime': 'No completed deadlines yet.',
  'dashboard.statistics': 'Ledger statistics',
  'dashboard.totals':
    '{total} clue(s), {keyClues} key clue(s), {open} open; amount involved {amount} CNY; {participants} participant(s)',
  'dashboard.byGrade': 'By risk grade',
  'dashboard.byKeyArea': 'By key area',
  'dashboard.byBehaviour': 'By key behaviour',
  'dashboard.byUnit': 'By unit (region)',
  'dashboard.byStage': 'By stage',
  'dashboard.bySource': 'By source channel',
  'dashboard.escalationsByLevel': 'Escalations by level (open / all)',
  'dashboard.freeUnits': 'Towns and communities free of open key clues',
  'dashboard.noFreeUnits': 'None yet.',
  'dashboard.accountability': 'Accountability records',
  'dashboard.noAccountability': 'No accountability records.',
  'dashboard.campaign': 'Campaign progress',
  'dashboard.noCampaign': 'No campaign.',
  'dashboard.downloads': 'Downloads',
  'dashboard.exportRisks': 'Total risk list (Excel)',
  'dashboard.exportKeyClues': 'Key clue account (Excel)',
  'dashboard.summaryReport': 'District summary report (Word)',
  'dashboard.campaignPhase': 'Current phase: {phase}',
  'dashboard.filed': 'Filed',
  'dashboard.notFiled': 'Not filed',
  'dashboard.late': 'late',
} as const;

export type MessageKey = keyof typeof en;

const SIGNATURE = '\n\n（本邮件由区防范和处置非法集资案件管理系统自动发送，请勿直接回复。）';

const zhCN: Record<MessageKey, string> = {
  // ── 通知 ─────────────────────────────────────────────────────────────────
  'reminder.subject': '【到期提醒】线索{clueRef}“{task}”将于{dueAt}到期',
  'reminder.body':
    '{unit}：\n\n线索{clueRef}的“{task}”事项办理时限为{dueAt}，请抓紧办理，按时在系统中反馈办理情况。' +
    SIGNATURE,
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
  'referralReturned.subject': '【线索退回】线索{clueRef}已被{unit}退回补充证据',
  'referralReturned.body':
    '线索{clueRef}已被{unit}退回补充证据，退回理由：{reason}。\n\n该线索已退回牵头单位，请在规定时限内补充证据材料后重新移交。' +
    SIGNATURE,
  'extensionRequested.subject': '【延期申请】线索{clueRef}“{task}”申请延期至{newDueAt}',
  'extensionRequested.body':
    '区处非办：\n\n{unit}申请将线索{clueRef}的“{task}”事项办理时限延长至{newDueAt}，申请理由：{reason}。请及时在系统中审批。' +
    SIGNATURE,
  'informationExchanged.subject': '【信息互通】线索{clueRef}：{unit}已报送信息',
  'informationExchanged.body':
    '牵头单位：\n\n线索{clueRef}的协办单位{unit}已报送信息互通情况：\n\n{summary}' + SIGNATURE,
  'campaignPhase.subject': '【专项行动】{campaign}进入{phase}阶段',
  'campaignPhase.body':
    '各镇（街道）、各有关部门：\n\n{campaign}现已进入{phase}阶段，本阶段截止时间为{endsAt}。请按照工作方案要求，扎实做好本阶段各项工作，并按时报送工作信息。' +
    SIGNATURE,
  // ── 专项行动（issue 4）：阶段名称与单位通知 ─────────────────────────────────
  'campaignPhase.scheduled': '未开始',
  'campaignPhase.mobilization': '动员部署',
  'campaignPhase.implementation': '组织实施',
  'campaignPhase.summary': '总结报告',
  'campaignPhase.concluded': '已结束',
  'campaignPhase.closed': '已关闭',
  'campaignPhase.cancelled': '已取消',
  'campaignReminder.subject': '【到期提醒】{campaign}：{unit}“{task}”将于{dueAt}到期',
  'campaignReminder.body':
    '{unit}：\n\n{campaign}中你单位的“{task}”报送时限为{dueAt}（应报{required}份，已报{filed}份），请按时在系统中报送。' +
    SIGNATURE,
  'campaignConcluded.subject': '【专项行动】{campaign}已结束',
  'campaignConcluded.body':
    '各镇（街道）、各有关部门：\n\n{campaign}已于{endedAt}结束。尚未报送的材料已逾期，正按督办规定提级督办，请立即在系统中补报。' +
    SIGNATURE,
  'campaignCancelled.subject': '【专项行动】{campaign}已取消',
  'campaignCancelled.body':
    '各镇（街道）、各有关部门：\n\n区处非办已取消{campaign}。原因：{reason}。尚未报送的材料无需再报送。' +
    SIGNATURE,
  'campaignJoined.subject': '【专项行动】{unit}已纳入{campaign}',
  'campaignJoined.body':
    '{unit}：\n\n你单位已纳入{campaign}，请于{planDueAt}前报送实施方案，于{informationDueAt}前报送不少于{required}条工作信息，于{reportDueAt}前报送总结报告。' +
    SIGNATURE,
  'campaignLeft.subject': '【专项行动】{unit}已退出{campaign}',
  'campaignLeft.body':
    '{unit}：\n\n你单位已不再参加{campaign}。原因：{reason}。尚未报送的材料无需再报送。' + SIGNATURE,
  'campaignEscalation.subject': '【督办】{campaign}：{unit}“{task}”已逾期{daysOverdue}天',
  'campaignEscalation.body':
    '{unit}：\n\n{campaign}中“{task}”的报送时限为{dueAt}，现已逾期{daysOverdue}天，已按督办规定提级至{level}督办。请立即报送，并书面说明逾期原因。' +
    SIGNATURE,
  'campaignAccountability.subject': '【问责提示】{campaign}：{unit}“{task}”经督办仍未报送',
  'campaignAccountability.body':
    '{unit}：\n\n{campaign}中“{task}”经多次督办仍未报送，已按规定提请问责。请立即报送，并书面报告有关情况。' +
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

  // ── 通知：疑似重复线索、每周简报 ─────────────────────────────────────────
  'duplicateLinked.subject': '【疑似重复线索】新登记线索{clueRef}与线索{originalRef}涉及同一主体',
  'duplicateLinked.body':
    '{unit}：\n\n新登记的线索{clueRef}（涉事主体：{subject}）与你单位牵头办理的线索{originalRef}涉及同一主体，系统已自动关联。请在核查处置工作中一并研判。' +
    SIGNATURE,
  'digest.subject': '【每周督办简报】{week}：新增重点线索{newKeyClues}条，逾期事项{overdueTotal}项',
  'digest.body':
    '各位领导：\n\n本周（{week}）防范和处置非法集资工作简报如下：\n一、新增重点风险线索{newKeyClues}条（{newKeyClueRefs}）。\n二、逾期督办事项{overdueTotal}项，其中单位负责人及区处非办督办{overdueL1}项，区领导督办{overdueL2}项，区领导小组督办{overdueL3}项。\n三、按时完成率较低的单位：{worstUnits}。\n四、待公安机关签收的移交线索{referralsAwaiting}条（{referralRefs}）。\n\n详情请登录领导督办页面查看并作出批示。' +
    SIGNATURE,

  // ── 台账导出（通知第四部分第三项）─────────────────────────────────────────
  'ledger.title.risks': '非法集资风险总台账',
  'ledger.title.keyClues': '重点风险线索管理台账',
  'ledger.sheet': '台账',
  'ledger.filters': '筛选条件：{filters}',
  'ledger.filters.none': '无（全部线索）',
  'ledger.scope': '数据范围：{scope}',
  'ledger.scope.all': '全区',
  'ledger.scope.unit': '{unit}牵头或协办的线索',
  'ledger.scope.police': '移交{unit}的线索',
  'ledger.exported': '导出时间：{at}　导出人：{by}',
  'ledger.totals': '合计',
  'ledger.totalsLine': '共{count}条线索，涉及金额{amount}元，涉及人数{participants}人',
  'ledger.yes': '是',
  'ledger.no': '否',
  'ledger.online': '线上',
  'ledger.offline': '线下',
  'ledger.notOverdue': '未逾期',
  'ledger.col.seq': '序号',
  'ledger.col.ref': '线索编号',
  'ledger.col.registeredAt': '登记时间',
  'ledger.col.sourceChannel': '线索来源',
  'ledger.col.subjectName': '涉事主体',
  'ledger.col.subjectKind': '主体类型',
  'ledger.col.creditCode': '统一社会信用代码',
  'ledger.col.registrationPlace': '注册地',
  'ledger.col.operatingPlace': '经营地',
  'ledger.col.frequentChanges': '频繁变更地址或高管',
  'ledger.col.keyArea': '重点领域',
  'ledger.col.keyBehaviours': '重点行为',
  'ledger.col.online': '线上/线下',
  'ledger.col.amountCny': '涉及金额（元）',
  'ledger.col.participants': '涉及人数',
  'ledger.col.publicOpinion': '舆情等级',
  'ledger.col.stabilityRisk': '维稳风险',
  'ledger.col.riskScore': '风险评分',
  'ledger.col.grade': '风险等级',
  'ledger.col.keyClue': '重点线索',
  'ledger.col.leadUnit': '牵头单位',
  'ledger.col.coHandlingUnits': '协办单位',
  'ledger.col.stage': '办理阶段',
  'ledger.col.nature': '性质认定',
  'ledger.col.overdueLevel': '督办级别',
  'ledger.col.nextDueAt': '最近到期时间',
  'ledger.col.duplicateOf': '疑似重复（关联线索）',
  'ledger.col.description': '线索摘要',
  'ledger.filter.unit': '单位',
  'ledger.filter.overdue': '是否逾期',
  'ledger.filter.from': '登记时间起',
  'ledger.filter.to': '登记时间止',
  'ledger.filter.q': '关键词',

  // ── 区级总结报告（通知第六部分第四项）────────────────────────────────────
  'report.title': '关于{campaign}的总结报告',
  'report.issuer': '区防范和处置非法集资工作领导小组办公室　{date}',
  'report.section.overall': '一、总体情况',
  'report.section.regional': '二、区域分布',
  'report.section.causes': '三、成因分析',
  'report.section.outlook': '四、困难问题及风险研判',
  'report.section.cases': '五、典型案例',
  'report.section.nextSteps': '六、下一步工作措施',
  'report.overall.stats':
    '全区非法集资风险台账共有线索{total}条，其中专项行动期间新登记{inPeriod}条，涉及金额{amount}元，涉及人数{participants}人；重点风险线索{keyClues}条（Ⅰ级{gradeI}条，Ⅱ级{gradeII}条）。已办结{closed}条，移送公安机关{referred}条。各项办理时限按时完成率为{onTimeRate}。',
  'report.overall.units': '已有{submitted}个单位报送总结报告，{missing}个单位尚未报送。',
  'report.regional.intro': '按牵头单位（区域）统计的线索分布如下：',
  'report.causes.stats': '从重点领域看，线索主要集中在{areas}；从行为特征看，主要表现为{behaviours}。',
  'report.outlook.stats':
    '目前仍有在办重点线索{openKey}条，逾期督办事项{overdue}项，其中提级至区领导及以上督办{overdueHigh}项。',
  'report.freeUnits': '目前无在办重点线索的镇（街道）、社区：{units}。',
  'report.case.title': '案例{n}：{subject}（{ref}）',
  'report.case.facts':
    '{unit}报送。涉及金额{amount}元，涉及人数{participants}人，{grade}，当前阶段：{stage}。',
  'report.noCases': '各单位未报送典型案例。',
  'report.none': '无',
  'report.fromUnit': '{unit}报送：{text}',
  'report.generated': '生成时间：{at}',
  'report.col.unit': '单位',
  'report.col.clues': '线索数',
  'report.col.keyClues': '重点线索',
  'report.col.amount': '涉及金额（元）',
  'report.col.participants': '涉及人数',
  'report.col.openKey': '在办重点线索',
  'report.col.onTime': '按时完成率',
  'report.noData': '暂无数据',

  // ── 领导督办页面 ─────────────────────────────────────────────────────────
  'dashboard.title': '领导督办页面——防范和处置非法集资',
  'dashboard.signIn': '登录',
  'dashboard.signOut': '退出',
  'dashboard.token': '访问令牌',
  'dashboard.signedInAs': '当前用户：{name}（{role}）',
  'dashboard.badToken': '令牌无效、已过期或已被吊销。',
  'dashboard.wrongRole': '本页面供区领导和区处非办使用。',
  'dashboard.loading': '加载中…',
  'dashboard.error': '加载失败：{message}',
  'dashboard.refresh': '刷新',
  'dashboard.escalations': '逾期督办事项',
  'dashboard.noEscalations': '暂无逾期督办事项。',
  'dashboard.col.level': '督办级别',
  'dashboard.col.clue': '线索',
  'dashboard.col.task': '事项',
  'dashboard.col.unit': '责任单位',
  'dashboard.col.dueAt': '办理时限',
  'dashboard.col.daysOverdue': '逾期天数',
  'dashboard.col.instruction': '批示',
  'dashboard.instructionPlaceholder': '请输入批示意见',
  'dashboard.acknowledge': '阅示',
  'dashboard.acknowledged': '已阅示：{ref}',
  'dashboard.instructionRequired': '请先填写批示意见。',
  'dashboard.onTime': '各单位按时完成率',
  'dashboard.onTimeDetail': '按时{onTime}项／办结{done}项',
  'dashboard.noOnTime': '暂无已办结的时限事项。',
  'dashboard.statistics': '台账统计',
  'dashboard.totals':
    '线索{total}条，重点线索{keyClues}条，在办{open}条；涉及金额{amount}元，涉及人数{participants}人',
  'dashboard.byGrade': '按风险等级',
  'dashboard.byKeyArea': '按重点领域',
  'dashboard.byBehaviour': '按重点行为',
  'dashboard.byUnit': '按单位（区域）',
  'dashboard.byStage': '按办理阶段',
  'dashboard.bySource': '按线索来源',
  'dashboard.escalationsByLevel': '督办层级分布（在办／累计）',
  'dashboard.freeUnits': '无在办重点线索的镇（街道）、社区',
  'dashboard.noFreeUnits': '暂无。',
  'dashboard.accountability': '问责记录',
  'dashboard.noAccountability': '暂无问责记录。',
  'dashboard.campaign': '专项行动进度',
  'dashboard.noCampaign': '暂无专项行动。',
  'dashboard.downloads': '下载',
  'dashboard.exportRisks': '风险总台账（Excel）',
  'dashboard.exportKeyClues': '重点线索台账（Excel）',
  'dashboard.summaryReport': '区级总结报告（Word）',
  'dashboard.campaignPhase': '当前阶段：{phase}',
  'dashboard.filed': '已报送',
  'dashboard.notFiled': '未报送',
  'dashboard.late': '逾期',
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
