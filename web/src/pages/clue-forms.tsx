/**
 * The forms of the clue page, one per transition. Which ones show: the stage's allowed transitions
 * (from the workflow's live state) met with what the reader's unit may do on this clue.
 */
import { useState, type ReactNode } from 'react';
import {
  App,
  Button,
  Checkbox,
  Collapse,
  DatePicker,
  Form,
  Input,
  Radio,
  Select,
  Space,
  Typography,
  type FormInstance,
} from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { ApiError, api, ok, type Schemas } from '../api/client';
import type { Me } from '../app/session';
import { useT } from '../i18n';
import type { Relation } from './Clue';
import { NATURES, STRATEGIES } from '../../../src/domain/enums';

type State = NonNullable<Schemas['ClueState']>;

export const FORM_KINDS = [
  'verification',
  'classification',
  'plan',
  'milestone-completion',
  'actions',
  'referral',
  'follow-ups',
  'closure',
  'information-exchange',
  'deadline-extensions',
] as const;
export type FormKind = (typeof FORM_KINDS)[number];

const LEAD_FORMS: FormKind[] = [
  'verification',
  'classification',
  'plan',
  'milestone-completion',
  'actions',
  'referral',
  'follow-ups',
  'closure',
];

const isOpen = (c: State['clocks'][number]) => c.status === 'open' || c.status === 'paused';

/** The clocks of the reader's unit on which an extension may still be asked. */
function extendable(me: Me, s: State) {
  return s.clocks.filter((c) => isOpen(c) && c.unitId === me.unitId && !c.pendingExtensionId);
}

export function formsFor(me: Me, relation: Relation, s: State): FormKind[] {
  if (me.role !== 'unit_officer') return [];
  const allowed = new Set(s.allowedTransitions);
  const out: FormKind[] = [];
  if (relation === 'lead') {
    for (const f of LEAD_FORMS) {
      if (!allowed.has(f)) continue;
      if (f === 'milestone-completion' && !s.milestones.some((m) => !m.completedAt)) continue;
      out.push(f);
    }
  }
  if (
    relation === 'co' &&
    allowed.has('information-exchange') &&
    s.clocks.some((c) => c.task === 'exchange' && c.unitId === me.unitId && isOpen(c))
  )
    out.push('information-exchange');
  if (
    (relation === 'lead' || relation === 'co') &&
    allowed.has('deadline-extensions') &&
    extendable(me, s).length > 0
  )
    out.push('deadline-extensions');
  return out;
}

