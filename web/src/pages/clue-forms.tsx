/**
 * The forms of the clue page, one per transition. Which ones show: the stage's allowed transitions
 * (from the workflow's live state) met with what the reader's unit may do on this clue.
 */
import { useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Checkbox, Collapse, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, ok, type Schemas } from '../api/client';
import { DueTimePicker, StepForm, YesNoItem, picked, req } from '../app/forms';
import type { Me } from '../app/session';
import { useT, type WebKey } from '../i18n';
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
  'plan-review',
  'closure-decision',
  'extension-decision',
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

/** The District Office's decisions: plan review, closure, extensions, and a returned referral sent again. */
function coordinatorForms(s: State): FormKind[] {
  const allowed = new Set(s.allowedTransitions);
  const out: FormKind[] = [];
  if (allowed.has('plan-review')) out.push('plan-review');
  if (allowed.has('closure-decision')) out.push('closure-decision');
  if (allowed.has('deadline-extension-decision') && s.clocks.some((c) => isOpen(c) && c.pendingExtensionId))
    out.push('extension-decision');
  const last = s.referrals[s.referrals.length - 1];
  if (allowed.has('referral') && last?.status === 'returned') out.push('referral');
  return out;
}

export function formsFor(me: Me, relation: Relation, s: State): FormKind[] {
  if (me.role === 'coordinator') return coordinatorForms(s);
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

/**
 * A picked date and time read as Beijing time, whatever the browser's zone: deadlines are Beijing
 * time and every page shows them so (a picker in another zone would otherwise shift them).
 */
export const beijingIso = (d: Dayjs) => `${d.format('YYYY-MM-DDTHH:mm')}:00+08:00`;

interface FormProps {
  clueId: string;
  state: State;
  me: Me;
  onDone: () => void;
}

function VerificationForm({ clueId, onDone }: FormProps) {
  const { t } = useT();
  return (
    <StepForm
      name="verification"
      testId="submit-verification"
      submitLabel={t('web.form.submitVerification')}
      onDone={onDone}
      send={(body: { findings: string; factsConfirmed: boolean }) =>
        ok(api.POST('/api/v1/clues/{id}/verification', { params: { path: { id: clueId } }, body }))
      }
    >
      <YesNoItem
        name="factsConfirmed"
        label={t('web.form.factsConfirmedQ')}
        yes={t('web.form.factsConfirmed')}
        no={t('web.form.factsNotConfirmed')}
      />
      <Form.Item name="findings" label={t('web.form.findings')} rules={req(t('web.form.required'))}>
        <Input.TextArea rows={4} maxLength={4000} />
      </Form.Item>
    </StepForm>
  );
}

const ABILITY = ['none', 'partial', 'full', 'unknown'] as const;
const WILLINGNESS = ['none', 'low', 'high', 'unknown'] as const;

interface ClassificationFields {
  nature: (typeof NATURES)[number];
  repaymentAbility: (typeof ABILITY)[number];
  repaymentWillingness: (typeof WILLINGNESS)[number];
  reasoning: string;
}

function ClassificationForm({ clueId, onDone }: FormProps) {
  const { t, label } = useT();
  const must = picked(t('web.form.required'));
  return (
    <StepForm
      name="classification"
      testId="submit-classification"
      submitLabel={t('web.form.submitClassification')}
      onDone={onDone}
      send={(body: ClassificationFields) =>
        ok(api.POST('/api/v1/clues/{id}/classification', { params: { path: { id: clueId } }, body }))
      }
    >
      <Form.Item name="nature" label={t('web.form.nature')} rules={must}>
        <Select options={NATURES.map((n) => ({ value: n, label: label('nature', n) }))} />
      </Form.Item>
      <Form.Item name="repaymentAbility" label={t('web.form.repaymentAbility')} rules={must}>
        <Select options={ABILITY.map((n) => ({ value: n, label: label('web.repaymentAbility', n) }))} />
      </Form.Item>
      <Form.Item name="repaymentWillingness" label={t('web.form.repaymentWillingness')} rules={must}>
        <Select
          options={WILLINGNESS.map((n) => ({ value: n, label: label('web.repaymentWillingness', n) }))}
        />
      </Form.Item>
      <Form.Item name="reasoning" label={t('web.form.reasoning')} rules={req(t('web.form.required'))}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
    </StepForm>
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
  return (
    <StepForm
      name="plan"
      testId="submit-plan"
      submitLabel={t('web.form.submitPlan')}
      onDone={onDone}
      initialValues={{ milestones: [{}] }}
      send={(v: PlanFields) =>
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
        )
      }
    >
      <Form.Item name="strategies" label={t('web.form.strategies')} rules={picked(t('web.form.required'))}>
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
                  rules={picked(t('web.form.required'))}
                >
                  <DueTimePicker />
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
    </StepForm>
  );
}

function MilestoneCompletion({ clueId, state, onDone }: FormProps) {
  const { t, when } = useT();
  const open = state.milestones.filter((m) => !m.completedAt);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {open.map((m) => (
        <StepForm
          key={m.id}
          name={`milestone-${m.id}`}
          testId={`complete-${m.id}`}
          submitLabel={t('web.form.completeMilestone')}
          onDone={onDone}
          send={(v: { note?: string }) =>
            ok(
              api.POST('/api/v1/clues/{id}/milestones/{mid}/completion', {
                params: { path: { id: clueId, mid: m.id } },
                body: { note: v.note ?? '' },
              }),
            )
          }
        >
          <Typography.Text strong>{m.title}</Typography.Text>{' '}
          <Typography.Text type="secondary">{when(m.dueAt)}</Typography.Text>
          <Form.Item name="note" label={t('web.form.completionNote')} style={{ marginTop: 8 }}>
            <Input maxLength={4000} />
          </Form.Item>
        </StepForm>
      ))}
    </Space>
  );
}

