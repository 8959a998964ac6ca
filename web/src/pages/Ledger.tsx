/**
 * The two ledgers (notice IV.3): the total risk list and the key risk clue account, with the filters
 * GET /ledger/{risks|key-clues} offers (kept in the address, so a filtered view can be shared),
 * totals, pages, and CSV/XLSX export of exactly the filtered rows. Each row opens the clue page.
 */
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Button, Card, Collapse, Pagination, Space, Spin, Tag } from 'antd';
import { useIsPhone } from '../app/phone';
import { DownloadOutlined } from '@ant-design/icons';
import type { Schemas } from '../api/client';
import {
  isLedgerKind,
  LEDGER_FILTERS,
  LEDGER_PAGE,
  LEDGERS,
  ledgerQuery,
  ledgerViewOf,
  unitsQuery,
  type LedgerFilterName,
} from '../app/queries';
import { Muted, PageTitle } from '../app/text';
import { useUnitName } from '../app/units';
import { useT, type WebKey } from '../i18n';
import { pathTo } from '../../../src/links';
import { CLUE_STAGES, GRADES, KEY_AREAS, KEY_BEHAVIOURS, SOURCE_CHANNELS } from '../../../src/domain/enums';
import { Level } from './MyWork';
import { PageError, readFailed } from './PageError';
import { SimpleTable } from './SimpleTable';
import NotFound from './NotFound';

type LedgerRow = Schemas['LedgerRow'];
const FILTERS = LEDGER_FILTERS;
type FilterName = LedgerFilterName;

/** The calendar day in Beijing (the ledger's days are China Standard Time, as its filters are). */
const beijingDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

interface FilterFields {
  stage?: string;
  grade?: string;
  unit?: string;
  keyArea?: string;
  behaviour?: string;
  sourceChannel?: string;
  overdue?: string;
  from?: string;
  to?: string;
  q?: string;
}

/** A label above its control, as antd's vertical form items look. */
function Field(props: { id: string; label: string; children: ReactNode }) {
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 4, marginBottom: 8 }}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}

