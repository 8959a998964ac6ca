import { IntlMessageFormat } from 'intl-messageformat';
import { LOCALES } from '../../src/domain/enums';
import * as enNamespaces from '../../src/i18n/locales/en';
import * as zhNamespaces from '../../src/i18n/locales/zh-CN';
import {
  LABEL_KINDS,
  label,
  messages,
  placeholders,
  t,
  type LabelKind,
  type MessageKey,
} from '../../src/i18n';

const enKeys = Object.keys(messages.en).sort() as MessageKey[];
// Han characters, or CJK / full-width punctuation for messages made of placeholders ("【{rung}】{item}").
const CJK = /[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]/;

/** The params each notice's texts use (the workflows and activities pass these). */
const NOTIFICATION_PARAMS: Record<string, string[]> = {
  'reminder.unit.body': ['clueRef', 'task', 'dueAt', 'next'],
  'escalation.unit.body': ['itemText', 'dueAt', 'daysOverdue', 'rung', 'supervisors', 'next'],
  'escalation.leader.body': ['unit', 'itemText', 'dueAt', 'daysOverdue', 'rung'],
  'accountability.office.body': ['unit', 'itemText', 'dueAt', 'daysOverdue', 'rung', 'supervisors'],
  'stageChanged.unit.body': ['clueRef', 'stage'],
  'referral.police.body': ['clueRef', 'subject', 'reason'],
  'campaignPhase.unit.body': ['campaign', 'phase', 'endsAt'],
};

describe('catalogue completeness', () => {
  it('zh-CN and en have the same namespace files with the same keys in each', () => {
    const names = (ns: object) => Object.keys(ns).filter((n) => n !== 'default');
    expect(names(zhNamespaces).sort()).toEqual(names(enNamespaces).sort());
    for (const n of names(enNamespaces)) {
      const en = (enNamespaces as Record<string, object>)[n]!;
      const zh = (zhNamespaces as Record<string, object>)[n]!;
      expect([n, Object.keys(zh).sort()]).toEqual([n, Object.keys(en).sort()]);
    }
  });

  it('every message is valid ICU MessageFormat in its locale', () => {
    for (const locale of LOCALES) {
      for (const key of enKeys) {
        expect(
          () => new IntlMessageFormat(messages[locale][key], locale, undefined, { ignoreTag: true }),
        ).not.toThrow();
      }
    }
  });

  it('both locales have exactly the same keys', () => {
    for (const locale of LOCALES) {
      expect(Object.keys(messages[locale]).sort()).toEqual(enKeys);
    }
  });

  it('no message is empty', () => {
    for (const locale of LOCALES) {
      for (const key of enKeys) expect(messages[locale][key].trim()).not.toBe('');
    }
  });

  it('every zh-CN message is actually Chinese', () => {
    for (const key of enKeys) expect(messages['zh-CN'][key]).toMatch(CJK);
  });

  it('zh-CN and en use the same placeholders for every key', () => {
    for (const key of enKeys) {
      expect([key, placeholders(messages['zh-CN'][key]).sort()]).toEqual([
        key,
        placeholders(messages.en[key]).sort(),
      ]);
    }
  });

  it.each(Object.entries(NOTIFICATION_PARAMS))('%s uses the documented params', (key, params) => {
    for (const locale of LOCALES) {
      expect(placeholders(messages[locale][key as MessageKey]).sort()).toEqual([...params].sort());
    }
  });

  it('has subject and body for every notice and each recipient role written for it', () => {
    const roles: Record<string, string[]> = {
      reminder: ['unit'],
      followUp: ['unit'],
      campaignReminder: ['unit'],
      escalation: ['unit', 'head', 'office', 'leader'],
      accountability: ['unit', 'head', 'office', 'leader'],
      referral: ['police'],
      referralReturned: ['unit', 'office'],
      extensionRequested: ['office'],
      informationExchanged: ['unit'],
      stageChanged: ['unit'],
      duplicateLinked: ['unit'],
      campaignPhase: ['unit'],
      campaignConcluded: ['unit'],
      campaignCancelled: ['unit'],
      campaignJoined: ['unit'],
      campaignLeft: ['unit'],
      digest: ['leader'],
    };
    for (const [n, rs] of Object.entries(roles)) {
      for (const r of rs) {
        expect(enKeys).toContain(`${n}.${r}.subject`);
        expect(enKeys).toContain(`${n}.${r}.body`);
      }
    }
  });

  it('has labels for every enum value, task kind and escalation level', () => {
    for (const kind of Object.keys(LABEL_KINDS) as LabelKind[]) {
      for (const value of LABEL_KINDS[kind]) expect(enKeys).toContain(`${kind}.${value}`);
    }
    for (const task of [
      'verification',
      'classification',
      'plan',
      'plan_review',
      'milestone',
      'referral_ack',
      'supplementary_evidence',
      'exchange',
      'follow_up',
      'closure_review',
      'implementation_plan',
      'work_information',
      'summary_report',
    ]) {
      expect(enKeys).toContain(`task.${task}`);
    }
    expect(enKeys).toEqual(expect.arrayContaining(['level.1', 'level.2', 'level.3']));
  });
});

