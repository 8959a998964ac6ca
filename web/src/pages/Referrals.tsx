/**
 * The police liaison's referral inbox: clues referred to its unit that wait for an acknowledgement,
 * and one referral (the deep link the hand-off email carries) with the package and the two answers:
 * accept with the case number, or return saying what is missing.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useParams } from 'react-router';
import { Card, Col, Descriptions, Form, Input, Row, Space, Tag } from 'antd';
import { useIsPhone } from '../app/phone';
import { api, ok, type Schemas } from '../api/client';
import { StepForm, req } from '../app/forms';
import { Muted, PageTitle } from '../app/text';
import { useUnitName } from '../app/units';
import { useT } from '../i18n';
import { pathTo } from '../../../src/links';
import { Loading } from '../app/routes';
import { PageError, readFailed } from './PageError';
import { ClueList } from './Reviews';

type Package = Schemas['ReferralPackage'];
interface Ack {
  decision: 'accepted' | 'returned';
  policeCaseNumber?: string;
  reason?: string;
}

function Inbox() {
  const { t } = useT();
  const q = useQuery({
    queryKey: ['referrals'],
    queryFn: () => ok(api.GET('/api/v1/clues', { params: { query: { stage: 'referred', limit: 200 } } })),
    refetchOnMount: 'always',
    refetchInterval: 30_000,
  });
  if (readFailed(q)) return <PageError error={q.error} />;
  return (
    <Card title={<PageTitle>{t('web.menu.referrals')}</PageTitle>}>
      <ClueList
        items={q.data?.items ?? []}
        loading={q.isLoading}
        empty={t('web.referrals.empty')}
        href={(c) => pathTo({ page: 'referral', clueId: c.id })}
        testId="referral-item"
      />
    </Card>
  );
}

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/** What the package says: the clue's facts and the disposal so far (never the reporter). */
function PackageView({ p }: { p: Package }) {
  const { t, label, when } = useT();
  const unitName = useUnitName();
  const phone = useIsPhone();
  const pkg = p.package;
  const clue = obj(pkg.clue);
  const verification = obj(pkg.verification);
  const classification = obj(pkg.classification);
  const plan = obj(pkg.plan);
  return (
    <Descriptions
      column={1}
      size="small"
      bordered
      // A phone reads label above value: the label column would squeeze the text.
      layout={phone ? 'vertical' : 'horizontal'}
      items={[
        {
          key: 'reason',
          label: t('web.form.referralReason'),
          children: label('referralReason', str(pkg.reason)),
        },
        { key: 'subject', label: t('web.intake.subjectName'), children: str(clue.subject_name) },
        { key: 'credit', label: t('web.fact.creditCode'), children: str(clue.credit_code) || '—' },
        {
          key: 'description',
          label: t('web.fact.description'),
          children: <span style={{ whiteSpace: 'pre-wrap' }}>{str(clue.description)}</span>,
        },
        { key: 'area', label: t('web.fact.keyArea'), children: label('keyArea', str(clue.key_area)) },
        {
          key: 'amount',
          label: t('web.fact.amount'),
          children: t('web.fact.amountValue', { amount: Number(clue.amount_cny ?? 0) / 10_000 }),
        },
        { key: 'participants', label: t('web.fact.participants'), children: str(clue.participants) },
        { key: 'lead', label: t('web.fact.leadUnit'), children: unitName(str(clue.lead_unit_id)) },
        {
          key: 'verification',
          label: t('web.record.verification'),
          children: str(verification.findings) || '—',
        },
        {
          key: 'classification',
          label: t('web.record.classification'),
          children: classification.nature
            ? `${label('nature', str(classification.nature))}：${str(classification.reasoning)}`
            : '—',
        },
        { key: 'plan', label: t('web.referrals.plan'), children: str(plan.measures) || '—' },
        { key: 'sent', label: t('web.referrals.sentAt'), children: when(p.sentAt) },
      ]}
    />
  );
}

function ReferralPage({ clueId }: { clueId: string }) {
  const { t } = useT();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['clue', clueId],
    queryFn: () => ok(api.GET('/api/v1/clues/{id}', { params: { path: { id: clueId } } })),
  });
  if (readFailed(q)) return <PageError error={q.error} />;
  if (!q.data) return <Loading />;
  // Whoever sees the whole clue (the District Office) has its page.
  if (q.data.view === 'full') return <Navigate to={pathTo({ page: 'clue', clueId })} replace />;
  const v = q.data;
  const latest = v.referrals[v.referrals.length - 1];
  const awaiting = v.stage === 'referred' && latest?.status === 'awaiting' ? latest : undefined;
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['clue', clueId] });
    void qc.invalidateQueries({ queryKey: ['referrals'] });
  };
  const send = (body: Ack) =>
    ok(api.POST('/api/v1/clues/{id}/referral-acknowledgement', { params: { path: { id: clueId } }, body }));
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Space orientation="vertical" size={4}>
          <PageTitle>{t('web.referrals.title', { ref: v.ref })}</PageTitle>
          <Space wrap>
            <Tag
              color={latest?.status === 'accepted' ? 'green' : latest?.status === 'returned' ? 'red' : 'gold'}
              data-testid="referral-status"
              data-status={latest?.status ?? ''}
            >
              {latest ? t(`web.referral.${latest.status}`) : '—'}
            </Tag>
            {latest?.policeCaseNumber && (
              <span data-testid="case-number">
                {t('web.referrals.caseNumber')}：{latest.policeCaseNumber}
              </span>
            )}
          </Space>
        </Space>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          {awaiting ? (
            <Space orientation="vertical" size={16} style={{ width: '100%' }}>
              <Card title={t('web.referrals.accept')} size="small">
                <StepForm
                  name="referral-accept"
                  testId="submit-referral-accept"
                  submitLabel={t('web.referrals.acceptSubmit')}
                  onDone={refresh}
                  send={(f: { policeCaseNumber: string }) =>
                    send({ decision: 'accepted', policeCaseNumber: f.policeCaseNumber })
                  }
                >
                  <Form.Item
                    name="policeCaseNumber"
                    label={t('web.referrals.caseNumber')}
                    rules={req(t('web.form.required'))}
                  >
                    <Input maxLength={64} />
                  </Form.Item>
                </StepForm>
              </Card>
              <Card title={t('web.referrals.return')} size="small">
                <StepForm
                  name="referral-return"
                  testId="submit-referral-return"
                  submitLabel={t('web.referrals.returnSubmit')}
                  onDone={refresh}
                  send={(f: { reason: string }) => send({ decision: 'returned', reason: f.reason })}
                >
                  <Form.Item
                    name="reason"
                    label={t('web.referrals.missing')}
                    rules={req(t('web.form.required'))}
                  >
                    <Input.TextArea rows={3} maxLength={4000} />
                  </Form.Item>
                </StepForm>
              </Card>
            </Space>
          ) : (
            <Card size="small">
              <Muted>{t('web.referrals.answered')}</Muted>
            </Card>
          )}
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t('web.referrals.package')} size="small">
            {latest ? <PackageView p={latest} /> : <Muted>—</Muted>}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

export default function Referrals() {
  const { clueId } = useParams();
  return clueId ? <ReferralPage clueId={clueId} /> : <Inbox />;
}
