/**
 * The shell every step form shares: a vertical antd form that sends its values through a typed call
 * (the API path stays a literal at the call site), shows what the server said, and one submit button.
 */
import { useState, type ReactNode } from 'react';
import { App, Button, DatePicker, Form, Radio, type DatePickerProps, type FormInstance } from 'antd';
import { ApiError } from '../api/client';
import { useT } from '../i18n';

/**
 * How a refusal reads. `step` (clue stages): the generic texts, and a 409 reloads the page's state
 * (the stage moved on). `filing` (campaign deliverables): the server's own words, the form stays.
 */
export type Refusals = 'step' | 'filing';

/** Submits, shows field errors from a 422 next to their fields, and says what a 409 means. */
function useSubmit<T>(form: FormInstance<T>, onDone: () => void, refusals: Refusals) {
  const { message } = App.useApp();
  const { t } = useT();
  const [busy, setBusy] = useState(false);
  const filing = refusals === 'filing';
  // Marked, so a reader of the page (or a test) tells the form's answer from any other toast.
  const refused = (text: string) => message.error(<span data-testid="step-refused">{text}</span>);
  const run = async (send: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await send();
      message.success(<span data-testid="step-saved">{t('web.form.saved')}</span>);
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
        refused((filing ? err.problem.errors[0]?.message : undefined) ?? t('web.form.invalid'));
      } else if (err instanceof ApiError && err.status === 409) {
        refused((filing ? err.problem.detail : undefined) ?? t('web.form.conflict'));
        if (!filing) onDone();
      } else if (err instanceof ApiError && err.status === 403 && !filing) {
        refused(t('web.error.forbidden'));
      } else {
        refused(t('web.error.unavailable'));
      }
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

/** A text that must be filled in (blank spaces do not count). */
export const req = (message: string) => [{ required: true, whitespace: true, message }];
/** A choice that must be made. */
export const picked = (message: string) => [{ required: true, message }];

export function StepForm<T extends object>(props: {
  name: string;
  /** data-testid of the submit button */
  testId: string;
  submitLabel: ReactNode;
  send: (values: T) => Promise<unknown>;
  onDone: () => void;
  refusals?: Refusals;
  initialValues?: Record<string, unknown>;
  children: ReactNode;
}) {
  const [form] = Form.useForm<T>();
  const { busy, run } = useSubmit(form, props.onDone, props.refusals ?? 'step');
  return (
    <Form<T>
      form={form}
      name={props.name}
      layout="vertical"
      initialValues={props.initialValues}
      onFinish={(v) => void run(() => props.send(v))}
    >
      {props.children}
      <Button type="primary" htmlType="submit" loading={busy} data-testid={props.testId}>
        {props.submitLabel}
      </Button>
    </Form>
  );
}

/** A required yes/no question as two radio buttons, in the order given. */
export function YesNoItem(props: {
  name: string;
  label: string;
  yes: string;
  no: string;
  noFirst?: boolean;
}) {
  const { t } = useT();
  const yes = { label: props.yes, value: true };
  const no = { label: props.no, value: false };
  return (
    <Form.Item name={props.name} label={props.label} rules={picked(t('web.form.required'))}>
      <Radio.Group options={props.noFirst ? [no, yes] : [yes, no]} />
    </Form.Item>
  );
}

/**
 * A deadline to the minute. A typed time is kept when focus moves on (Tab, or a click elsewhere), without
 * the panel's OK button (antd's default with a time part): an officer who types a date and tabs on has set it.
 */
export function DueTimePicker(props: DatePickerProps) {
  return (
    <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" needConfirm={false} {...props} />
  );
}