describe('t()', () => {
  it('returns labels', () => {
    expect(t('zh-CN', 'stage.verifying')).toBe('核查中');
    expect(t('en', 'stage.verifying')).toBe('Verifying');
    expect(t('zh-CN', 'level.1')).toBe('单位负责人及区处非办');
    expect(t('zh-CN', 'level.3')).toBe('区领导小组');
    expect(label('zh-CN', 'grade', 'I')).toBe('Ⅰ级（红色）');
    expect(label('en', 'sourceChannel', 'mass_report')).toBe('Public report');
    expect(label('zh-CN', 'keyBehaviour', 'consumer_rebate')).toBe('消费返利');
  });

  it('interpolates every placeholder, including numbers and repeats', () => {
    const params = {
      itemText: '线索XS-2024-0007“线索核查”事项',
      dueAt: '2024年5月10日 17:00（北京时间）',
      daysOverdue: 3,
      rung: '二级督办',
      supervisors: t('zh-CN', 'level.2'),
      next: '',
    };
    const body = t('zh-CN', 'escalation.unit.body', params);
    expect(body).toContain(
      '你单位承办的线索XS-2024-0007“线索核查”事项办理时限为2024年5月10日 17:00（北京时间）',
    );
    expect(body).toContain('现已逾期3个工作日');
    expect(body).toContain('由区领导督办');
    expect(body).not.toMatch(/\{[A-Za-z]+\}/);
  });

  it('writes lateness in working days with ICU plurals, and "due now" at the due moment', () => {
    const late = (locale: 'zh-CN' | 'en', daysOverdue: number) =>
      t(locale, 'notify.lateness', { daysOverdue });
    expect(late('zh-CN', 0)).toBe('已到期');
    expect(late('zh-CN', 1)).toBe('已逾期1个工作日');
    expect(late('zh-CN', 3)).toBe('已逾期3个工作日');
    expect(late('en', 0)).toBe('is due now');
    expect(late('en', 1)).toBe('is 1 working day overdue');
    expect(late('en', 3)).toBe('is 3 working days overdue');
    expect(t('zh-CN', 'notify.rung', { level: 2 })).toBe('二级督办');
    expect(t('en', 'notify.rung', { level: 3 })).toBe('Level 3 supervision');
  });

  it('leaves unknown or missing placeholders intact and ignores extra params', () => {
    expect(t('en', 'stageChanged.unit.subject', { clueRef: 'A1', extra: 'x' })).toBe(
      'Clue A1 has moved to stage "{stage}"',
    );
    expect(t('en', 'stageChanged.unit.subject')).toBe('Clue {clueRef} has moved to stage "{stage}"');
  });

  it('does not treat $-patterns or ICU syntax in values specially', () => {
    expect(t('en', 'referral.police.subject', { clueRef: '$&$1', unit: "$'{x}" })).toBe(
      "[Referral] Clue $&$1 has been referred to $'{x}: please acknowledge",
    );
  });

  it('falls back to zh-CN for an unknown locale and to the key for an unknown key', () => {
    expect(t('fr' as never, 'stage.closed')).toBe('已办结');
    expect(t('en', 'no.such.key' as MessageKey)).toBe('no.such.key');
  });
});
