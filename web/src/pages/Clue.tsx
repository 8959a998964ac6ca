/**
 * The clue page: facts, live stage, every clock, the records so far, the timeline, and exactly the
 * forms the stage allows to the reader's unit (lead unit: the disposal steps; co-handling unit: its
 * information exchange; both: a deadline extension for their own clocks).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { Alert, Card, Col, Descriptions, Empty, List, Row, Space, Tag, Timeline, Typography } from 'antd';
import { api, ok, type Schemas } from '../api/client';
import { useMe, type Me } from '../app/session';
import { useUnitName } from '../app/units';
import { useT } from '../i18n';
import { Loading } from '../app/routes';
import { PageError, readFailed } from './PageError';
import { DaysLeft, Level } from './MyWork';
import { ClueForms, formsFor } from './clue-forms';
import { ReporterUnmask } from './reporter';

type Detail = Schemas['ClueDetail'];
type State = NonNullable<Schemas['ClueState']>;

export type Relation = 'lead' | 'co' | 'other';

export function relationOf(me: Me, d: Pick<Detail, 'leadUnitId' | 'coHandlingUnitIds'>): Relation {
  if (me.unitId && me.unitId === d.leadUnitId) return 'lead';
  if (me.unitId && d.coHandlingUnitIds.includes(me.unitId)) return 'co';
  return 'other';
}

const GRADE_COLOUR: Record<string, string> = { I: 'red', II: 'orange', III: 'gold', IV: 'blue' };

function Records({ s }: { s: State }) {
  const { t, label, when } = useT();
  const rows: { key: string; title: string; body: React.ReactNode }[] = [];
  if (s.verification)
    rows.push({
      key: 'verification',
      title: t('web.record.verification'),
      body: (
        <>
          <Tag color={s.verification.factsConfirmed ? 'green' : 'default'}>
            {t(s.verification.factsConfirmed ? 'web.form.factsConfirmed' : 'web.form.factsNotConfirmed')}
          </Tag>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>
            {s.verification.findings}
          </Typography.Paragraph>
        </>
      ),
    });
  if (s.classification)
    rows.push({
      key: 'classification',
      title: t('web.record.classification'),
      body: (
        <Typography.Paragraph>
          {label('nature', s.classification.nature)} · {t('web.form.repaymentAbility')}：
          {label('web.repaymentAbility', s.classification.repaymentAbility)} ·{' '}
          {t('web.form.repaymentWillingness')}：
          {label('web.repaymentWillingness', s.classification.repaymentWillingness)}
          <br />
          {s.classification.reasoning}
        </Typography.Paragraph>
      ),
    });
  if (s.plan)
    rows.push({
      key: 'plan',
      title: t('web.record.plan', { version: s.plan.version }),
      body: (
        <>
          <Space wrap>
            {s.plan.strategies.map((x) => (
              <Tag key={x}>{label('strategy', x)}</Tag>
            ))}
            <Tag color={s.plan.approvedAt ? 'green' : 'gold'}>
              {t(s.plan.approvedAt ? 'web.record.planApproved' : 'web.record.planPending')}
            </Tag>
          </Space>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 8 }}>
            {s.plan.measures}
          </Typography.Paragraph>
          <Typography.Text type="secondary">
            {t('web.form.responsiblePerson')}：{s.plan.responsiblePerson}
          </Typography.Text>
        </>
      ),
    });
  /** A record that is a list: shown once it has an entry. */
  const listRow = <X,>(
    key: string,
    title: string,
    items: X[],
    itemKey: (x: X, i: number) => React.Key,
    render: (x: X) => React.ReactNode,
  ) => {
    if (items.length === 0) return;
    rows.push({
      key,
      title,
      body: (
        <List
          size="small"
          dataSource={items}
          renderItem={(x, i) => <List.Item key={itemKey(x, i)}>{render(x)}</List.Item>}
        />
      ),
    });
  };
  listRow(
    'milestones',
    t('web.record.milestones'),
    s.milestones,
    (m) => m.id,
    (m) => (
      <Space wrap>
        <span>{m.title}</span>
        <Typography.Text type="secondary">{when(m.dueAt)}</Typography.Text>
        {m.completedAt ? <Tag color="green">{t('web.record.done')}</Tag> : <Tag>{t('web.record.open')}</Tag>}
      </Space>
    ),
  );
  listRow(
    'actions',
    t('web.record.actions'),
    s.actions,
    (_, i) => i,
    (a) => (
      <>
        {a.description} <Typography.Text type="secondary">{when(a.at)}</Typography.Text>
      </>
    ),
  );
  listRow(
    'referrals',
    t('web.record.referrals'),
    s.referrals,
    (r) => r.id,
    (r) => (
      <Space wrap>
        <Tag>{t(`web.referral.${r.status}`)}</Tag>
        {r.policeCaseNumber && <span>{r.policeCaseNumber}</span>}
        {r.reason && <span>{r.reason}</span>}
        <Typography.Text type="secondary">{when(r.sentAt)}</Typography.Text>
      </Space>
    ),
  );
  listRow(
    'followUps',
    t('web.record.followUps'),
    s.followUps,
    (f) => f.index,
    (f) => (
      <Space wrap>
        <Tag color={f.resurgence ? 'red' : 'green'}>
          {t(f.resurgence ? 'web.form.resurgenceYes' : 'web.form.resurgenceNo')}
        </Tag>
        {f.findings}
        <Typography.Text type="secondary">{when(f.at)}</Typography.Text>
      </Space>
    ),
  );
  if (s.closure)
    rows.push({
      key: 'closure',
      title: t('web.record.closure'),
      body: (
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{s.closure.summary}</Typography.Paragraph>
      ),
    });
  if (rows.length === 0) return null;
  return (
    <Card title={t('web.clue.records')} size="small">
      <Descriptions
        column={1}
        layout="vertical"
        items={rows.map((r) => ({ key: r.key, label: r.title, children: <div>{r.body}</div> }))}
      />
    </Card>
  );
}

