/**
 * The District Office's review queues: plans and closures waiting for review, deadline extensions
 * waiting for a decision, referrals public security returned. Each row opens the clue page, where the
 * decision forms are.
 */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { Card, Empty, List, Space, Tag } from 'antd';
import { api, ok, type Schemas } from '../api/client';
import type { paths } from '../api/schema';
import { Muted, PageTitle } from '../app/text';
import { useUnitName } from '../app/units';
import { useT, type WebKey } from '../i18n';
import { pathTo } from '../../../src/links';
import { Level } from './MyWork';
import { PageError, readFailed } from './PageError';
import NotFound from './NotFound';

type Query = NonNullable<paths['/api/v1/clues']['get']['parameters']['query']>;

const QUEUES: Record<string, { title: WebKey; empty: WebKey; query: Query }> = {
  plans: { title: 'web.menu.reviewPlans', empty: 'web.reviews.emptyPlans', query: { stage: 'plan_review' } },
  extensions: {
    title: 'web.menu.reviewExtensions',
    empty: 'web.reviews.emptyExtensions',
    query: { pending: 'extension' },
  },
  closures: {
    title: 'web.menu.reviewClosures',
    empty: 'web.reviews.emptyClosures',
    query: { stage: 'closure_review' },
  },
  referrals: {
    title: 'web.menu.reviewReferrals',
    empty: 'web.reviews.emptyReferrals',
    query: { pending: 'returned_referral' },
  },
};

type Summary = Schemas['ClueSummary'];

/** A list of clues, each a link to its page (a card list: every row fits a phone). */
export function ClueList(props: {
  items: Summary[];
  loading: boolean;
  empty: string;
  href: (c: Summary) => string;
  testId: string;
}) {
  const { t, label, when } = useT();
  const unitName = useUnitName();
  return (
    <List
      loading={props.loading}
      dataSource={props.items}
      locale={{ emptyText: <Empty description={props.empty} /> }}
      renderItem={(c) => (
        <List.Item key={c.id} data-testid={props.testId} data-ref={c.ref} data-id={c.id}>
          <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
            <Link to={props.href(c)} data-testid={`${props.testId}-link`}>
              {c.ref} · {c.subjectName}
            </Link>
            <Space wrap size={[8, 4]}>
              <Tag>{label('stage', c.stage)}</Tag>
              <Tag>{label('grade', c.grade)}</Tag>
              {c.keyClue && <Tag color="red">{t('web.clue.keyClue')}</Tag>}
              <Muted>{unitName(c.leadUnitId)}</Muted>
              <Muted>{t('web.fact.amountValue', { amount: c.amountCny / 10_000 })}</Muted>
              {c.overdueLevel > 0 && <Level level={c.overdueLevel} />}
            </Space>
            {c.nextDueAt && (
              <Muted>
                {t('web.clock.due')} {when(c.nextDueAt)}
              </Muted>
            )}
          </Space>
        </List.Item>
      )}
    />
  );
}

export default function Reviews() {
  const { queue = '' } = useParams();
  const { t } = useT();
  const spec = QUEUES[queue];
  const q = useQuery({
    queryKey: ['reviews', queue],
    enabled: spec !== undefined,
    queryFn: () => ok(api.GET('/api/v1/clues', { params: { query: { ...spec!.query, limit: 200 } } })),
    refetchOnMount: 'always',
    refetchInterval: 30_000,
  });
  if (!spec) return <NotFound />;
  if (readFailed(q)) return <PageError error={q.error} />;
  return (
    <Card title={<PageTitle>{t(spec.title)}</PageTitle>} data-testid={`queue-${queue}`}>
      <ClueList
        items={q.data?.items ?? []}
        loading={q.isLoading}
        empty={t(spec.empty)}
        href={(c) => pathTo({ page: 'clue', clueId: c.id })}
        testId="review-item"
      />
    </Card>
  );
}
