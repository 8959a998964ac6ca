/**
 * A unit's campaign deliverables: what is due when and what was filed, and the three filings —
 * implementation plan, work information (at least the required number), summary report with at most
 * three typical cases chosen from the unit's own clues.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import {
  Button,
  Card,
  Collapse,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { ApiError, api, ok, type Schemas } from '../api/client';
import { useT } from '../i18n';
import { StepForm, picked, req } from '../app/forms';
import { Loading } from '../app/routes';
import { PageError, readFailed } from './PageError';
import { WORK_INFORMATION_TYPES } from '../../../src/domain/enums';

type Progress = Schemas['CampaignDeliverableProgress'];

const STATUS_COLOUR: Record<Progress['status'], string> = {
  pending: 'blue',
  overdue: 'red',
  filed: 'green',
  filed_late: 'orange',
  cancelled: 'default',
};

function Status({ p }: { p: Progress }) {
  const { t, label, when } = useT();
  return (
    <Space wrap>
      <Tag color={STATUS_COLOUR[p.status]} data-testid="deliverable-status" data-status={p.status}>
        {t(`web.deliverable.${p.status}`)}
      </Tag>
      {p.dueAt && (
        <Typography.Text type="secondary">
          {t('web.clock.due')} {when(p.dueAt)}
        </Typography.Text>
      )}
      {p.overdueLevel > 0 && <Tag color="volcano">{label('level', p.overdueLevel)}</Tag>}
    </Space>
  );
}

const lines = (s: string | undefined) =>
  (s ?? '')
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

interface Ids {
  campaignId: string;
  unitId: string;
  onDone: () => void;
}

function PlanForm({ campaignId, unitId, onDone }: Ids) {
  const { t } = useT();
  const required = req(t('web.form.required'));
  return (
    <StepForm
      name="implementation-plan"
      testId="submit-implementation-plan"
      submitLabel={t('web.campaign.fileplan')}
      refusals="filing"
      onDone={onDone}
      initialValues={{ responsibilities: [{}] }}
      send={(v: {
        riskPoints: string;
        measures: string;
        responsibilities: { duty: string; responsible: string }[];
        notes?: string;
      }) =>
        ok(
          api.POST('/api/v1/campaigns/{id}/units/{unitId}/implementation-plan', {
            params: { path: { id: campaignId, unitId } },
            body: {
              riskPoints: lines(v.riskPoints),
              measures: lines(v.measures),
              responsibilities: v.responsibilities,
              ...(v.notes?.trim() ? { notes: v.notes } : {}),
            },
          }),
        )
      }
    >
      <Form.Item
        name="riskPoints"
        label={t('web.campaign.riskPoints')}
        extra={t('web.campaign.onePerLine')}
        rules={required}
      >
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item
        name="measures"
        label={t('web.campaign.measures')}
        extra={t('web.campaign.onePerLine')}
        rules={required}
      >
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.List name="responsibilities">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Space key={f.key} wrap align="start">
                <Form.Item
                  name={[f.name, 'duty']}
                  label={t('web.campaign.duty', { n: i + 1 })}
                  rules={required}
                >
                  <Input style={{ width: 220 }} />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'responsible']}
                  label={t('web.campaign.responsible', { n: i + 1 })}
                  rules={required}
                >
                  <Input style={{ width: 160 }} />
                </Form.Item>
                {fields.length > 1 && (
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    aria-label={t('web.campaign.removeDuty', { n: i + 1 })}
                    onClick={() => remove(f.name)}
                    style={{ marginTop: 30 }}
                  />
                )}
              </Space>
            ))}
            <Form.Item>
              <Button icon={<PlusOutlined />} onClick={() => add()}>
                {t('web.campaign.addDuty')}
              </Button>
            </Form.Item>
          </>
        )}
      </Form.List>
      <Form.Item name="notes" label={t('web.campaign.notes')}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </StepForm>
  );
}

function InformationForm({ campaignId, unitId, onDone }: Ids) {
  const { t, label } = useT();
  const required = req(t('web.form.required'));
  return (
    <StepForm
      name="information"
      testId="submit-information"
      submitLabel={t('web.campaign.fileInfo')}
      refusals="filing"
      onDone={onDone}
      send={(body: { type: (typeof WORK_INFORMATION_TYPES)[number]; title: string; content: string }) =>
        ok(
          api.POST('/api/v1/campaigns/{id}/units/{unitId}/information', {
            params: { path: { id: campaignId, unitId } },
            body,
          }),
        )
      }
    >
      <Form.Item name="type" label={t('web.campaign.infoType')} rules={picked(t('web.form.required'))}>
        <Select
          options={WORK_INFORMATION_TYPES.map((x) => ({ value: x, label: label('workInformation', x) }))}
        />
      </Form.Item>
      <Form.Item name="title" label={t('web.campaign.infoTitle')} rules={required}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="content" label={t('web.campaign.infoContent')} rules={required}>
        <Input.TextArea rows={4} />
      </Form.Item>
    </StepForm>
  );
}

const REPORT_FIELDS = [
  'overallSituation',
  'regionalDistribution',
  'causes',
  'difficultiesAndOutlook',
  'nextSteps',
] as const;

type ReportFields = Record<(typeof REPORT_FIELDS)[number], string> & {
  typicalCases?: { clue: string; title: string; summary: string }[];
};

function SummaryForm({ campaignId, unitId, onDone, max }: Ids & { max: number }) {
  const { t } = useT();
  const clues = useQuery({
    queryKey: ['clues', 'unit', unitId],
    queryFn: () => ok(api.GET('/api/v1/clues', { params: { query: { unit: unitId, limit: 200 } } })),
  });
  const required = req(t('web.form.required'));
  return (
    <StepForm
      name="summary-report"
      testId="submit-summary-report"
      submitLabel={t('web.campaign.fileReport')}
      refusals="filing"
      onDone={onDone}
      send={(v: ReportFields) =>
        ok(
          api.POST('/api/v1/campaigns/{id}/units/{unitId}/summary-report', {
            params: { path: { id: campaignId, unitId } },
            body: {
              overallSituation: v.overallSituation,
              regionalDistribution: v.regionalDistribution,
              causes: v.causes,
              difficultiesAndOutlook: v.difficultiesAndOutlook,
              nextSteps: v.nextSteps,
              typicalCases: v.typicalCases ?? [],
            },
          }),
        )
      }
    >
      {REPORT_FIELDS.map((f) => (
        <Form.Item key={f} name={f} label={t(`web.campaign.report.${f}`)} rules={required}>
          <Input.TextArea rows={3} />
        </Form.Item>
      ))}
      <Typography.Text strong>{t('web.campaign.typicalCases', { max })}</Typography.Text>
      <Form.List name="typicalCases">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Card key={f.key} size="small" style={{ marginTop: 8 }}>
                <Form.Item
                  name={[f.name, 'clue']}
                  label={t('web.campaign.caseClue', { n: i + 1 })}
                  rules={required}
                >
                  <Select
                    showSearch={{ optionFilterProp: 'label' }}
                    loading={clues.isLoading}
                    options={(clues.data?.items ?? []).map((c) => ({
                      value: c.ref,
                      label: `${c.ref} ${c.subjectName}`,
                    }))}
                  />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'title']}
                  label={t('web.campaign.caseTitle', { n: i + 1 })}
                  rules={required}
                >
                  <Input maxLength={200} />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'summary']}
                  label={t('web.campaign.caseSummary', { n: i + 1 })}
                  rules={required}
                >
                  <Input.TextArea rows={3} />
                </Form.Item>
                <Button icon={<MinusCircleOutlined />} onClick={() => remove(f.name)}>
                  {t('web.campaign.removeCase', { n: i + 1 })}
                </Button>
              </Card>
            ))}
            <Form.Item style={{ marginTop: 8 }}>
              <Button icon={<PlusOutlined />} onClick={() => add()} disabled={fields.length >= max}>
                {t('web.campaign.addCase')}
              </Button>
            </Form.Item>
          </>
        )}
      </Form.List>
    </StepForm>
  );
}

export default function CampaignUnit() {
  const { campaignId = '', unitId = '' } = useParams();
  const { t, label, when, locale } = useT();
  const qc = useQueryClient();
  const progress = useQuery({
    queryKey: ['campaign', campaignId, 'progress'],
    queryFn: () => ok(api.GET('/api/v1/campaigns/{id}/progress', { params: { path: { id: campaignId } } })),
  });
  const filed = useQuery({
    queryKey: ['campaign', campaignId, 'units', unitId, 'deliverables'],
    queryFn: () =>
      ok(
        api.GET('/api/v1/campaigns/{id}/units/{unitId}/deliverables', {
          params: { path: { id: campaignId, unitId } },
        }),
      ),
  });
  const failed = [progress, filed].find(readFailed);
  if (failed) return <PageError error={failed.error} />;
  if (!progress.data || !filed.data) return <Loading />;
  const c = progress.data;
  const u = c.units.find((x) => x.unitId === unitId);
  if (!u) return <PageError error={new ApiError({ status: 404 })} />;
  const open = u.status === 'active' && c.status === 'active';
  const d = u.deliverables;
  const onDone = () => {
    void qc.invalidateQueries({ queryKey: ['campaign', campaignId] });
    void qc.invalidateQueries({ queryKey: ['clocks'] });
  };
  const ids = { campaignId, unitId, onDone };
  const forms = [
    d.implementationPlan.status !== 'filed' &&
    d.implementationPlan.status !== 'filed_late' &&
    d.implementationPlan.status !== 'cancelled'
      ? { key: 'plan', label: t('web.campaign.implementationPlan'), children: <PlanForm {...ids} /> }
      : null,
    d.workInformation.status !== 'cancelled'
      ? { key: 'info', label: t('web.campaign.workInformation'), children: <InformationForm {...ids} /> }
      : null,
    d.summaryReport.status !== 'filed' &&
    d.summaryReport.status !== 'filed_late' &&
    d.summaryReport.status !== 'cancelled'
      ? {
          key: 'report',
          label: t('web.campaign.summaryReport'),
          children: <SummaryForm {...ids} max={c.requirements.maxTypicalCases} />,
        }
      : null,
  ].filter((x) => x !== null);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {c.name}
        </Typography.Title>
        <Space wrap style={{ marginTop: 8 }}>
          <Typography.Text>{locale === 'en' ? u.unitName.en : u.unitName.zh}</Typography.Text>
          <Tag>{label('campaignPhase', c.phase)}</Tag>
        </Space>
      </Card>
      <Card title={t('web.campaign.deliverables')} size="small">
        <Descriptions
          column={1}
          size="small"
          items={[
            {
              key: 'plan',
              label: t('web.campaign.implementationPlan'),
              children: <Status p={d.implementationPlan} />,
            },
            {
              key: 'info',
              label: t('web.campaign.workInformation'),
              children: (
                <Space orientation="vertical" size={2}>
                  <Status p={d.workInformation} />
                  <Typography.Text type="secondary">
                    {t('web.campaign.infoCount', {
                      n: d.workInformation.filedCount,
                      required: d.workInformation.required,
                    })}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              key: 'report',
              label: t('web.campaign.summaryReport'),
              children: <Status p={d.summaryReport} />,
            },
          ]}
        />
      </Card>
      {open && forms.length > 0 && (
        // A filing removes its form: open the next one.
        <Collapse
          key={forms.map((f) => f.key).join()}
          defaultActiveKey={forms[0]?.key}
          items={forms}
          data-testid="deliverable-forms"
        />
      )}
      <Card title={t('web.campaign.filed')} size="small">
        <List
          size="small"
          dataSource={filed.data.items}
          locale={{ emptyText: <Empty description={t('web.campaign.nothingFiled')} /> }}
          renderItem={(x) => (
            <List.Item key={`${x.kind}:${x.seq}`}>
              <Space wrap>
                <strong>{t(`web.campaign.kind.${x.kind}`)}</strong>
                {typeof x.content.title === 'string' && <span>{x.content.title}</span>}
                <Typography.Text type="secondary">{when(x.filedAt)}</Typography.Text>
                {x.late && <Tag color="orange">{t('web.deliverable.filed_late')}</Tag>}
              </Space>
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}
