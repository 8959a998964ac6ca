/**
 * The leader's escalations: the open list (subject, grade, amount, participants, unit, stage, working
 * days overdue, level; by level, then the latest first) and one escalation — the page the level-2
 * email links to — with the clue's facts, the rungs its clock reached, every instruction given on the
 * clue, and the acknowledgement form.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { Alert, Card, Descriptions, Empty, Form, Input, List, Space, Spin, Tag, Timeline } from 'antd';
import { useIsPhone } from '../app/phone';
import { api, ok, type Schemas } from '../api/client';
import { pathTo } from '../../../src/links';
import { StepForm, req } from '../app/forms';
import { useMe } from '../app/session';
import { Muted, PageTitle } from '../app/text';
import { useT } from '../i18n';
import { Loading } from '../app/routes';
import { Level } from './MyWork';
import { PageError, readFailed } from './PageError';
import { SimpleTable } from './SimpleTable';

type Item = Schemas['Escalation'];

function useUnitOf() {
  const { locale } = useT();
  return (e: Pick<Item, 'unitId' | 'unitNameZh' | 'unitNameEn'>) =>
    (locale === 'en' ? e.unitNameEn : e.unitNameZh) ?? e.unitId;
}

function Overdue({ days }: { days: number }) {
  const { t } = useT();
  return <Tag color="red">{t('web.clock.overdue', { n: days })}</Tag>;
}

function amountOf(t: ReturnType<typeof useT>['t'], cny: number | null) {
  return cny === null ? '' : t('web.fact.amountValue', { amount: cny / 10_000 });
}

function EscalationList() {
  const { t, label } = useT();
  const unitOf = useUnitOf();
  const phone = useIsPhone();
  const q = useQuery({
    queryKey: ['escalations'],
    queryFn: () => ok(api.GET('/api/v1/escalations', { params: { query: { status: 'open', limit: 500 } } })),
    refetchInterval: 30_000,
  });
  if (readFailed(q)) return <PageError error={q.error} />;
  const items = q.data?.items ?? [];
  const subject = (e: Item) => (
    <Space orientation="vertical" size={0}>
      <Link to={pathTo({ page: 'escalation', escalationId: e.id })} data-testid="escalation-link">
        {e.subjectName ?? e.ownerRef}
      </Link>
      <Muted>
        {e.ownerRef} · {label('task', e.task)}
      </Muted>
    </Space>
  );
  return (
    <Card title={<PageTitle>{t('web.escalations.title')}</PageTitle>}>
      <Spin spinning={q.isLoading}>
        {items.length === 0 && !q.isLoading ? (
          <Empty description={t('web.escalations.empty')} />
        ) : phone ? (
          <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {items.map((e) => (
              <li
                key={e.id}
                data-testid="escalation-item"
                data-ref={e.ownerRef}
                data-escalation-id={e.id}
                style={{ padding: '12px 0', borderBottom: '1px solid rgba(5,5,5,0.06)' }}
              >
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  {subject(e)}
                  <Space wrap>
                    <Level level={e.level} />
                    <Overdue days={e.daysOverdue} />
                    {e.grade && <Tag>{label('grade', e.grade)}</Tag>}
                  </Space>
                  <Muted>
                    {unitOf(e)}
                    {e.stage ? ` · ${label('stage', e.stage)}` : ''}
                  </Muted>
                  {e.amountCny !== null && (
                    <Muted>
                      {amountOf(t, e.amountCny)} ·{' '}
                      {t('web.escalations.participantsValue', { n: e.participants ?? 0 })}
                    </Muted>
                  )}
                </Space>
              </li>
            ))}
          </ul>
        ) : (
          <SimpleTable<Item>
            rows={items}
            rowKey={(e) => String(e.id)}
            rowProps={(e) => ({
              'data-testid': 'escalation-item',
              'data-ref': e.ownerRef,
              'data-escalation-id': String(e.id),
            })}
            columns={[
              { key: 'level', title: t('web.escalations.level'), render: (e) => <Level level={e.level} /> },
              { key: 'subject', title: t('web.escalations.subject'), render: subject },
              { key: 'grade', title: t('web.escalations.grade'), render: (e) => label('grade', e.grade) },
              { key: 'amount', title: t('web.fact.amount'), render: (e) => amountOf(t, e.amountCny) },
              { key: 'participants', title: t('web.fact.participants'), render: (e) => e.participants ?? '' },
              { key: 'unit', title: t('web.escalations.unit'), render: unitOf },
              { key: 'stage', title: t('web.escalations.stage'), render: (e) => label('stage', e.stage) },
              {
                key: 'overdue',
                title: t('web.escalations.overdue'),
                render: (e) => <Overdue days={e.daysOverdue} />,
              },
            ]}
          />
        )}
      </Spin>
    </Card>
  );
}

function EscalationDetail({ id }: { id: string }) {
  const { t, label, when } = useT();
  const { me } = useMe();
  const unitOf = useUnitOf();
  const qc = useQueryClient();
  const key = ['escalation', id];
  const q = useQuery({
    queryKey: key,
    queryFn: () => ok(api.GET('/api/v1/escalations/{eid}', { params: { path: { eid: id } } })),
  });
  if (readFailed(q)) return <PageError error={q.error} />;
  if (!q.data) return <Loading />;
  const { escalation: e, clue, history, instructions } = q.data;
  const reload = () => {
    void qc.invalidateQueries({ queryKey: key });
    void qc.invalidateQueries({ queryKey: ['escalations'] });
  };
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={<PageTitle>{e.subjectName ?? e.ownerRef}</PageTitle>}
        extra={
          <span data-testid="escalation-status" data-status={e.status}>
            <Tag>{t(`web.escalations.status.${e.status}`)}</Tag>
          </span>
        }
      >
        <Space wrap style={{ marginBottom: 12 }}>
          <Level level={e.level} />
          <Overdue days={e.daysOverdue} />
          <Tag>{label('task', e.task)}</Tag>
        </Space>
        <Descriptions
          column={{ xs: 1, md: 2 }}
          size="small"
          items={[
            {
              key: 'ref',
              label: t('web.escalations.ref'),
              children:
                clue !== null ? (
                  <Link to={pathTo({ page: 'clue', clueId: clue.id })} data-testid="escalation-clue">
                    {clue.ref}
                  </Link>
                ) : (
                  e.ownerRef
                ),
            },
            { key: 'unit', label: t('web.escalations.unit'), children: unitOf(e) },
            { key: 'due', label: t('web.clock.due'), children: when(e.dueAt) },
            ...(clue
              ? [
                  { key: 'grade', label: t('web.escalations.grade'), children: label('grade', clue.grade) },
                  { key: 'stage', label: t('web.escalations.stage'), children: label('stage', clue.stage) },
                  { key: 'area', label: t('web.fact.keyArea'), children: label('keyArea', clue.keyArea) },
                  { key: 'amount', label: t('web.fact.amount'), children: amountOf(t, clue.amountCny) },
                  { key: 'participants', label: t('web.fact.participants'), children: clue.participants },
                  {
                    key: 'description',
                    label: t('web.fact.description'),
                    children: <span style={{ overflowWrap: 'anywhere' }}>{clue.description}</span>,
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Card title={t('web.escalations.history')} size="small">
        <div data-testid="escalation-history">
          <Timeline
            items={history.map((h) => ({
              key: String(h.id),
              content: (
                <Space orientation="vertical" size={0}>
                  <span>
                    {label('level', h.level)} · {t(`web.escalations.status.${h.status}`)}
                  </span>
                  <Muted>{when(h.escalatedAt)}</Muted>
                </Space>
              ),
            }))}
          />
        </div>
      </Card>
      <Card title={t('web.escalations.instructions')} size="small">
        {instructions.length === 0 ? (
          <Empty description={t('web.escalations.noInstructions')} />
        ) : (
          <List
            dataSource={instructions}
            renderItem={(i) => (
              <List.Item key={i.escalationId} data-testid="instruction">
                <Space orientation="vertical" size={2}>
                  <span style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{i.instruction}</span>
                  <Muted>
                    {i.acknowledgedByName ?? i.acknowledgedBy} · {label('level', i.level)} ·{' '}
                    {label('task', i.task)} · {when(i.acknowledgedAt)}
                  </Muted>
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
      {me?.role === 'leader' && e.status === 'open' && (
        <Card title={t('web.escalations.acknowledge')} size="small" data-testid="form-acknowledgement">
          <StepForm<{ instruction: string }>
            name="acknowledgement"
            testId="submit-acknowledgement"
            submitLabel={t('web.escalations.submit')}
            refusals="filing"
            send={(v) =>
              ok(
                api.POST('/api/v1/escalations/{eid}/acknowledgement', {
                  params: { path: { eid: id } },
                  body: { instruction: v.instruction },
                }),
              )
            }
            onDone={reload}
          >
            <Form.Item
              name="instruction"
              label={t('web.escalations.instruction')}
              rules={req(t('web.escalations.instructionRequired'))}
            >
              <Input.TextArea rows={4} maxLength={4000} />
            </Form.Item>
          </StepForm>
        </Card>
      )}
      {e.status !== 'open' && me?.role === 'leader' && (
        <Alert type="info" showIcon title={t('web.escalations.notOpen')} />
      )}
    </Space>
  );
}

export default function Escalations() {
  const { escalationId } = useParams();
  return escalationId ? <EscalationDetail id={escalationId} /> : <EscalationList />;
}