export default function Ledger() {
  const { kind = '' } = useParams();
  const { t, label, locale } = useT();
  const unitName = useUnitName();
  const [sp, setSp] = useSearchParams();
  const phone = useIsPhone();
  const spec = isLedgerKind(kind) ? LEDGERS[kind] : undefined;
  const { filters, page } = ledgerViewOf(sp);
  const units = useQuery(unitsQuery);
  const q = useQuery({
    ...ledgerQuery(isLedgerKind(kind) ? kind : 'risks', filters, page),
    enabled: spec !== undefined,
    placeholderData: (prev) => prev,
  });
  const shown = sp.toString();
  if (!spec) return <NotFound />;
  if (readFailed(q)) return <PageError error={q.error} />;

  const apply = (v: FilterFields) => {
    const next = new URLSearchParams();
    for (const k of FILTERS) {
      const s = v[k]?.trim() ?? '';
      if (s) next.set(k, s);
    }
    setSp(next);
  };
  const exportHref = (format: 'csv' | 'xlsx') => {
    const p = new URLSearchParams(filters);
    p.set('format', format);
    p.set('lang', locale);
    return `${spec.path}?${p.toString()}`;
  };
  const opts = (k: string, vs: readonly string[]) => vs.map((v) => ({ value: v, label: label(k, v) }));
  const select = (name: FilterName, title: WebKey, options: { value: string; label: string }[]) => (
    <Field key={name} id={`ledger-${name}`} label={t(title)}>
      <select
        id={`ledger-${name}`}
        name={name}
        defaultValue={filters[name] ?? ''}
        className="ant-input ant-input-outlined"
        style={{ width: 170, height: 32, boxSizing: 'border-box' }}
      >
        <option value="">{t('web.ledger.any')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
  const date = (name: 'from' | 'to', title: WebKey) => (
    <Field key={name} id={`ledger-${name}`} label={t(title)}>
      <input
        id={`ledger-${name}`}
        name={name}
        type="date"
        defaultValue={filters[name] ?? ''}
        className="ant-input ant-input-outlined"
        style={{ width: 150, height: 32, boxSizing: 'border-box' }}
      />
    </Field>
  );
  const totals = q.data?.totals;

  // Plain labelled controls, not antd's Form and Selects: ten of those were ~480 ms of this page's
  // first render (BENCHMARKS §5). Uncontrolled, so the address is the one source: a new address
  // (apply, reset, back/forward) or the unit names arriving redraws the form from it.
  const filterForm = (
    <form
      key={`${shown}|${units.data ? 'units' : ''}`}
      name="ledger-filters"
      onSubmit={(e) => {
        e.preventDefault();
        apply(Object.fromEntries(new FormData(e.currentTarget)) as FilterFields);
      }}
      style={{ display: 'flex', flexWrap: 'wrap', columnGap: 12, alignItems: 'flex-end' }}
    >
      <Field id="ledger-q" label={t('web.ledger.q')}>
        <input
          id="ledger-q"
          name="q"
          type="search"
          maxLength={100}
          defaultValue={filters.q ?? ''}
          className="ant-input ant-input-outlined"
          style={{ width: 200, height: 32, boxSizing: 'border-box' }}
        />
      </Field>
      {select('stage', 'web.ledger.stage', opts('stage', CLUE_STAGES))}
      {select('grade', 'web.ledger.grade', opts('grade', GRADES))}
      {select(
        'unit',
        'web.fact.leadUnit',
        (units.data?.items ?? []).map((u) => ({
          value: u.id,
          label: locale === 'en' ? u.nameEn : u.nameZh,
        })),
      )}
      {select('keyArea', 'web.fact.keyArea', opts('keyArea', KEY_AREAS))}
      {select('behaviour', 'web.fact.behaviours', opts('keyBehaviour', KEY_BEHAVIOURS))}
      {select('sourceChannel', 'web.fact.source', opts('sourceChannel', SOURCE_CHANNELS))}
      {select('overdue', 'web.ledger.overdue', [
        { value: 'true', label: t('web.ledger.overdueYes') },
        { value: 'false', label: t('web.ledger.overdueNo') },
      ])}
      {date('from', 'web.ledger.from')}
      {date('to', 'web.ledger.to')}
      <Space style={{ marginBottom: 8 }}>
        <Button type="primary" htmlType="submit" data-testid="apply-filters">
          {t('web.ledger.apply')}
        </Button>
        <Button onClick={() => setSp(new URLSearchParams())}>{t('web.ledger.reset')}</Button>
      </Space>
    </form>
  );
  return (
    <Card
      title={<PageTitle>{t(spec.title)}</PageTitle>}
      extra={
        <Space wrap>
          <Button icon={<DownloadOutlined />} href={exportHref('csv')} data-testid="export-csv">
            CSV
          </Button>
          <Button icon={<DownloadOutlined />} href={exportHref('xlsx')} data-testid="export-xlsx">
            XLSX
          </Button>
        </Space>
      }
    >
      {phone ? (
        <Collapse
          size="small"
          items={[
            {
              key: 'filters',
              label: t('web.ledger.filters', { n: Object.keys(filters).length }),
              children: filterForm,
            },
          ]}
        />
      ) : (
        filterForm
      )}
      {totals && (
        <Space wrap style={{ margin: '8px 0 12px' }} data-testid="ledger-totals" data-count={totals.count}>
          <Tag>{t('web.ledger.count', { n: totals.count })}</Tag>
          <Tag>{t('web.fact.amountValue', { amount: totals.amountCny / 10_000 })}</Tag>
          <Tag>{t('web.ledger.participants', { n: totals.participants })}</Tag>
          <Tag color="red">{t('web.ledger.keyClueCount', { n: totals.keyClues })}</Tag>
          <Tag color="orange">{t('web.ledger.overdueCount', { n: totals.overdue })}</Tag>
        </Space>
      )}
      <Spin spinning={q.isFetching}>
        {phone ? (
          <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {(q.data?.items ?? []).map((r) => (
              <li
                key={r.id}
                data-testid="ledger-row"
                data-ref={r.ref}
                style={{ padding: '12px 0', borderBottom: '1px solid rgba(5,5,5,0.06)' }}
              >
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  <Link to={pathTo({ page: 'clue', clueId: r.id })}>
                    {r.ref} · {r.subjectName}
                  </Link>
                  <Space wrap size={[8, 4]}>
                    <Tag>{label('grade', r.grade)}</Tag>
                    <Tag>{label('stage', r.stage)}</Tag>
                    <Muted>{unitName(r.leadUnitId)}</Muted>
                    <Muted>{t('web.fact.amountValue', { amount: r.amountCny / 10_000 })}</Muted>
                    <Level level={r.overdueLevel} />
                  </Space>
                </Space>
              </li>
            ))}
          </ul>
        ) : (
          <SimpleTable<LedgerRow>
            rows={q.data?.items ?? []}
            rowKey={(r) => r.id}
            rowProps={(r) => ({ 'data-testid': 'ledger-row', 'data-ref': r.ref })}
            columns={[
              {
                key: 'ref',
                title: t('web.ledger.ref'),
                render: (r) => (
                  <Link to={pathTo({ page: 'clue', clueId: r.id })} style={{ whiteSpace: 'nowrap' }}>
                    {r.ref}
                  </Link>
                ),
              },
              { key: 'subject', title: t('web.intake.subjectName'), render: (r) => r.subjectName },
              { key: 'grade', title: t('web.ledger.grade'), render: (r) => label('grade', r.grade) },
              { key: 'stage', title: t('web.ledger.stage'), render: (r) => label('stage', r.stage) },
              { key: 'unit', title: t('web.fact.leadUnit'), render: (r) => unitName(r.leadUnitId) },
              {
                key: 'amount',
                title: t('web.fact.amount'),
                render: (r) => t('web.fact.amountValue', { amount: r.amountCny / 10_000 }),
              },
              {
                key: 'level',
                title: t('web.myWork.level'),
                render: (r) => <Level level={r.overdueLevel} />,
              },
              {
                key: 'registered',
                title: t('web.fact.registered'),
                render: (r) => <Muted>{beijingDay(r.registeredAt)}</Muted>,
              },
            ]}
          />
        )}
      </Spin>
      {totals && totals.count > LEDGER_PAGE && (
        <Pagination
          style={{ marginTop: 12 }}
          current={page}
          pageSize={LEDGER_PAGE}
          total={totals.count}
          showSizeChanger={false}
          onChange={(p) => {
            const next = new URLSearchParams(sp);
            next.set('page', String(p));
            setSp(next);
          }}
        />
      )}
    </Card>
  );
}