/** Submits, shows field errors from a 422 next to their fields, and says what a 409 means. */
function useSubmit<T>(form: FormInstance<T>, onDone: () => void) {
  const { message } = App.useApp();
  const { t } = useT();
  const [busy, setBusy] = useState(false);
  const run = async (send: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await send();
      message.success(t('web.form.saved'));
      form.resetFields();
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.problem.errors?.length) {
        form.setFields(
          err.problem.errors.map((e) => ({
            name: e.path as (string | number)[],
            errors: [e.message],
          })) as never,
        );
        message.error(t('web.form.invalid'));
      } else if (err instanceof ApiError && err.status === 409) {
        message.error(t('web.form.conflict'));
        onDone();
      } else if (err instanceof ApiError && err.status === 403) {
        message.error(t('web.error.forbidden'));
      } else {
        message.error(t('web.error.unavailable'));
      }
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

/**
 * A picked date and time read as Beijing time, whatever the browser's zone: deadlines are Beijing
 * time and every page shows them so (a picker in another zone would otherwise shift them).
 */
export const beijingIso = (d: Dayjs) => `${d.format('YYYY-MM-DDTHH:mm')}:00+08:00`;

const req = (message: string) => [{ required: true, whitespace: true, message }];

function Submit({ busy, children, testId }: { busy: boolean; children: ReactNode; testId: string }) {
  return (
    <Button type="primary" htmlType="submit" loading={busy} data-testid={testId}>
      {children}
    </Button>
  );
}

interface FormProps {
  clueId: string;
  state: State;
  me: Me;
  onDone: () => void;
}

function VerificationForm({ clueId, onDone }: FormProps) {
  const { t } = useT();
  const [form] = Form.useForm<{ findings: string; factsConfirmed: boolean }>();
  const { busy, run } = useSubmit(form, onDone);
  return (
    <Form
      form={form}
      name="verification"
      layout="vertical"
      onFinish={(v) =>
        void run(() =>
          ok(api.POST('/api/v1/clues/{id}/verification', { params: { path: { id: clueId } }, body: v })),
        )
      }
    >
      <Form.Item
        name="factsConfirmed"
        label={t('web.form.factsConfirmedQ')}
        rules={[{ required: true, message: t('web.form.required') }]}
      >
        <Radio.Group
          options={[
            { label: t('web.form.factsConfirmed'), value: true },
            { label: t('web.form.factsNotConfirmed'), value: false },
          ]}
        />
      </Form.Item>
      <Form.Item name="findings" label={t('web.form.findings')} rules={req(t('web.form.required'))}>
        <Input.TextArea rows={4} maxLength={4000} />
      </Form.Item>
      <Submit busy={busy} testId="submit-verification">
        {t('web.form.submitVerification')}
      </Submit>
    </Form>
  );
}

const ABILITY = ['none', 'partial', 'full', 'unknown'] as const;
const WILLINGNESS = ['none', 'low', 'high', 'unknown'] as const;

function ClassificationForm({ clueId, onDone }: FormProps) {
  const { t, label } = useT();
  const [form] = Form.useForm<{
    nature: (typeof NATURES)[number];
    repaymentAbility: (typeof ABILITY)[number];
    repaymentWillingness: (typeof WILLINGNESS)[number];
    reasoning: string;
  }>();
  const { busy, run } = useSubmit(form, onDone);
  return (
    <Form
      form={form}
      name="classification"
      layout="vertical"
      onFinish={(v) =>
        void run(() =>
          ok(
            api.POST('/api/v1/clues/{id}/classification', {
              params: { path: { id: clueId } },
              body: v,
            }),
          ),
        )
      }
    >
      <Form.Item
        name="nature"
        label={t('web.form.nature')}
        rules={[{ required: true, message: t('web.form.required') }]}
      >
        <Select options={NATURES.map((n) => ({ value: n, label: label('nature', n) }))} />
      </Form.Item>
      <Form.Item
        name="repaymentAbility"
        label={t('web.form.repaymentAbility')}
        rules={[{ required: true, message: t('web.form.required') }]}
      >
        <Select options={ABILITY.map((n) => ({ value: n, label: label('web.repaymentAbility', n) }))} />
      </Form.Item>
      <Form.Item
        name="repaymentWillingness"
        label={t('web.form.repaymentWillingness')}
        rules={[{ required: true, message: t('web.form.required') }]}
      >
        <Select
          options={WILLINGNESS.map((n) => ({ value: n, label: label('web.repaymentWillingness', n) }))}
        />
      </Form.Item>
      <Form.Item name="reasoning" label={t('web.form.reasoning')} rules={req(t('web.form.required'))}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
      <Submit busy={busy} testId="submit-classification">
        {t('web.form.submitClassification')}
      </Submit>
    </Form>
  );
}

interface PlanFields {
  strategies: (typeof STRATEGIES)[number][];
  measures: string;
  responsiblePerson: string;
  milestones: { title: string; dueAt: Dayjs }[];
}

function PlanForm({ clueId, onDone }: FormProps) {
  const { t, label } = useT();
  const [form] = Form.useForm<PlanFields>();
  const { busy, run } = useSubmit(form, onDone);
  return (
    <Form
      form={form}
      name="plan"
      layout="vertical"
      initialValues={{ milestones: [{}] }}
      onFinish={(v) =>
        void run(() =>
          ok(
            api.POST('/api/v1/clues/{id}/plan', {
              params: { path: { id: clueId } },
              body: {
                strategies: v.strategies,
                measures: v.measures,
                responsiblePerson: v.responsiblePerson,
                milestones: v.milestones.map((m) => ({ title: m.title, dueAt: beijingIso(m.dueAt) })),
              },
            }),
          ),
        )
      }
    >
      <Form.Item
        name="strategies"
        label={t('web.form.strategies')}
        rules={[{ required: true, message: t('web.form.required') }]}
      >
        <Checkbox.Group options={STRATEGIES.map((s) => ({ value: s, label: label('strategy', s) }))} />
      </Form.Item>
      <Form.Item name="measures" label={t('web.form.measures')} rules={req(t('web.form.required'))}>
        <Input.TextArea rows={4} maxLength={4000} />
      </Form.Item>
      <Form.Item
        name="responsiblePerson"
        label={t('web.form.responsiblePerson')}
        rules={req(t('web.form.required'))}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Typography.Text strong>{t('web.form.milestones')}</Typography.Text>
      <Form.List name="milestones">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Space key={f.key} align="start" wrap style={{ display: 'flex', marginTop: 8 }}>
                <Form.Item
                  name={[f.name, 'title']}
                  label={t('web.form.milestoneTitle', { n: i + 1 })}
                  rules={req(t('web.form.required'))}
                >
                  <Input maxLength={300} style={{ width: 220 }} />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'dueAt']}
                  label={t('web.form.milestoneDue', { n: i + 1 })}
                  rules={[{ required: true, message: t('web.form.required') }]}
                >
                  <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
                </Form.Item>
                {fields.length > 1 && (
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    aria-label={t('web.form.removeMilestone', { n: i + 1 })}
                    onClick={() => remove(f.name)}
                    style={{ marginTop: 30 }}
                  />
                )}
              </Space>
            ))}
            <Form.Item>
              <Button icon={<PlusOutlined />} onClick={() => add()} data-testid="add-milestone">
                {t('web.form.addMilestone')}
              </Button>
            </Form.Item>
          </>
        )}
      </Form.List>
      <Submit busy={busy} testId="submit-plan">
        {t('web.form.submitPlan')}
      </Submit>
    </Form>
  );
}