/** One free-text field and a submit button (actions, referral, closure, information exchange). */
function TextForm(props: {
  name: string;
  field: string;
  label: WebKey;
  submit: WebKey;
  rows?: number;
  send: (text: string) => Promise<unknown>;
  onDone: () => void;
}) {
  const { t } = useT();
  return (
    <StepForm
      name={props.name}
      testId={`submit-${props.name}`}
      submitLabel={t(props.submit)}
      onDone={props.onDone}
      send={(v: Record<string, string>) => props.send(v[props.field] ?? '')}
    >
      <Form.Item name={props.field} label={t(props.label)} rules={req(t('web.form.required'))}>
        <Input.TextArea rows={props.rows ?? 3} maxLength={8000} />
      </Form.Item>
    </StepForm>
  );
}

function FollowUpForm({ clueId, onDone }: FormProps) {
  const { t } = useT();
  return (
    <StepForm
      name="follow-ups"
      testId="submit-follow-ups"
      submitLabel={t('web.form.submitFollowUp')}
      onDone={onDone}
      send={(body: { resurgence: boolean; findings: string }) =>
        ok(api.POST('/api/v1/clues/{id}/follow-ups', { params: { path: { id: clueId } }, body }))
      }
    >
      <YesNoItem
        name="resurgence"
        label={t('web.form.resurgenceQ')}
        yes={t('web.form.resurgenceYes')}
        no={t('web.form.resurgenceNo')}
        noFirst
      />
      <Form.Item name="findings" label={t('web.form.findings')} rules={req(t('web.form.required'))}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
    </StepForm>
  );
}

