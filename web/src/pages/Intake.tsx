/**
 * Intake (coordinator): every field of POST /clues, the unified social credit code checked while it
 * is typed (the same pure check the server runs, src/domain/credit-code.ts), and a warning when open
 * or past clues already name the same code or subject. A registered clue opens its page.
 */
import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { Alert, Card, Checkbox, Form, Input, InputNumber, Select, Space, Tag } from 'antd';
import { api, ok, type Schemas } from '../api/client';
import { unitsQuery } from '../app/queries';
import { StepForm, YesNoItem, picked, req } from '../app/forms';
import { Muted, PageTitle } from '../app/text';
import { useT, type Values, type WebKey } from '../i18n';
import { validateCreditCode, type CreditCodeProblem } from '../../../src/domain/credit-code';
import {
  KEY_AREAS,
  KEY_BEHAVIOURS,
  PUBLIC_OPINION_LEVELS,
  SOURCE_CHANNELS,
  STABILITY_RISK_LEVELS,
  SUBJECT_KINDS,
} from '../../../src/domain/enums';
import { pathTo } from '../../../src/links';

type Intake = Schemas['ClueIntake'];

interface IntakeFields {
  sourceChannel: Intake['sourceChannel'];
  description: string;
  subject: {
    name: string;
    kind: Intake['subject']['kind'];
    creditCode?: string;
    registrationPlace?: string;
    operatingPlace?: string;
    frequentChanges?: boolean;
  };
  keyArea: Intake['keyArea'];
  keyBehaviours?: Intake['keyBehaviours'];
  online: boolean;
  amountWan: number;
  participants: number;
  publicOpinion: Intake['publicOpinion'];
  stabilityRisk: Intake['stabilityRisk'];
  leadUnitId: string;
  coHandlingUnitIds?: string[];
  keyFlag?: boolean;
  reporterName?: string;
  reporterContact?: string;
}

/** The reader's words for why a credit code is refused. */
export function codeProblem(p: CreditCodeProblem): [WebKey, Values] {
  switch (p.kind) {
    case 'length':
      return ['web.intake.code.length', { got: p.got }];
    case 'character':
      return ['web.intake.code.character', { char: p.char, position: p.position }];
    case 'authority':
      return ['web.intake.code.authority', { char: p.char }];
    case 'division':
      return ['web.intake.code.division', {}];
    case 'check':
      return ['web.intake.code.check', { expected: p.expected }];
  }
}

/** The value after the reader stops typing for a moment. */
function useSettled<T>(value: T, ms = 400): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

const blank = (s: string | undefined) => !s || s.trim() === '';

function Duplicates({ code, name }: { code: string; name: string }) {
  const { t, label } = useT();
  const settledCode = useSettled(code);
  const settledName = useSettled(name.trim());
  const q = useQuery({
    queryKey: ['intake-duplicates', settledCode, settledName],
    enabled: settledCode !== '' || settledName.length >= 2,
    queryFn: async () => {
      const byCode = settledCode
        ? ok(api.GET('/api/v1/clues', { params: { query: { creditCode: settledCode, limit: 5 } } }))
        : Promise.resolve({ items: [] });
      const byName =
        settledName.length >= 2
          ? ok(api.GET('/api/v1/clues', { params: { query: { q: settledName, limit: 5 } } }))
          : Promise.resolve({ items: [] });
      const [a, b] = await Promise.all([byCode, byName]);
      const seen = new Map<string, Schemas['ClueSummary']>();
      for (const c of [...a.items, ...b.items]) seen.set(c.id, c);
      return [...seen.values()];
    },
  });
  const found = q.data ?? [];
  if (found.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="duplicate-warning"
      title={t('web.intake.duplicates', { n: found.length })}
      description={
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {found.map((c) => (
            <li key={c.id}>
              <Link to={pathTo({ page: 'clue', clueId: c.id })} target="_blank">
                {c.ref}
              </Link>{' '}
              {c.subjectName} <Tag>{label('stage', c.stage)}</Tag>
            </li>
          ))}
        </ul>
      }
      style={{ marginBottom: 16 }}
    />
  );
}