function MilestoneCompletion({ clueId, state, onDone }: FormProps) {
  const { t, when } = useT();
  const open = state.milestones.filter((m) => !m.completedAt);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {open.map((m) => (
        <MilestoneRow
          key={m.id}
          clueId={clueId}
          m={m}
          due={when(m.dueAt)}
          onDone={onDone}
          label={t('web.form.completionNote')}
        />
      ))}
    </Space>
  );
}

function MilestoneRow(props: {
  clueId: string;
  m: State['milestones'][number];
  due: string;
  label: string;
  onDone: () => void;
}) {
  const { t } = useT();
  const [form] = Form.useForm<{ note?: string }>();
  const { busy, run } = useSubmit(form, props.onDone);
  return (
    <Form
      form={form}
      name={`milestone-${props.m.id}`}
      layout="vertical"
      onFinish={(v) =>
        void run(() =>
          ok(
            api.POST('/api/v1/clues/{id}/milestones/{mid}/completion', {
              params: { path: { id: props.clueId, mid: props.m.id } },
              body: { note: v.note ?? '' },
            }),
          ),
        )
      }
    >
      <Typography.Text strong>{props.m.title}</Typography.Text>{' '}
      <Typography.Text type="secondary">{props.due}</Typography.Text>
      <Form.Item name="note" label={props.label} style={{ marginTop: 8 }}>
        <Input maxLength={4000} />
      </Form.Item>
      <Submit busy={busy} testId={`complete-${props.m.id}`}>
        {t('web.form.completeMilestone')}
      </Submit>
    </Form>
  );
}

/** One free-text field and a submit button (actions, referral, closure, information exchange). */
function TextForm(props: {
  name: string;
  field: string;
  label: string;
  submit: string;
  rows?: number;
  send: (text: string) => Promise<unknown>;
  onDone: () => void;
}) {
  const { t } = useT();
  const [form] = Form.useForm<Record<string, string>>();
  const { busy, run } = useSubmit(form, props.onDone);
  return (
    <Form
      form={form}
      name={props.name}
      layout="vertical"
      onFinish={(v) => void run(() => props.send(v[props.field] ?? ''))}
    >
      <Form.Item name={props.field} label={props.label} rules={req(t('web.form.required'))}>
        <Input.TextArea rows={props.rows ?? 3} maxLength={8000} />
      </Form.Item>
      <Submit busy={busy} testId={`submit-${props.name}`}>
        {props.submit}
      </Submit>
    </Form>
  );
}

function FollowUpForm({ clueId, onDone }: FormProps) {
  const { t } = useT();
  const [form] = Form.useForm<{ resurgence: boolean; findings: string }>();
  const { busy, run } = useSubmit(form, onDone);
  return (
    <Form
      form={form}
      name="follow-ups"
      layout="vertical"
      onFinish={(v) =>
        void run(() =>
          ok(api.POST('/api/v1/clues/{id}/follow-ups', { params: { path: { id: clueId } }, body: v })),
        )
      }
    >
      <Form.Item
        name="resurgence"
        label={t('web.form.resurgenceQ')}
        rules={[{ required: true, message: t('web.form.required') }]}
      >
        <Radio.Group
          options={[
            { label: t('web.form.resurgenceNo'), value: false },
            { label: t('web.form.resurgenceYes'), value: true },
          ]}
        />
      </Form.Item>
      <Form.Item name="findings" label={t('web.form.findings')} rules={req(t('web.form.required'))}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
      <Submit busy={busy} testId="submit-follow-ups">
        {t('web.form.submitFollowUp')}
      </Submit>
    </Form>
  );
}

