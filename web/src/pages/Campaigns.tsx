/**
 * Campaigns: the list (an officer's: those its unit takes part in) and one campaign's progress per
 * unit. An officer opening a campaign goes to its own unit's deliverables.
 */
import { useQuery } from '@tanstack/react-query';
import { Link, Navigate, useParams } from 'react-router';
import { Card, Empty, List, Space, Tag, Typography } from 'antd';
import { api, ok } from '../api/client';
import { pathTo } from '../../../src/links';
import { useMe } from '../app/session';
import { useT } from '../i18n';
import { PageError, readFailed } from './PageError';
import { Loading } from '../app/routes';

function CampaignList() {
  const { t, label, when } = useT();
  const { me } = useMe();
  const q = useQuery({ queryKey: ['campaigns'], queryFn: () => ok(api.GET('/api/v1/campaigns')) });
  if (readFailed(q)) return <PageError error={q.error} />;
  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('web.campaigns.title')}
        </Typography.Title>
      }
      extra={
        me?.role === 'coordinator' ? (
          <Link to="/campaigns/new" data-testid="new-campaign">
            {t('web.campaigns.new')}
          </Link>
        ) : null
      }
    >
      <List
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('web.campaigns.empty')} /> }}
        renderItem={(c) => (
          <List.Item key={c.id}>
            <Space orientation="vertical" size={2}>
              <Link
                to={
                  me?.role === 'unit_officer' && me.unitId
                    ? pathTo({ page: 'campaign-unit', campaignId: c.id, unitId: me.unitId })
                    : pathTo({ page: 'campaign', campaignId: c.id })
                }
                data-testid="campaign-link"
              >
                {c.name}
              </Link>
              <Space wrap>
                <Tag>{label('campaignPhase', c.phase)}</Tag>
                <Typography.Text type="secondary">
                  {t('web.campaigns.reportDue')} {when(c.phases.summaryReportDue)}
                </Typography.Text>
              </Space>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

function CampaignProgress({ campaignId }: { campaignId: string }) {
  const { t, label, locale } = useT();
  const q = useQuery({
    queryKey: ['campaign', campaignId, 'progress'],
    queryFn: () => ok(api.GET('/api/v1/campaigns/{id}/progress', { params: { path: { id: campaignId } } })),
  });
  if (readFailed(q)) return <PageError error={q.error} />;
  if (!q.data) return <Loading />;
  const c = q.data;
  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {c.name}
        </Typography.Title>
      }
      extra={<Tag>{label('campaignPhase', c.phase)}</Tag>}
    >
      <List
        dataSource={c.units}
        renderItem={(u) => (
          <List.Item key={u.unitId}>
            <Space orientation="vertical" size={2}>
              <Link to={pathTo({ page: 'campaign-unit', campaignId, unitId: u.unitId })}>
                {locale === 'en' ? u.unitName.en : u.unitName.zh}
              </Link>
              <Space wrap>
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
                {u.overdueLevel > 0 && <Tag color="volcano">{label('level', u.overdueLevel)}</Tag>}
              </Space>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

export default function Campaigns() {
  const { campaignId } = useParams();
  const { me } = useMe();
  if (!campaignId) return <CampaignList />;
  if (me?.role === 'unit_officer' && me.unitId)
    return <Navigate to={pathTo({ page: 'campaign-unit', campaignId, unitId: me.unitId })} replace />;
  return <CampaignProgress campaignId={campaignId} />;
}
