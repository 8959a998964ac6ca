/**
 * "My work": every open clock of the officer's unit (clue steps, co-handling exchanges, campaign
 * deliverables) by due time, with working days left or overdue and the escalation level; each row
 * opens the page where the step is done.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useState } from 'react';
import { Button, Card, Empty, Space, Spin, Tag } from 'antd';
import { useIsPhone } from '../app/phone';
import { Muted, PageTitle } from '../app/text';
import { SimpleTable } from './SimpleTable';
import type { Schemas } from '../api/client';
import { clocksQuery } from '../app/queries';
import { pathTo } from '../../../src/links';
import { useT } from '../i18n';
import { useMe } from '../app/session';
import { useUnitName } from '../app/units';
import { PageError, readFailed } from './PageError';

type ClockItem = Schemas['ClockList']['items'][number];

export function linkOf(c: ClockItem): string {
  return c.ownerType === 'campaign'
    ? pathTo({ page: 'campaign-unit', campaignId: c.ownerId, unitId: c.unitId })
    : pathTo({ page: 'clue', clueId: c.ownerId });
}

export function DaysLeft({ days, paused }: { days: number; paused?: boolean }) {
  const { t } = useT();
  if (paused) return <Tag>{t('web.clock.paused')}</Tag>;
  if (days < 0) return <Tag color="red">{t('web.clock.overdue', { n: -days })}</Tag>;
  if (days === 0) return <Tag color="orange">{t('web.clock.dueToday')}</Tag>;
  return <Tag color={days <= 1 ? 'gold' : 'green'}>{t('web.clock.left', { n: days })}</Tag>;
}

export function Level({ level }: { level: number }) {
  const { t, label } = useT();
  if (level <= 0) return <Muted>{t('web.clock.noEscalation')}</Muted>;
  return (
    <Tag color={level >= 3 ? 'magenta' : level === 2 ? 'volcano' : 'orange'}>{label('level', level)}</Tag>
  );
}

const PAGE = 50;

export default function MyWork() {
  const { t, label, when } = useT();
  const { me } = useMe();
  const unitName = useUnitName();
  const phone = useIsPhone();
  const q = useQuery({ ...clocksQuery, refetchInterval: 30_000 });
  // Fifty at a time: drawing hundreds of rows costs more than the person reads at once.
  const [shown, setShown] = useState(PAGE);
  if (readFailed(q)) return <PageError error={q.error} />;
  const all = q.data?.items ?? [];
  const items = all.slice(0, shown);
  const more =
    all.length > shown ? (
      <Button block style={{ marginTop: 12 }} onClick={() => setShown(shown + PAGE)} data-testid="work-more">
        {t('web.myWork.more', { n: all.length - shown })}
      </Button>
    ) : null;
  const what = (c: ClockItem) => (
    <Space orientation="vertical" size={0}>
      <Link to={linkOf(c)} data-testid="work-link">
        {label('task', c.task)}
        {c.task === 'milestone' && c.label ? `：${c.label}` : ''}
      </Link>
      <Muted>
        {c.ownerRef}
        {c.ownerTitle ? ` · ${c.ownerTitle}` : ''}
      </Muted>
    </Space>
  );

  return (
    <Card
      title={<PageTitle>{t('web.myWork.title')}</PageTitle>}
      extra={me?.unitId ? <Muted>{unitName(me.unitId)}</Muted> : null}
    >
      {phone ? (
        <Spin spinning={q.isLoading}>
          {items.length === 0 && !q.isLoading ? (
            <Empty description={t('web.myWork.empty')} />
          ) : (
            <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
              {items.map((c) => (
                <li
                  key={`${c.ownerType}:${c.ownerId}:${c.clockId}`}
                  data-testid="work-item"
                  data-ref={c.ownerRef}
                  style={{ padding: '12px 0', borderBottom: '1px solid rgba(5,5,5,0.06)' }}
                >
                  <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                    {what(c)}
                    <Space wrap>
                      <DaysLeft days={c.workingDaysLeft} paused={c.status === 'paused'} />
                      <Level level={c.level} />
                    </Space>
                    <Muted>
                      {t('web.clock.due')} {when(c.dueAt)}
                    </Muted>
                  </Space>
                </li>
              ))}
            </ul>
          )}
          {more}
        </Spin>
      ) : (
        <Spin spinning={q.isLoading}>
          {items.length === 0 && !q.isLoading ? (
            <Empty description={t('web.myWork.empty')} />
          ) : (
            <SimpleTable<ClockItem>
              rows={items}
              rowKey={(c) => `${c.ownerType}:${c.ownerId}:${c.clockId}`}
              rowProps={(c) => ({ 'data-testid': 'work-item', 'data-ref': c.ownerRef })}
              columns={[
                { key: 'what', title: t('web.myWork.what'), render: what },
                {
                  key: 'kind',
                  title: t('web.myWork.kind'),
                  render: (c) =>
                    t(c.ownerType === 'campaign' ? 'web.myWork.kindCampaign' : 'web.myWork.kindClue'),
                },
                { key: 'due', title: t('web.clock.due'), render: (c) => when(c.dueAt) },
                {
                  key: 'left',
                  title: t('web.myWork.left'),
                  render: (c) => <DaysLeft days={c.workingDaysLeft} paused={c.status === 'paused'} />,
                },
                { key: 'level', title: t('web.myWork.level'), render: (c) => <Level level={c.level} /> },
              ]}
            />
          )}
          {more}
        </Spin>
      )}
    </Card>
  );
}