function ExtensionForm({ clueId, state, me, onDone }: FormProps) {
  const { t, label, when } = useT();
  const clocks = extendable(me, state);
  return (
    <StepForm
      name="deadline-extensions"
      testId="submit-deadline-extensions"
      submitLabel={t('web.form.submitExtension')}
      onDone={onDone}
      initialValues={{ clockId: clocks.length === 1 ? clocks[0]!.clockId : undefined }}
      send={(v: { clockId: string; newDueAt: Dayjs; reason: string }) =>
        ok(
          api.POST('/api/v1/clues/{id}/deadline-extensions', {
            params: { path: { id: clueId } },
            body: { clockId: v.clockId, newDueAt: beijingIso(v.newDueAt), reason: v.reason },
          }),
        )
      }
    >
      <Form.Item name="clockId" label={t('web.form.clock')} rules={picked(t('web.form.required'))}>
        <Select
          options={clocks.map((c) => ({
            value: c.clockId,
            label: `${label('task', c.task)}${c.label && c.task === 'milestone' ? `：${c.label}` : ''} · ${when(c.dueAt)}`,
          }))}
        />
      </Form.Item>
      <Form.Item name="newDueAt" label={t('web.form.newDueAt')} rules={picked(t('web.form.required'))}>
        <DueTimePicker />
      </Form.Item>
      <Form.Item name="reason" label={t('web.form.reason')} rules={req(t('web.form.required'))}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
    </StepForm>
  );
}

/** Approve, or return with a comment (plan review, closure review, extension requests). */
function DecisionForm(props: {
  name: string;
  approve: 'approve';
  reject: 'return' | 'reject';
  rejectLabel: WebKey;
  send: (decision: 'approve' | 'return' | 'reject', comment: string) => Promise<unknown>;
  onDone: () => void;
  children?: ReactNode;
}) {
  const { t } = useT();
  return (
    <StepForm
      name={props.name}
      testId={`submit-${props.name}`}
      submitLabel={t('web.decision.submit')}
      onDone={props.onDone}
      send={(v: { decision: 'approve' | 'return' | 'reject'; comment?: string }) =>
        props.send(v.decision, v.comment ?? '')
      }
    >
      {props.children}
      <Form.Item name="decision" label={t('web.decision.label')} rules={picked(t('web.form.required'))}>
        <Radio.Group
          options={[
            { value: props.approve, label: t('web.decision.approve') },
            { value: props.reject, label: t(props.rejectLabel) },
          ]}
        />
      </Form.Item>
      <Form.Item
        name="comment"
        label={t('web.decision.comment')}
        dependencies={['decision']}
        rules={[
          ({ getFieldValue }) => ({
            validator: async (_r, v: string | undefined) => {
              if (getFieldValue('decision') !== props.approve && (!v || v.trim() === ''))
                throw new Error(t('web.decision.commentRequired'));
            },
          }),
        ]}
      >
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
    </StepForm>
  );
}