function Clocks({ s }: { s: State }) {
  const { t, label, when } = useT();
  const unitName = useUnitName();
  const clocks = [...s.clocks].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return (
    <Card title={t('web.clue.clocks')} size="small" data-testid="clocks">
      <List
        size="small"
        dataSource={clocks}
        locale={{ emptyText: <Empty description={t('web.clue.noClocks')} /> }}
        renderItem={(c) => {
          const open = c.status === 'open' || c.status === 'paused';
          return (
            <List.Item key={c.clockId} data-clock={c.clockId} data-status={c.status}>
              <Space orientation="vertical" size={2}>
                <Space wrap>
                  <strong>
                    {label('task', c.task)}
                    {c.label && c.task === 'milestone' ? `：${c.label}` : ''}
                  </strong>
                  <Typography.Text type="secondary">{unitName(c.unitId)}</Typography.Text>
                </Space>
                <Space wrap>
                  <Typography.Text type="secondary">
                    {t('web.clock.due')} {when(c.dueAt)}
                  </Typography.Text>
                  {open ? (
                    <>
                      <DaysLeft days={daysLeftApprox(c.dueAt)} paused={c.status === 'paused'} />
                      <Level level={c.level} />
                    </>
                  ) : (
                    <Tag color={c.late ? 'red' : 'green'}>
                      {t(
                        c.status === 'cancelled'
                          ? 'web.clock.cancelled'
                          : c.late
                            ? 'web.clock.doneLate'
                            : 'web.clock.doneOnTime',
                      )}
                    </Tag>
                  )}
                  {c.pendingExtensionId && <Tag color="blue">{t('web.clock.extensionPending')}</Tag>}
                </Space>
              </Space>
            </List.Item>
          );
        }}
      />
    </Card>
  );
}

/** Calendar days until due, for clocks inside a clue (My work shows working days from the server). */
function daysLeftApprox(dueAt: string): number {
  const ms = new Date(dueAt).getTime() - Date.now();
  return ms >= 0 ? Math.floor(ms / 86_400_000) : -Math.ceil(-ms / 86_400_000);
}

function ClueTimeline({ id }: { id: string }) {
  const { t, label, when } = useT();
  const q = useQuery({
    queryKey: ['clue', id, 'timeline'],
    queryFn: () => ok(api.GET('/api/v1/clues/{id}/timeline', { params: { path: { id } } })),
  });
  const items = [...(q.data?.items ?? [])].reverse();
  return (
    <Card title={t('web.clue.timeline')} size="small" loading={q.isLoading} data-testid="timeline">
      {items.length === 0 ? (
        <Empty description={t('web.clue.noEvents')} />
      ) : (
        <Timeline
          items={items.map((e, i) => {
            const d = e.data as Record<string, unknown>;
            const detail =
              e.kind === 'stage.changed' && typeof d.to === 'string'
                ? label('stage', d.to)
                : typeof d.task === 'string'
                  ? label('task', d.task)
                  : '';
            return {
              key: i,
              content: (
                <>
                  <div>
                    {label('web.event', e.kind)}
                    {detail ? `：${detail}` : ''}
                  </div>
                  <Typography.Text type="secondary">
                    {when(e.at)}
                    {e.actorName || e.actorId ? ` · ${e.actorName ?? e.actorId}` : ''}
                  </Typography.Text>
                </>
              ),
            };
          })}
        />
      )}
    </Card>
  );
}

