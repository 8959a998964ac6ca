/**
 * The words of the district summary and the per-unit report, in ICU MessageFormat, kept in one place
 * until they move into the `report` namespace of the shared catalogue (src/i18n, JSON per locale).
 * Keys carry the namespace prefix already. Counts are passed as numbers (English plurals); in Chinese
 * they are written as plain digits (no thousands separators in running text).
 */
import { IntlMessageFormat } from 'intl-messageformat';
import type { Locale } from '../domain/enums';

const zh = {
  'report.district.title': '关于{campaign}的总结报告',
  'report.unit.title': '{unit}{campaign}工作情况报告',
  'report.issuer': '区处置非法集资工作领导小组办公室',
  'report.none': '无',
  'report.count': '{label}{n}条',
  'report.unitCount': '{unit}（{n}条）',

  'report.district.intro':
    '按照{campaign}工作部署，各镇（街道）、社区和有关部门对本区域、本行业非法集资风险开展了集中排查处置。现将{from}至{to}期间工作情况报告如下。',
  'report.h.overall': '总体情况',
  'report.h.clues': '线索排查情况',
  'report.overall.clues':
    '专项排查期间全区新登记非法集资风险线索{clues}条，涉及金额{amount}，参与群众{participants}人。其中重点风险线索{keyClues}条；按风险等级分，Ⅰ级{gI}条、Ⅱ级{gII}条、Ⅲ级{gIII}条、Ⅳ级{gIV}条。目前已办结{closed}条，移送公安机关{referred}条，仍在办理{open}条。',
  'report.overall.empty': '专项排查期间全区未新登记非法集资风险线索。',
  'report.h.breakdown': '分类统计',
  'report.h.byArea': '按重点领域',
  'report.h.byBehaviour': '按行为特征',
  'report.h.byGrade': '按风险等级',
  'report.byArea.text': '线索主要集中在{list}。',
  'report.byBehaviour.text': '行为特征以{list}为主（一条线索可有多种特征）。',
  'report.byGrade.text': '{list}。',

  'report.h.measures': '处置措施',
  'report.h.plans': '“一事一策”处置方案',
  'report.plans.text':
    '对排查发现的线索，各牵头单位逐条制定“一事一策”处置方案。截至{date}，{approved}条线索的处置方案经区处置非法集资工作领导小组办公室审核同意，{pending}条正在审核，{none}条尚未形成经审核同意的方案。按经审核同意的方案统计（一条线索可采取多种处置方式）：{list}。',
  'report.h.effect': '综合处置成效',
  'report.measure.warning_interview': '对{n}条线索涉及的主体开展警示约谈',
  'report.measure.standardized_rectification': '督促{n}条线索涉及的主体规范整改',
  'report.measure.administrative_penalty': '对{n}条线索涉及的主体依法实施行政处罚',
  'report.measure.online_cleanup': '清理{n}条线索涉及的网上违规信息',
  'report.measure.criminal_referral': '对{n}条涉嫌犯罪的线索移送公安机关',
  'report.effect.measures': '各单位综合运用多种手段开展处置：{list}。',
  'report.effect.noMeasures': '经审核同意的处置方案尚未形成，处置工作有待推进。',
  'report.effect.referrals':
    '已移送公安机关的{referred}条线索中，公安机关已受理{accepted}条，退回补充证据{returned}条，待确认{awaiting}条。',
  'report.effect.monitoring': '{monitoring}条线索已处置完毕进入回访监测，{closed}条线索已办结。',
  'report.h.deadlines': '办理时限',
  'report.onTime.text':
    '纳入统计的办理时限共{total}项（线索办理各环节和各单位专项行动报送事项），其中按时完成{onTime}项，逾期完成{lateDone}项，逾期未完成{openOverdue}项（逾期未完成的计为未按时），按时完成率为{rate}（{onTime}÷{total}）。另有{openNotDue}项尚在办理时限内，不计入。',
  'report.onTime.empty':
    '纳入统计的办理时限尚无已到期事项，暂不计算按时完成率。另有{openNotDue}项尚在办理时限内。',
  'report.onTime.escalated':
    '逾期事项中已有{escalated}项按规定升级督办，其中升级至区领导及以上{high}项；{accountability}。',
  'report.onTime.accountability': '{units}被记录问责',
  'report.onTime.noAccountability': '尚无单位被记录问责',

  'report.h.deliverables': '各单位工作落实情况',
  'report.deliv.intro': '本次专项排查共有{units}个单位参与，报送情况如下表。',
  'report.h.implPlan': '实施方案报备',
  'report.deliv.plan':
    '{onTime}个单位按时报备实施方案，{late}个单位逾期报备，{missing}个单位逾期未报备，{pending}个单位尚未到报备时限。',
  'report.deliv.plan.missing': '逾期未报备实施方案的单位：{units}。',
  'report.deliv.plan.late': '逾期报备实施方案的单位：{units}。',
  'report.h.info': '工作信息报送',
  'report.deliv.info':
    '按照每个单位报送工作信息不少于{required}篇的要求，{complete}个单位已报足，全区共报送工作信息{total}篇。',
  'report.deliv.info.missing': '逾期未报足工作信息的单位：{units}。',
  'report.deliv.info.short': '尚未报足、报送时限未到的单位：{units}。',
  'report.deliv.info.item': '{unit}（已报{filed}篇）',
  'report.h.summaryReport': '总结报告报送',
  'report.deliv.report':
    '{onTime}个单位按时报送总结报告，{late}个单位逾期报送，{missing}个单位逾期未报送，{pending}个单位尚未到报送时限。',
  'report.deliv.report.missing': '逾期未报送总结报告的单位：{units}。',
  'report.deliv.report.late': '逾期报送总结报告的单位：{units}。',
  'report.deliv.withdrawn': '{units}已退出本次专项排查，不计入以上统计。',
  'report.state.on_time': '按时',
  'report.state.late': '逾期报送',
  'report.state.missing': '逾期未报',
  'report.state.pending': '未到期',
  'report.state.cancelled': '已退出',
  'report.state.info': '{filed}/{required}',

  'report.h.regional': '区域分布',
  'report.regional.text': '从区域分布看，线索主要集中在{list}，合计{n}条，占全部线索的{share}。',
  'report.regional.free': '目前{units}无在办重点风险线索。',
  'report.h.causes': '成因分析',
  'report.causes.areas': '从重点领域看，风险主要集中在{areas}；从行为特征看，主要表现为{behaviours}。',
  'report.causes.online': '{online}条线索借助网络传播，占{share}，网络已成为非法集资扩散的重要渠道。',
  'report.causes.vulnerable':
    '{vulnerable}条线索以老年人、残疾人、困难群众等群体为主要对象，涉及群众{participants}人，弱势群体风险防范意识仍然薄弱。',
  'report.h.outlook': '困难问题及风险研判',
  'report.outlook.overdue': '部分事项办理不够及时，{n}项办理时限逾期未完成，主要涉及{units}。',
  'report.outlook.returned': '移送公安机关的线索中有{n}条被退回补充证据，线索核查取证质量有待提高。',
  'report.outlook.pending': '{n}条线索尚未形成经审核同意的处置方案，处置进度有待加快。',
  'report.outlook.deliverables': '{n}个单位未按时报送专项排查有关材料，工作落实不够到位。',
  'report.outlook.smooth': '专项排查各项工作总体按计划推进。',
  'report.outlook.risk':
    '当前全区仍有在办重点风险线索{n}条，涉及金额{amount}，参与群众{participants}人，主要分布在{units}；其中Ⅰ级线索{gI}条，兑付风险和涉稳风险需重点防范。',
  'report.outlook.calm': '当前全区无在办重点风险线索，风险总体可控。',

  'report.h.cases': '典型案例',
  'report.case.title': '{title}（{ref}）',
  'report.case.facts':
    '牵头单位：{unit}；涉及金额{amount}，参与群众{participants}人；风险等级{grade}；当前阶段：{stage}。',
  'report.noCases': '各单位未报送典型案例。',

  'report.h.nextSteps': '下一步工作措施',
  'report.next.overdue.h': '抓好逾期事项整改。',
  'report.next.overdue':
    '对逾期未完成的{n}项办理时限逐项挂牌督办，{units}要限期办结，逾期仍未办结的依规启动问责。',
  'report.next.plans.h': '加快“一事一策”处置。',
  'report.next.plans': '对{n}条尚未形成经审核同意处置方案的线索，牵头单位要尽快完成核查、定性和方案报审。',
  'report.next.key.h': '紧盯重点风险线索。',
  'report.next.key': '对在办的{n}条重点风险线索逐条落实化解责任，稳妥做好资金清退和维稳工作。',
  'report.next.areas.h': '加强重点领域监测预警。',
  'report.next.areas':
    '围绕{areas}等线索集中的领域，会同行业主管部门开展常态化监测，加强对老年人等群体的宣传教育。',
  'report.next.lasting.h': '建立长效机制。',
  'report.next.lasting': '对已处置线索按期回访，防止风险反弹；总结推广各单位好的做法，巩固专项排查成果。',

  'report.annexNote': '附件：各单位总结报告',
  'report.annex.label': '附件',
  'report.annex.title': '各单位总结报告',
  'report.annex.filed': '（{date}报送{late}）',
  'report.annex.late': '，逾期',
  'report.annex.none': '各单位尚未报送总结报告。',
  'report.annex.overall': '总体情况',
  'report.annex.regional': '区域分布',
  'report.annex.causes': '成因分析',
  'report.annex.outlook': '困难问题及风险研判',
  'report.annex.cases': '典型案例',
  'report.annex.nextSteps': '下一步工作措施',
  'report.annex.case': '{title}（{ref}）：{summary}',

  'report.unit.intro':
    '根据区非法集资风险台账和{campaign}工作记录，现将{unit}{from}至{to}期间工作情况通报如下。',
  'report.unit.h.clues': '线索办理情况',
  'report.unit.clues':
    '专项排查期间，{unit}牵头办理线索{lead}条、协办线索{co}条，涉及金额{amount}，参与群众{participants}人；其中重点风险线索{keyClues}条，已办结{closed}条，仍在办理{open}条。',
  'report.unit.clues.empty': '专项排查期间，{unit}未牵头或协办新登记的线索。',
  'report.unit.clues.more': '（仅列前{n}条）',
  'report.unit.h.measures': '处置措施',
  'report.unit.plans':
    '{unit}牵头的线索中，{approved}条处置方案经审核同意，{pending}条正在审核，{none}条尚未形成经审核同意的方案。按经审核同意的方案统计：{list}。',
  'report.unit.h.deliverables': '专项行动报送情况',
  'report.unit.deliv':
    '实施方案：{plan}；工作信息：已报送{filed}篇（应报不少于{required}篇），{info}；总结报告：{report}。',
  'report.unit.deliv.absent': '{unit}未参与本次专项排查。',
  'report.unit.h.deadlines': '办理时限',
  'report.unit.h.problems': '存在问题',
  'report.unit.problems.overdue':
    '逾期未完成的办理时限{n}项，其中升级至区领导及以上{high}项；本次专项排查期间被记录问责{accountability}次。',
  'report.unit.problems.none': '未发现逾期未完成的办理时限。',
  'report.unit.problems.items': '逾期事项：{items}。',
  'report.unit.problems.item': '{ref}{task}（{level, select, 0 {已逾期} other {{level}级督办}}）',

  'report.col.keyArea': '重点领域',
  'report.col.behaviour': '行为特征',
  'report.col.grade': '风险等级',
  'report.col.disposal': '处置方式',
  'report.col.unit': '单位',
  'report.col.clues': '线索（条）',
  'report.col.keyClues': '重点线索（条）',
  'report.col.amount': '金额（万元）',
  'report.col.participants': '人数（人）',
  'report.col.openKey': '在办重点（条）',
  'report.col.onTime': '按时完成率',
  'report.col.plan': '实施方案',
  'report.col.info': '工作信息',
  'report.col.report': '总结报告',
  'report.col.ref': '编号',
  'report.col.subject': '涉及主体',
  'report.col.stage': '阶段',
  'report.col.role': '牵头/协办',
  'report.role.lead': '牵头',
  'report.role.co': '协办',
};