/** One decision per pending extension, with what was asked (from the timeline). */
function ExtensionDecisions({ clueId, state, onDone }: FormProps) {
  const { t, label, when } = useT();
  const timeline = useQuery({
    queryKey: ['clue', clueId, 'timeline'],
    queryFn: () => ok(api.GET('/api/v1/clues/{id}/timeline', { params: { path: { id: clueId } } })),
  });
  const pending = state.clocks.filter((c) => isOpen(c) && c.pendingExtensionId);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {pending.map((c) => {
        const asked = timeline.data?.items.find(
          (e) => e.kind === 'clock.extension_requested' && e.data.extensionId === c.pendingExtensionId,
        )?.data;
        return (
          <DecisionForm
            key={c.clockId}
            name={`extension-decision-${c.pendingExtensionId}`}
            approve="approve"
            reject="reject"
            rejectLabel="web.decision.reject"
            onDone={onDone}
            send={(decision, comment) =>
              ok(
                api.POST('/api/v1/clues/{id}/deadline-extensions/{eid}/decision', {
                  params: { path: { id: clueId, eid: c.pendingExtensionId! } },
                  body: { decision: decision === 'approve' ? 'approve' : 'reject', comment },
                }),
              )
            }
          >
            <Typography.Paragraph>
              <strong>{label('task', c.task)}</strong> · {t('web.clock.due')} {when(c.dueAt)}
              {asked && typeof asked.newDueAt === 'string' && (
                <>
                  <br />
                  {t('web.form.newDueAt')}：{when(asked.newDueAt)}
                </>
              )}
              {asked && typeof asked.reason === 'string' && (
                <>
                  <br />
                  {t('web.form.reason')}：{asked.reason}
                </>
              )}
            </Typography.Paragraph>
          </DecisionForm>
        );
      })}
    </Space>
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
      return (
        <TextForm
          name="actions"
          field="description"
          label="web.form.actionDescription"
          submit="web.form.submitAction"
          onDone={p.onDone}
          send={(description) =>
            ok(api.POST('/api/v1/clues/{id}/actions', { ...path, body: { description } }))
          }
        />
      );
    case 'referral':
      return (
        <TextForm
          name="referral"
          field="reason"
          label="web.form.referralReason"
          submit="web.form.submitReferral"
          onDone={p.onDone}
          send={(reason) => ok(api.POST('/api/v1/clues/{id}/referral', { ...path, body: { reason } }))}
        />
      );
    case 'closure':
      return (
        <TextForm
          name="closure"
          field="summary"
          rows={5}
          label="web.form.closureSummary"
          submit="web.form.submitClosure"
          onDone={p.onDone}
          send={(summary) => ok(api.POST('/api/v1/clues/{id}/closure', { ...path, body: { summary } }))}
        />
      );
    case 'plan-review':
      return (
        <DecisionForm
          name="plan-review"
          approve="approve"
          reject="return"
          rejectLabel="web.decision.return"
          onDone={p.onDone}
          send={(decision, comment) =>
            ok(
              api.POST('/api/v1/clues/{id}/plan-review', {
                ...path,
                body: { decision: decision === 'approve' ? 'approve' : 'return', comment },
              }),
            )
          }
        />
      );
    case 'closure-decision':
      return (
        <DecisionForm
          name="closure-decision"
          approve="approve"
          reject="return"
          rejectLabel="web.decision.return"
          onDone={p.onDone}
          send={(decision, comment) =>
            ok(
              api.POST('/api/v1/clues/{id}/closure/decision', {
                ...path,
                body: { decision: decision === 'approve' ? 'approve' : 'return', comment },
              }),
            )
          }
        >
          {p.state.closure && (
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>
              {p.state.closure.summary}
            </Typography.Paragraph>
          )}
        </DecisionForm>
      );
    case 'extension-decision':
      return <ExtensionDecisions {...p} />;
    case 'information-exchange':
      return (
        <TextForm
          name="information-exchange"
          field="summary"
          rows={4}
          label="web.form.exchangeSummary"
          submit="web.form.submitExchange"
          onDone={p.onDone}
          send={(summary) =>
            ok(api.POST('/api/v1/clues/{id}/information-exchange', { ...path, body: { summary } }))
          }
        />
      );
  }
}

export function ClueForms(props: FormProps & { forms: FormKind[] }) {
  const { t } = useT();
  const first = props.forms[0];
  const [open, setOpen] = useState<string[]>(first ? [first] : []);
  const [waitingFor, setWaitingFor] = useState(first);
  // A new stage brings a new first form (the step it waits for): open it beside what is open. The
  // panels stay mounted across refreshes, so a form being filled keeps its values when a clock or
  // another form comes or goes.
  if (first !== waitingFor) {
    setWaitingFor(first);
    if (first && !open.includes(first)) setOpen([...open, first]);
  }
  return (
    <Collapse
      activeKey={open}
      onChange={(keys) => setOpen([keys].flat().map(String))}
      data-testid="forms"
      items={props.forms.map((k) => ({
        key: k,
        label: <span data-testid={`form-${k}`}>{t(`web.formTitle.${k}`)}</span>,
        children: formOf(k, props),
      }))}
    />
  );
}