export default function CluePage() {
  const { clueId = '' } = useParams();
  const { t, label, when } = useT();
  const { me } = useMe();
  const unitName = useUnitName();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['clue', clueId],
    queryFn: () => ok(api.GET('/api/v1/clues/{id}', { params: { path: { id: clueId } } })),
    // The workflow moves on by itself (timers, escalations): keep the stage live.
    refetchInterval: 15_000,
  });
  if (readFailed(q)) return <PageError error={q.error} />;
  if (!q.data || !me) return <Loading />;
  if (q.data.view !== 'full') return <PageError error={null} />;
  const d = q.data;
  const s = d.state;
  const relation = relationOf(me, d);
  const forms = s ? formsFor(me, relation, s) : [];
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['clue', clueId] });
    void qc.invalidateQueries({ queryKey: ['clocks'] });
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {q.error && <Alert type="warning" showIcon title={t('web.error.stale')} data-testid="stale" />}
      <Card>
        <Space orientation="vertical" size={4} style={{ width: '100%' }}>
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0, overflowWrap: 'anywhere' }}>
            {d.subjectName}
          </Typography.Title>
          <Space wrap>
            <Typography.Text copyable data-testid="clue-ref">
              {d.ref}
            </Typography.Text>
            <Tag color="processing" data-testid="stage" data-stage={d.stage}>
              {label('stage', s?.stage ?? d.stage)}
            </Tag>
            <Tag color={GRADE_COLOUR[d.grade]}>{label('grade', d.grade)}</Tag>
            {d.keyClue && <Tag color="red">{t('web.clue.keyClue')}</Tag>}
            {d.overdueLevel > 0 && <Level level={d.overdueLevel} />}
          </Space>
        </Space>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            {forms.length > 0 && s ? (
              <ClueForms clueId={d.id} state={s} forms={forms} me={me} onDone={refresh} />
            ) : (
              <Card size="small">
                <Typography.Text type="secondary" data-testid="no-forms">
                  {t(d.stage === 'closed' ? 'web.clue.closed' : 'web.clue.nothingToDo')}
                </Typography.Text>
              </Card>
            )}
            {s && <Records s={s} />}
            <Card title={t('web.clue.facts')} size="small">
              <Descriptions
                column={{ xs: 1, sm: 1, md: 2 }}
                size="small"
                items={[
                  {
                    key: 'source',
                    label: t('web.fact.source'),
                    children: label('sourceChannel', d.sourceChannel),
                  },
                  { key: 'area', label: t('web.fact.keyArea'), children: label('keyArea', d.keyArea) },
                  {
                    key: 'behaviours',
                    label: t('web.fact.behaviours'),
                    children: d.keyBehaviours.map((b) => label('keyBehaviour', b)).join('、') || '—',
                  },
                  {
                    key: 'kind',
                    label: t('web.fact.subjectKind'),
                    children: label('subjectKind', d.subjectKind),
                  },
                  { key: 'credit', label: t('web.fact.creditCode'), children: d.creditCode ?? '—' },
                  {
                    key: 'amount',
                    label: t('web.fact.amount'),
                    children: t('web.fact.amountValue', { amount: d.amountCny / 10_000 }),
                  },
                  { key: 'participants', label: t('web.fact.participants'), children: d.participants },
                  { key: 'risk', label: t('web.fact.riskScore'), children: d.riskScore },
                  { key: 'lead', label: t('web.fact.leadUnit'), children: unitName(d.leadUnitId) },
                  {
                    key: 'co',
                    label: t('web.fact.coUnits'),
                    children: d.coHandlingUnitIds.map(unitName).join('、') || '—',
                  },
                  { key: 'created', label: t('web.fact.registered'), children: when(d.createdAt) },
                  {
                    key: 'description',
                    label: t('web.fact.description'),
                    span: 'filled',
                    children: <span style={{ whiteSpace: 'pre-wrap' }}>{d.description}</span>,
                  },
                ]}
              />
            </Card>
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            {me.role === 'coordinator' && d.hasReporter && <ReporterUnmask clueId={d.id} />}
            {s && <Clocks s={s} />}
            <ClueTimeline id={d.id} />
          </Space>
        </Col>
      </Row>
    </Space>
  );
}