type Key = keyof typeof zh;

const en: Record<Key, string> = {
  'report.district.title': 'Summary report on the {campaign}',
  'report.unit.title': 'Report on the work of {unit} in the {campaign}',
  'report.issuer': 'Office of the District Leading Group for the Disposal of Illegal Fund-raising',
  'report.none': 'none',
  'report.count': '{label} ({n})',
  'report.unitCount': '{unit} ({n})',

  'report.district.intro':
    'As deployed for the {campaign}, the towns (streets), communities and departments concerned investigated and disposed of illegal fund-raising risks in their areas and sectors. This report covers the work from {from} to {to}.',
  'report.h.overall': 'Overall situation',
  'report.h.clues': 'Clues found',
  'report.overall.clues':
    'During the campaign {clues, plural, one {# risk clue was} other {# risk clues were}} registered in the district, involving {amount} and {participants, plural, one {# participant} other {# participants}}. {keyClues, plural, one {# is a key risk clue} other {# are key risk clues}}; by risk grade: grade I {gI}, grade II {gII}, grade III {gIII}, grade IV {gIV}. {closed} closed, {referred} referred to public security, {open} still in progress.',
  'report.overall.empty': 'No risk clue was registered in the district during the campaign.',
  'report.h.breakdown': 'Breakdown',
  'report.h.byArea': 'By key area',
  'report.h.byBehaviour': 'By key behaviour',
  'report.h.byGrade': 'By risk grade',
  'report.byArea.text': 'Clues concentrate in: {list}.',
  'report.byBehaviour.text': 'The main behaviours are: {list} (a clue may show several).',
  'report.byGrade.text': '{list}.',

  'report.h.measures': 'Measures taken',
  'report.h.plans': '"One thing, one policy" disposal plans',
  'report.plans.text':
    'The lead units drew up a disposal plan for each clue. As of {date}, the plans of {approved, plural, one {# clue} other {# clues}} were approved by the District Office, {pending} are under review and {none} have no approved plan yet. By approved plan (a plan may combine several measures): {list}.',
  'report.h.effect': 'Results of the disposal',
  'report.measure.warning_interview': 'warning interviews for {n, plural, one {# clue} other {# clues}}',
  'report.measure.standardized_rectification':
    'rectification ordered for {n, plural, one {# clue} other {# clues}}',
  'report.measure.administrative_penalty':
    'administrative penalties for {n, plural, one {# clue} other {# clues}}',
  'report.measure.online_cleanup': 'online information removed for {n, plural, one {# clue} other {# clues}}',
  'report.measure.criminal_referral':
    '{n, plural, one {# clue} other {# clues}} of suspected crime referred to public security',
  'report.effect.measures': 'The units combined several means of disposal: {list}.',
  'report.effect.noMeasures': 'No disposal plan has been approved yet; disposal has still to begin.',
  'report.effect.referrals':
    'Of the {referred, plural, one {# clue} other {# clues}} referred to public security, {accepted} were accepted, {returned} returned for supplementary evidence and {awaiting} await acknowledgement.',
  'report.effect.monitoring':
    '{monitoring} disposed clues are under follow-up monitoring and {closed} are closed.',
  'report.h.deadlines': 'Time limits',
  'report.onTime.text':
    '{total, plural, one {# time limit} other {# time limits}} (clue steps and the units’ campaign deliverables) are counted: {onTime} met on time, {lateDone} completed late and {openOverdue} overdue and still open (counted as late). The on-time rate is {rate} ({onTime} ÷ {total}). {openNotDue} more are still within their time limit and not counted.',
  'report.onTime.empty':
    'No counted time limit has fallen due yet, so no on-time rate is given. {openNotDue} are still within their time limit.',
  'report.onTime.escalated':
    '{escalated, plural, one {# overdue item was} other {# overdue items were}} escalated, {high} of them to district leadership or above; {accountability}.',
  'report.onTime.accountability': 'accountability was recorded for {units}',
  'report.onTime.noAccountability': 'no accountability has been recorded',

  'report.h.deliverables': 'What each unit delivered',
  'report.deliv.intro':
    '{units, plural, one {# unit takes} other {# units take}} part in the campaign; their filings are shown in the table.',
  'report.h.implPlan': 'Implementation plans',
  'report.deliv.plan':
    '{onTime} filed the implementation plan on time, {late} late, {missing} missed the deadline without filing, {pending} are not yet due.',
  'report.deliv.plan.missing': 'Implementation plan missing (deadline passed): {units}.',
  'report.deliv.plan.late': 'Implementation plan filed late: {units}.',
  'report.h.info': 'Work information',
  'report.deliv.info':
    'Each unit is to file at least {required} pieces of work information; {complete} have filed enough, {total} pieces in all.',
  'report.deliv.info.missing': 'Work information short after the deadline: {units}.',
  'report.deliv.info.short': 'Work information short, deadline not yet passed: {units}.',
  'report.deliv.info.item': '{unit} ({filed} filed)',
  'report.h.summaryReport': 'Summary reports',
  'report.deliv.report':
    '{onTime} filed the summary report on time, {late} late, {missing} missed the deadline without filing, {pending} are not yet due.',
  'report.deliv.report.missing': 'Summary report missing (deadline passed): {units}.',
  'report.deliv.report.late': 'Summary report filed late: {units}.',
  'report.deliv.withdrawn': '{units} left the campaign and are not counted above.',
  'report.state.on_time': 'on time',
  'report.state.late': 'late',
  'report.state.missing': 'missing',
  'report.state.pending': 'not yet due',
  'report.state.cancelled': 'withdrawn',
  'report.state.info': '{filed}/{required}',

  'report.h.regional': 'Regional distribution',
  'report.regional.text': 'By region, clues concentrate in {list}: {n} together, {share} of all clues.',
  'report.regional.free': '{units} currently have no open key risk clue.',
  'report.h.causes': 'Causes',
  'report.causes.areas':
    'By key area, the risks concentrate in {areas}; by behaviour, they show mainly as {behaviours}.',
  'report.causes.online':
    '{online} clues ({share}) spread online: the internet has become a main channel of illegal fund-raising.',
  'report.causes.vulnerable':
    '{vulnerable} clues target the elderly, disabled or poor, involving {participants} people: vulnerable groups remain poorly protected.',
  'report.h.outlook': 'Difficulties and risk outlook',
  'report.outlook.overdue':
    'Some work is not done in time: {n} time limits are overdue and open, mainly at {units}.',
  'report.outlook.returned':
    '{n} referred clues were returned for supplementary evidence: verification needs better evidence.',
  'report.outlook.pending': '{n} clues have no approved disposal plan yet: disposal needs to speed up.',
  'report.outlook.deliverables': '{n} units did not file their campaign deliverables on time.',
  'report.outlook.smooth': 'The campaign is proceeding as planned.',
  'report.outlook.risk':
    '{n} key risk clues remain open, involving {amount} and {participants} participants, mainly at {units}; {gI} of them are grade I, where repayment and stability risks need close attention.',
  'report.outlook.calm': 'No key risk clue is open in the district; the risk is under control.',

  'report.h.cases': 'Typical cases',
  'report.case.title': '{title} ({ref})',
  'report.case.facts':
    'Lead unit: {unit}; amount {amount}, {participants} participants; risk grade {grade}; stage: {stage}.',
  'report.noCases': 'No typical cases were reported by the units.',

  'report.h.nextSteps': 'Next steps',
  'report.next.overdue.h': 'Clear the overdue items. ',
  'report.next.overdue':
    'The {n} overdue time limits are put under supervision one by one; {units} must complete them within a set time, failing which accountability follows.',
  'report.next.plans.h': 'Speed up "one thing, one policy". ',
  'report.next.plans':
    'For the {n} clues without an approved plan, the lead units finish verification, classification and the plan for review.',
  'report.next.key.h': 'Watch the key risk clues. ',
  'report.next.key':
    'Each of the {n} open key risk clues gets a named person responsible for defusing it, repayment and stability.',
  'report.next.areas.h': 'Monitor the key areas. ',
  'report.next.areas':
    'With the sector regulators, monitor {areas} continuously, and step up public education for the elderly.',
  'report.next.lasting.h': 'Make it lasting. ',
  'report.next.lasting':
    'Follow disposed clues up on schedule to prevent resurgence, and spread the units’ good practice.',

  'report.annexNote': 'Annex: Summary reports of the units',
  'report.annex.label': 'Annex',
  'report.annex.title': 'Summary reports of the units',
  'report.annex.filed': '(filed {date}{late})',
  'report.annex.late': ', late',
  'report.annex.none': 'No unit has filed its summary report yet.',
  'report.annex.overall': 'Overall situation',
  'report.annex.regional': 'Regional distribution',
  'report.annex.causes': 'Causes',
  'report.annex.outlook': 'Difficulties and risk outlook',
  'report.annex.cases': 'Typical cases',
  'report.annex.nextSteps': 'Next steps',
  'report.annex.case': '{title} ({ref}): {summary}',

  'report.unit.intro':
    'From the district risk ledger and the records of the {campaign}, this report covers the work of {unit} from {from} to {to}.',
  'report.unit.h.clues': 'Clues handled',
  'report.unit.clues':
    'During the campaign {unit} led {lead, plural, one {# clue} other {# clues}} and co-handled {co}, involving {amount} and {participants} participants; {keyClues} are key risk clues, {closed} are closed and {open} still in progress.',
  'report.unit.clues.empty': 'During the campaign {unit} neither led nor co-handled a newly registered clue.',
  'report.unit.clues.more': '(first {n} listed)',
  'report.unit.h.measures': 'Measures taken',
  'report.unit.plans':
    'Of the clues {unit} leads, {approved} have an approved plan, {pending} are under review and {none} have no approved plan yet. By approved plan: {list}.',
  'report.unit.h.deliverables': 'Campaign deliverables',
  'report.unit.deliv':
    'Implementation plan: {plan}; work information: {filed} filed (at least {required} required), {info}; summary report: {report}.',
  'report.unit.deliv.absent': '{unit} does not take part in the campaign.',
  'report.unit.h.deadlines': 'Time limits',
  'report.unit.h.problems': 'Problems',
  'report.unit.problems.overdue':
    '{n} time limits are overdue and open, {high} of them escalated to district leadership or above; accountability was recorded {accountability} times during the campaign.',
  'report.unit.problems.none': 'No time limit is overdue.',
  'report.unit.problems.items': 'Overdue: {items}.',
  'report.unit.problems.item': '{ref} {task} ({level, select, 0 {overdue} other {escalation level {level}}})',

  'report.col.keyArea': 'Key area',
  'report.col.behaviour': 'Behaviour',
  'report.col.grade': 'Risk grade',
  'report.col.disposal': 'Disposal measure',
  'report.col.unit': 'Unit',
  'report.col.clues': 'Clues',
  'report.col.keyClues': 'Key clues',
  'report.col.amount': 'Amount (CNY million)',
  'report.col.participants': 'Participants',
  'report.col.openKey': 'Open key clues',
  'report.col.onTime': 'On-time rate',
  'report.col.plan': 'Implementation plan',
  'report.col.info': 'Work information',
  'report.col.report': 'Summary report',
  'report.col.ref': 'Ref.',
  'report.col.subject': 'Subject',
  'report.col.stage': 'Stage',
  'report.col.role': 'Lead / co',
  'report.role.lead': 'lead',
  'report.role.co': 'co-handling',
};

export type ReportKey = Key;

const catalogues: Record<Locale, Record<Key, string>> = { 'zh-CN': zh, en };
const compiled = new Map<string, IntlMessageFormat>();

/** A report message; numbers are plain digits in Chinese, ICU-formatted (plurals, grouping) in English. */
export function rt(locale: Locale, key: Key, params: Record<string, string | number> = {}): string {
  const id = `${locale}\u0000${key}`;
  let f = compiled.get(id);
  if (!f) {
    f = new IntlMessageFormat(catalogues[locale][key], locale);
    compiled.set(id, f);
  }
  const values =
    locale === 'en'
      ? params
      : Object.fromEntries(
          Object.entries(params).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]),
        );
  return String(f.format(values));
}
