/**
 * Import errors, audit-export headers and download names, in ICU MessageFormat. Kept here until the
 * per-locale `ledger` JSON catalogue lands; `lt()` is the one call site to switch over then.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import type { Locale } from '../domain/enums';

const en = {
  'ledger.import.cell': 'column "{column}": {problem}',
  'ledger.import.noColumn': 'column "{column}" is missing: {problem}',
  'ledger.import.row': 'row {row}',
  'ledger.import.err.required': 'required',
  'ledger.import.err.invalid': 'invalid value',
  'ledger.import.err.blank': 'must not be blank or contain NUL characters',
  'ledger.import.err.tooLong': 'at most {max} characters',
  'ledger.import.err.tooSmall': 'must be at least {min}',
  'ledger.import.err.tooBig': 'must be at most {max}',
  'ledger.import.err.tooManyItems': 'at most {max} items',
  'ledger.import.err.unknownValue': 'unknown value "{value}"',
  'ledger.import.err.unknownBehaviour': 'unknown key behaviour "{value}"',
  'ledger.import.err.notYesNo': '"{value}" is not yes/no (是/否)',
  'ledger.import.err.notAmount': '"{value}" is not an amount in CNY',
  'ledger.import.err.notCount': '"{value}" is not a whole number of people',
  'ledger.import.err.unknownUnit': 'unknown unit "{value}"',
  'ledger.import.err.leadAlsoCo': 'the lead unit cannot also co-handle',
  'ledger.import.err.coDistinct': 'co-handling units must be distinct',
  'ledger.import.err.creditCode.length': 'unified social credit code must be 18 characters (got {got})',
  'ledger.import.err.creditCode.character':
    'unified social credit code has an invalid character "{char}" at position {position}',
  'ledger.import.err.creditCode.authority':
    'unified social credit code has an invalid registration authority code "{char}" at position 1',
  'ledger.import.err.creditCode.division':
    'unified social credit code positions 3-8 must be a 6-digit administrative division code',
  'ledger.import.err.creditCode.check': 'unified social credit code check character should be "{expected}"',
  'ledger.import.file.empty': 'the file is empty',
  'ledger.import.file.xlsxNotWorkbook': 'the file is named .xlsx but is not an XLSX workbook',
  'ledger.import.file.xls': 'legacy .xls workbooks are not supported: save as .xlsx or .csv',
  'ledger.import.file.unterminated':
    'a quoted field starting on line {line} (record {record}) is never closed',
  'ledger.import.file.unreadable': 'the XLSX workbook cannot be read ({reason})',
  'ledger.import.file.noSheet': 'the workbook has no worksheet',
  'ledger.import.file.duplicateColumn': 'column "{column}" appears twice in the header row (row {row})',
  'ledger.import.file.noHeader':
    'no header row found: the first row should name the columns (e.g. sourceChannel, subjectName, keyArea, … or 线索来源、涉事主体、重点领域 …)',
  'ledger.import.file.tooManyRows': 'at most {max} rows per file (this one has {rows}): split it',
  'ledger.timesNote': 'All times are China Standard Time (UTC+8)',
  'ledger.file.risks': 'total-risk-list',
  'ledger.file.keyClues': 'key-risk-clue-account',
  'ledger.file.audit': 'security-audit-log',
  'ledger.audit.title': 'Security audit log',
  'ledger.audit.col.at': 'Time (UTC+8)',
  'ledger.audit.col.action': 'Event',
  'ledger.audit.col.actor': 'User id',
  'ledger.audit.col.actorName': 'Name',
  'ledger.audit.col.role': 'Role',
  'ledger.audit.col.unit': 'Unit',
  'ledger.audit.col.target': 'Target',
  'ledger.audit.col.clueRef': 'Clue reference',
  'ledger.audit.col.reason': 'Reason',
  'ledger.audit.col.requestId': 'Request id',
  'ledger.audit.col.details': 'Details',
  'ledger.audit.action.reporter.unmask': "Reporter's identity revealed",
  'ledger.audit.action.token.issue': 'API token issued',
  'ledger.audit.action.token.revoke': 'API token revoked',
  'ledger.audit.action.auth.sign_in': 'Signed in',
  'ledger.audit.action.auth.sign_in_failed': 'Failed sign-in',
  'ledger.audit.action.auth.locked': 'Account locked',
  'ledger.audit.action.auth.sign_out': 'Signed out',
  'ledger.audit.action.auth.token_failed': 'Rejected API token',
  'ledger.audit.action.user.create': 'User created',
  'ledger.audit.action.user.role_change': 'Role changed',
  'ledger.audit.action.user.deactivate': 'User deactivated',
  'ledger.audit.action.password.set': 'Password set',
  'ledger.audit.action.unit.update': 'Unit changed',
  'ledger.audit.action.ledger.export': 'Export downloaded',
} as const;

export type LedgerMessageKey = keyof typeof en;

const zh: Record<LedgerMessageKey, string> = {
  'ledger.import.cell': '“{column}”列：{problem}',
  'ledger.import.noColumn': '缺少“{column}”列：{problem}',
  'ledger.import.row': '第{row}行',
  'ledger.import.err.required': '必填，不能为空',
  'ledger.import.err.invalid': '取值无效',
  'ledger.import.err.blank': '不能为空白，也不能含 NUL 字符',
  'ledger.import.err.tooLong': '最多 {max} 个字符',
  'ledger.import.err.tooSmall': '不能小于 {min}',
  'ledger.import.err.tooBig': '不能大于 {max}',
  'ledger.import.err.tooManyItems': '最多 {max} 项',
  'ledger.import.err.unknownValue': '无法识别的取值“{value}”',
  'ledger.import.err.unknownBehaviour': '无法识别的重点行为“{value}”',
  'ledger.import.err.notYesNo': '“{value}”不是“是/否”',
  'ledger.import.err.notAmount': '“{value}”不是人民币金额',
  'ledger.import.err.notCount': '“{value}”不是整数人数',
  'ledger.import.err.unknownUnit': '没有名为“{value}”的单位',
  'ledger.import.err.leadAlsoCo': '牵头单位不能同时是协办单位',
  'ledger.import.err.coDistinct': '协办单位不能重复',
  'ledger.import.err.creditCode.length': '统一社会信用代码应为18位（实为{got}位）',
  'ledger.import.err.creditCode.character': '统一社会信用代码第{position}位字符“{char}”无效',
  'ledger.import.err.creditCode.authority': '统一社会信用代码第1位登记管理部门代码“{char}”无效',
  'ledger.import.err.creditCode.division': '统一社会信用代码第3至8位应为6位行政区划代码',
  'ledger.import.err.creditCode.check': '统一社会信用代码校验位应为“{expected}”',
  'ledger.import.file.empty': '文件为空',
  'ledger.import.file.xlsxNotWorkbook': '文件扩展名为 .xlsx，但不是 XLSX 工作簿',
  'ledger.import.file.xls': '不支持旧版 .xls 工作簿，请另存为 .xlsx 或 .csv',
  'ledger.import.file.unterminated': '第{line}行（第{record}条记录）开始的引号字段没有结束',
  'ledger.import.file.unreadable': '无法读取该 XLSX 工作簿（{reason}）',
  'ledger.import.file.noSheet': '工作簿中没有工作表',
  'ledger.import.file.duplicateColumn': '表头（第{row}行）中“{column}”列出现了两次',
  'ledger.import.file.noHeader':
    '未找到表头行：第一行应写明各列名称（如 线索来源、涉事主体、重点领域 … 或 sourceChannel、subjectName、keyArea …）',
  'ledger.import.file.tooManyRows': '每个文件最多{max}行（此文件有{rows}行），请拆分后导入',
  'ledger.timesNote': '表中时间均为北京时间',
  'ledger.file.risks': '非法集资风险总台账',
  'ledger.file.keyClues': '重点风险线索管理台账',
  'ledger.file.audit': '安全审计记录',
  'ledger.audit.title': '安全审计记录',
  'ledger.audit.col.at': '时间（北京时间）',
  'ledger.audit.col.action': '事件',
  'ledger.audit.col.actor': '用户编号',
  'ledger.audit.col.actorName': '姓名',
  'ledger.audit.col.role': '角色',
  'ledger.audit.col.unit': '单位',
  'ledger.audit.col.target': '对象',
  'ledger.audit.col.clueRef': '线索编号',
  'ledger.audit.col.reason': '事由',
  'ledger.audit.col.requestId': '请求编号',
  'ledger.audit.col.details': '详情',
  'ledger.audit.action.reporter.unmask': '查看举报人身份',
  'ledger.audit.action.token.issue': '签发 API 令牌',
  'ledger.audit.action.token.revoke': '吊销 API 令牌',
  'ledger.audit.action.auth.sign_in': '登录',
  'ledger.audit.action.auth.sign_in_failed': '登录失败',
  'ledger.audit.action.auth.locked': '账号锁定',
  'ledger.audit.action.auth.sign_out': '退出登录',
  'ledger.audit.action.auth.token_failed': 'API 令牌被拒',
  'ledger.audit.action.user.create': '新建用户',
  'ledger.audit.action.user.role_change': '变更角色',
  'ledger.audit.action.user.deactivate': '停用用户',
  'ledger.audit.action.password.set': '设置密码',
  'ledger.audit.action.unit.update': '修改单位信息',
  'ledger.audit.action.ledger.export': '导出下载',
};

const catalogues: Record<Locale, Record<LedgerMessageKey, string>> = { en, 'zh-CN': zh };
const compiled = new Map<string, IntlMessageFormat>();

/** Formats a ledger message in `locale`. */
export function lt(
  locale: Locale,
  key: LedgerMessageKey,
  params: Record<string, string | number> = {},
): string {
  const id = `${locale}\u0000${key}`;
  let f = compiled.get(id);
  if (!f)
    compiled.set(
      id,
      (f = new IntlMessageFormat(catalogues[locale][key], locale, undefined, { ignoreTag: true })),
    );
  return String(f.format(params));
}

/** A message that can be said later in the reader's language. */
export interface Said {
  key: LedgerMessageKey;
  params?: Record<string, string | number>;
}
