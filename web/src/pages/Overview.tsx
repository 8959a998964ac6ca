/**
 * The leader's overview: every unit's on-time rate (on time ÷ (done + open overdue), from the ledger
 * statistics), each campaign's progress per unit, and the campaign's district summary report (.docx).
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Card, Empty, List, Progress, Space, Spin, Tag } from 'antd';
import { api, ok, type Schemas } from '../api/client';
import { pathTo } from '../../../src/links';
import { Muted, PageTitle } from '../app/text';
import { useT } from '../i18n';
import { PageError, readFailed } from './PageError';
import { SimpleTable } from './SimpleTable';

type UnitOnTime = Schemas['Statistics']['onTimeByUnit'][number];
const listCampaigns = () => ok(api.GET('/api/v1/campaigns'));
type CampaignItem = Awaited<ReturnType<typeof listCampaigns>>['items'][number];

function Rate({ rate }: { rate: number | null }) {
  const { t } = useT();
  if (rate === null) return <Muted>{t('web.overview.nothingDue')}</Muted>;
  const pct = Math.round(rate * 1000) / 10;
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8, minWidth: 120 }}>
      <Progress
        percent={pct}
        size="small"
        showInfo={false}
        status={pct < 80 ? 'exception' : 'normal'}
        style={{ width: 80, margin: 0 }}
      />
      <span data-testid="rate">{pct.toFixed(1)}%</span>
    </span>
  );
}

function OnTime() {
  const { t, locale } = useT();
  const q = useQuery({
    queryKey: ['statistics', locale],
    queryFn: () => ok(api.GET('/api/v1/ledger/statistics', { params: { query: { lang: locale } } })),
  });
  if (readFailed(q)) return <PageError error={q.error} />;
  const rows = q.data?.onTimeByUnit ?? [];
  return (
    <Card title={t('web.overview.onTime')} size="small" data-testid="on-time">
      <Spin spinning={q.isLoading}>
        {rows.length === 0 && !q.isLoading ? (
          <Empty description={t('web.overview.noClocks')} />
        ) : (
          <SimpleTable<UnitOnTime>
            rows={rows}
            rowKey={(u) => u.unitId}
            rowProps={(u) => ({ 'data-testid': 'on-time-unit', 'data-unit': u.unitId })}
            columns={[
              { key: 'unit', title: t('web.escalations.unit'), render: (u) => u.unitName },
              { key: 'rate', title: t('web.overview.rate'), render: (u) => <Rate rate={u.rate} /> },
              {
                key: 'counts',
                title: t('web.overview.counts'),
                render: (u) =>
                  t('web.overview.countsValue', {
                    onTime: u.onTime,
                    counted: u.counted,
                    open: u.openOverdue,
                  }),
              },
            ]}
          />
        )}
      </Spin>
      {q.data && <Muted style={{ display: 'block', marginTop: 8 }}>{t('web.overview.rateNote')}</Muted>}
    </Card>
  );
}

function CampaignCard({ c }: { c: CampaignItem }) {
  const { t, label, locale } = useT();
  const q = useQuery({
    queryKey: ['campaign', c.id, 'progress'],
    queryFn: () => ok(api.GET('/api/v1/campaigns/{id}/progress', { params: { path: { id: c.id } } })),
  });
  const units = q.data?.units ?? [];
  const filed = (s: string) => s === 'filed' || s === 'filed_late';
  const done = units.filter((u) => filed(u.deliverables.summaryReport.status)).length;
  return (
    <Card
      size="small"
      data-testid="overview-campaign"
      title={
        <Link to={pathTo({ page: 'campaign', campaignId: c.id })} style={{ overflowWrap: 'anywhere' }}>
          {c.name}
        </Link>
      }
      extra={<Tag>{label('campaignPhase', c.phase)}</Tag>}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Muted>{t('web.overview.reports', { done, total: units.length })}</Muted>
        <Progress percent={units.length ? Math.round((done / units.length) * 100) : 0} size="small" />
        <List
          size="small"
          loading={q.isLoading}
          dataSource={units}
          renderItem={(u) => (
            <List.Item key={u.unitId}>
              <Space wrap>
                <span>{locale === 'en' ? u.unitName.en : u.unitName.zh}</span>
                <Tag>
                  {t('web.campaign.implementationPlan')}：
                  {t(`web.deliverable.${u.deliverables.implementationPlan.status}`)}
                </Tag>
                <Tag>
                  {t('web.campaign.workInformation')}：{u.deliverables.workInformation.filedCount}/
                  {u.deliverables.workInformation.required}
                </Tag>
                <Tag>
                  {t('web.campaign.summaryReport')}：
                  {t(`web.deliverable.${u.deliverables.summaryReport.status}`)}
                </Tag>
              </Space>
            </List.Item>
          )}
        />
        <a
          href={`/api/v1/campaigns/${encodeURIComponent(c.id)}/district-summary?format=docx&lang=${locale}`}
          download
          data-testid="download-summary"
        >
          {t('web.overview.download')}
        </a>
      </Space>
    </Card>
  );
}

export default function Overview() {
  const { t } = useT();
  const q = useQuery({ queryKey: ['campaigns'], queryFn: listCampaigns });
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <PageTitle>{t('web.overview.title')}</PageTitle>
      <OnTime />
      {q.error ? (
        <PageError error={q.error} />
      ) : (
        <Card title={t('web.overview.campaigns')} size="small" loading={q.isLoading}>
          {(q.data?.items ?? []).length === 0 ? (
            <Empty description={t('web.campaigns.empty')} />
          ) : (
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              {(q.data?.items ?? []).map((c) => (
                <CampaignCard key={c.id} c={c} />
              ))}
            </Space>
          )}
        </Card>
      )}
    </Space>
  );
}