function ExtensionForm({ clueId, state, me, onDone }: FormProps) {
  const { t, label, when } = useT();
  const [form] = Form.useForm<{ clockId: string; newDueAt: Dayjs; reason: string }>();
  const { busy, run } = useSubmit(form, onDone);
  const clocks = extendable(me, state);
  return (
    <Form
      form={form}
      name="deadline-extensions"
      layout="vertical"
      initialValues={{ clockId: clocks.length === 1 ? clocks[0]!.clockId : undefined }}
      onFinish={(v) =>
        void run(() =>
          ok(
            api.POST('/api/v1/clues/{id}/deadline-extensions', {
              params: { path: { id: clueId } },
              body: { clockId: v.clockId, newDueAt: beijingIso(v.newDueAt), reason: v.reason },
            }),
          ),
        )
      }
    >
      <Form.Item
        name="clockId"
        label={t('web.form.clock')}
        rules={[{ required: true, message: t('web.form.required') }]}
      >
        <Select
          options={clocks.map((c) => ({
            value: c.clockId,
            label: `${label('task', c.task)}${c.label && c.task === 'milestone' ? `：${c.label}` : ''} · ${when(c.dueAt)}`,
          }))}
        />
      </Form.Item>
      <Form.Item
        name="newDueAt"
        label={t('web.form.newDueAt')}
        rules={[{ required: true, message: t('web.form.required') }]}
      >
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
      </Form.Item>
      <Form.Item name="reason" label={t('web.form.reason')} rules={req(t('web.form.required'))}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
      <Submit busy={busy} testId="submit-deadline-extensions">
        {t('web.form.submitExtension')}
      </Submit>
    </Form>
  );
}

function formOf(kind: FormKind, p: FormProps): ReactNode {
  const path = { params: { path: { id: p.clueId } } };
  switch (kind) {
    case 'verification':
      return <VerificationForm {...p} />;
    case 'classification':
      return <ClassificationForm {...p} />;
    case 'plan':
      return <PlanForm {...p} />;
    case 'milestone-completion':
      return <MilestoneCompletion {...p} />;
    case 'follow-ups':
      return <FollowUpForm {...p} />;
    case 'deadline-extensions':
      return <ExtensionForm {...p} />;
    case 'actions':
      return <ActionsForm {...p} path={path} />;
    case 'referral':
      return <ReferralForm {...p} path={path} />;
    case 'closure':
      return <ClosureForm {...p} path={path} />;
    case 'information-exchange':
      return <ExchangeForm {...p} path={path} />;
  }
}

type WithPath = FormProps & { path: { params: { path: { id: string } } } };

function ActionsForm({ onDone, path }: WithPath) {
  const { t } = useT();
  return (
    <TextForm
      name="actions"
      field="description"
      label={t('web.form.actionDescription')}
      submit={t('web.form.submitAction')}
      onDone={onDone}
      send={(description) => ok(api.POST('/api/v1/clues/{id}/actions', { ...path, body: { description } }))}
    />
  );
}

function ReferralForm({ onDone, path }: WithPath) {
  const { t } = useT();
  return (
    <TextForm
      name="referral"
      field="reason"
      label={t('web.form.referralReason')}
      submit={t('web.form.submitReferral')}
      onDone={onDone}
      send={(reason) => ok(api.POST('/api/v1/clues/{id}/referral', { ...path, body: { reason } }))}
    />
  );
}

function ClosureForm({ onDone, path }: WithPath) {
  const { t } = useT();
  return (
    <TextForm
      name="closure"
      field="summary"
      rows={5}
      label={t('web.form.closureSummary')}
      submit={t('web.form.submitClosure')}
      onDone={onDone}
      send={(summary) => ok(api.POST('/api/v1/clues/{id}/closure', { ...path, body: { summary } }))}
    />
  );
}

function ExchangeForm({ onDone, path }: WithPath) {
  const { t } = useT();
  return (
    <TextForm
      name="information-exchange"
      field="summary"
      rows={4}
      label={t('web.form.exchangeSummary')}
      submit={t('web.form.submitExchange')}
      onDone={onDone}
      send={(summary) =>
        ok(api.POST('/api/v1/clues/{id}/information-exchange', { ...path, body: { summary } }))
      }
    />
  );
}

export function ClueForms(props: FormProps & { forms: FormKind[] }) {
  const { t } = useT();
  // A new stage brings new forms: open the first one (the step the stage waits for).
  return (
    <Collapse
      key={`${props.state.stage}:${props.forms.join(',')}`}
      defaultActiveKey={props.forms[0]}
      data-testid="forms"
      items={props.forms.map((k) => ({
        key: k,
        label: <span data-testid={`form-${k}`}>{t(`web.formTitle.${k}`)}</span>,
        children: formOf(k, props),
      }))}
    />
  );
}
