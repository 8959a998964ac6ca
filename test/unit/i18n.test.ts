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
const CJK = /[\u4e00-\u9fff]/;

const NOTIFICATION_PARAMS: Record<string, string[]> = {
  'reminder.body': ['clueRef', 'task', 'dueAt', 'unit'],
  'escalation.body': ['clueRef', 'task', 'level', 'dueAt', 'daysOverdue', 'unit'],
  'stageChanged.body': ['clueRef', 'stage'],
  'referral.body': ['clueRef', 'unit'],
  'campaignPhase.body': ['campaign', 'phase', 'endsAt'],
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

  it('has subject and body for every notification', () => {
    for (const n of [
      'reminder',
      'escalation',
      'stageChanged',
      'referral',
      'referralReturned',
      'campaignPhase',
      'accountability',
      'followUp',
    ]) {
      expect(enKeys).toContain(`${n}.subject`);
      expect(enKeys).toContain(`${n}.body`);
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
      clueRef: 'XS-2024-0007',
      task: t('zh-CN', 'task.verification'),
      level: t('zh-CN', 'level.2'),
      dueAt: '2024年5月10日',
      daysOverdue: 3,
      unit: '某某街道办事处',
    };
    const body = t('zh-CN', 'escalation.body', params);
    expect(body).toContain('线索XS-2024-0007的“线索核查”事项');
    expect(body).toContain('已逾期3天');
    expect(body).toContain('区领导督办');
    expect(body.startsWith('某某街道办事处：')).toBe(true);
    expect(body).not.toMatch(/\{[A-Za-z]+\}/);

    const en = t('en', 'escalation.subject', { clueRef: 'XS-1', task: 'Verification', daysOverdue: 0 });
    expect(en).toBe('[Escalation] Clue XS-1: "Verification" is 0 day(s) overdue');
  });

  it('leaves unknown or missing placeholders intact and ignores extra params', () => {
    expect(t('en', 'stageChanged.subject', { clueRef: 'A1', extra: 'x' })).toBe(
      'Clue A1 has moved to stage "{stage}"',
    );
    expect(t('en', 'stageChanged.subject')).toBe('Clue {clueRef} has moved to stage "{stage}"');
  });

  it('does not treat $-patterns in values specially', () => {
    expect(t('en', 'referral.subject', { clueRef: '$&$1', unit: "$'" })).toBe(
      "[Referral] Clue $&$1 has been referred to $'",
    );
  });

  it('falls back to zh-CN for an unknown locale and to the key for an unknown key', () => {
    expect(t('fr' as never, 'stage.closed')).toBe('已办结');
    expect(t('en', 'no.such.key' as MessageKey)).toBe('no.such.key');
  });
});