function CodeCheck({ code }: { code: string }) {
  const { t } = useT();
  if (blank(code)) return <Muted>{t('web.intake.code.optional')}</Muted>;
  const r = validateCreditCode(code);
  if (r.ok)
    return (
      <span data-testid="credit-code-check" data-ok="true" style={{ color: '#389e0d' }}>
        {t('web.intake.code.ok')}
      </span>
    );
  const [key, values] = codeProblem(r.problem);
  return (
    <span data-testid="credit-code-check" data-ok="false" style={{ color: '#cf1322' }}>
      {t(key, values)}
    </span>
  );
}

export default function IntakePage() {
  const { t, label, locale } = useT();
  const navigate = useNavigate();
  const created = useRef<string | null>(null);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const units = useQuery(unitsQuery);
  const unitOptions = (units.data?.items ?? [])
    .filter((u) => u.active && u.kind !== 'district_office')
    .map((u) => ({ value: u.id, label: locale === 'en' ? u.nameEn : u.nameZh }));
  const must = picked(t('web.form.required'));
  const text = req(t('web.form.required'));
  const options = <V extends string>(kind: string, vs: readonly V[]) =>
    vs.map((v) => ({ value: v, label: label(kind, v) }));
  const validCode = !blank(code) && validateCreditCode(code).ok ? code.trim().toUpperCase() : '';

  return (
    <Card title={<PageTitle>{t('web.intake.title')}</PageTitle>}>
      <Duplicates code={validCode} name={name} />
      <StepForm
        name="intake"
        testId="submit-intake"
        submitLabel={t('web.intake.submit')}
        refusals="filing"
        initialValues={{ keyBehaviours: [], frequentChanges: false, keyFlag: false }}
        onDone={() => {
          if (created.current) void navigate(pathTo({ page: 'clue', clueId: created.current }));
        }}
        send={async (v: IntakeFields) => {
          const reporter =
            !blank(v.reporterName) && !blank(v.reporterContact)
              ? { name: v.reporterName!.trim(), contact: v.reporterContact!.trim() }
              : undefined;
          const subject = {
            name: v.subject.name,
            kind: v.subject.kind,
            ...(blank(v.subject.creditCode) ? {} : { creditCode: v.subject.creditCode!.trim() }),
            ...(blank(v.subject.registrationPlace) ? {} : { registrationPlace: v.subject.registrationPlace }),
            ...(blank(v.subject.operatingPlace) ? {} : { operatingPlace: v.subject.operatingPlace }),
            frequentChanges: v.subject.frequentChanges ?? false,
          };
          const r = await ok(
            api.POST('/api/v1/clues', {
              body: {
                sourceChannel: v.sourceChannel,
                description: v.description,
                subject,
                keyArea: v.keyArea,
                keyBehaviours: v.keyBehaviours ?? [],
                online: v.online,
                // Entered in 万元 (ten thousand yuan), kept in yuan.
                amountCny: Math.round(v.amountWan * 10_000),
                participants: v.participants,
                publicOpinion: v.publicOpinion,
                stabilityRisk: v.stabilityRisk,
                leadUnitId: v.leadUnitId,
                coHandlingUnitIds: v.coHandlingUnitIds ?? [],
                keyFlag: v.keyFlag ?? false,
                ...(reporter ? { reporter } : {}),
              },
            }),
          );
          created.current = r.id;
        }}
      >
        <Form.Item name="sourceChannel" label={t('web.fact.source')} rules={must}>
          <Select
            options={options('sourceChannel', SOURCE_CHANNELS)}
            showSearch={{ optionFilterProp: 'label' }}
          />
        </Form.Item>
        <Form.Item name="description" label={t('web.fact.description')} rules={text}>
          <Input.TextArea rows={4} maxLength={8000} />
        </Form.Item>
        <Form.Item name={['subject', 'name']} label={t('web.intake.subjectName')} rules={text}>
          <Input maxLength={200} onChange={(e) => setName(e.target.value)} />
        </Form.Item>
        <Form.Item name={['subject', 'kind']} label={t('web.fact.subjectKind')} rules={must}>
          <Select options={options('subjectKind', SUBJECT_KINDS)} />
        </Form.Item>
        <Form.Item
          name={['subject', 'creditCode']}
          label={t('web.fact.creditCode')}
          extra={<CodeCheck code={code} />}
          rules={[
            {
              validator: async (_r, v: string | undefined) => {
                if (blank(v)) return;
                const r = validateCreditCode(v!);
                if (!r.ok) {
                  const [key, values] = codeProblem(r.problem);
                  throw new Error(t(key, values));
                }
              },
            },
          ]}
        >
          <Input maxLength={18} autoComplete="off" onChange={(e) => setCode(e.target.value)} />
        </Form.Item>
        <Form.Item name={['subject', 'registrationPlace']} label={t('web.intake.registrationPlace')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name={['subject', 'operatingPlace']} label={t('web.intake.operatingPlace')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name={['subject', 'frequentChanges']} valuePropName="checked">
          <Checkbox>{t('web.intake.frequentChanges')}</Checkbox>
        </Form.Item>
        <Form.Item name="keyArea" label={t('web.fact.keyArea')} rules={must}>
          <Select options={options('keyArea', KEY_AREAS)} showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
        <Form.Item name="keyBehaviours" label={t('web.fact.behaviours')}>
          <Checkbox.Group options={options('keyBehaviour', KEY_BEHAVIOURS)} />
        </Form.Item>
        <YesNoItem
          name="online"
          label={t('web.intake.online')}
          yes={t('web.intake.onlineYes')}
          no={t('web.intake.onlineNo')}
          noFirst
        />
        <Space wrap size={16}>
          <Form.Item name="amountWan" label={t('web.intake.amountWan')} rules={must}>
            <InputNumber min={0} max={1e9} step={1} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="participants" label={t('web.fact.participants')} rules={must}>
            <InputNumber min={0} max={100_000_000} precision={0} style={{ width: 180 }} />
          </Form.Item>
        </Space>
        <Space wrap size={16}>
          <Form.Item name="publicOpinion" label={t('web.intake.publicOpinion')} rules={must}>
            <Select options={options('publicOpinion', PUBLIC_OPINION_LEVELS)} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="stabilityRisk" label={t('web.intake.stabilityRisk')} rules={must}>
            <Select options={options('stabilityRisk', STABILITY_RISK_LEVELS)} style={{ width: 180 }} />
          </Form.Item>
        </Space>
        <Form.Item name="leadUnitId" label={t('web.fact.leadUnit')} rules={must}>
          <Select
            options={unitOptions}
            loading={units.isLoading}
            showSearch={{ optionFilterProp: 'label' }}
          />
        </Form.Item>
        <Form.Item name="coHandlingUnitIds" label={t('web.fact.coUnits')}>
          <Select
            mode="multiple"
            options={unitOptions}
            loading={units.isLoading}
            showSearch={{ optionFilterProp: 'label' }}
          />
        </Form.Item>
        <Form.Item name="keyFlag" valuePropName="checked">
          <Checkbox>{t('web.intake.keyFlag')}</Checkbox>
        </Form.Item>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontSize: 14, fontWeight: 600, marginBottom: 8 }}>
            {t('web.intake.reporter')}
          </legend>
          <Muted>{t('web.intake.reporterNote')}</Muted>
          <Space wrap size={16} style={{ marginTop: 8 }}>
            <Form.Item
              name="reporterName"
              label={t('web.intake.reporterName')}
              dependencies={['reporterContact']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: async (_r, v: string | undefined) => {
                    if (blank(v) && !blank(getFieldValue('reporterContact') as string | undefined))
                      throw new Error(t('web.form.required'));
                  },
                }),
              ]}
            >
              <Input maxLength={100} style={{ width: 220 }} />
            </Form.Item>
            <Form.Item
              name="reporterContact"
              label={t('web.intake.reporterContact')}
              dependencies={['reporterName']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: async (_r, v: string | undefined) => {
                    if (blank(v) && !blank(getFieldValue('reporterName') as string | undefined))
                      throw new Error(t('web.form.required'));
                  },
                }),
              ]}
            >
              <Input maxLength={200} style={{ width: 220 }} />
            </Form.Item>
          </Space>
        </fieldset>
      </StepForm>
    </Card>
  );
}
