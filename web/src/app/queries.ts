/**
 * The query cache and the queries a route starts before its page is drawn: a route's loader begins
 * them while the page's chunk downloads, and the page then reads the same cache entry.
 */
import { QueryClient, queryOptions } from '@tanstack/react-query';
import { api, ApiError, ok, type Schemas } from '../api/client';
import type { paths } from '../api/schema';
import type { WebKey } from '../i18n';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 404/403 is an answer, not a hiccup: do not ask again.
      retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 2,
      refetchOnWindowFocus: false,
    },
  },
});

// Fresh for a few seconds, so the page that mounts right after its loader's request does not ask again.
const JUST_FETCHED = 5_000;

export const unitsQuery = queryOptions({
  queryKey: ['units'],
  queryFn: () => ok(api.GET('/api/v1/units')),
  staleTime: 10 * 60_000,
});

export const clocksQuery = queryOptions({
  queryKey: ['clocks'],
  queryFn: () => ok(api.GET('/api/v1/clocks', { params: { query: { limit: 500 } } })),
  staleTime: JUST_FETCHED,
});

type LedgerFilters = NonNullable<paths['/api/v1/ledger/risks']['get']['parameters']['query']>;

export const LEDGERS = {
  risks: { path: '/api/v1/ledger/risks', title: 'web.ledger.risks' },
  'key-clues': { path: '/api/v1/ledger/key-clues', title: 'web.ledger.keyClues' },
} as const satisfies Record<string, { path: string; title: WebKey }>;
export type LedgerKind = keyof typeof LEDGERS;
export const isLedgerKind = (k: string): k is LedgerKind => Object.hasOwn(LEDGERS, k);

export const LEDGER_FILTERS = [
  'stage',
  'grade',
  'unit',
  'keyArea',
  'behaviour',
  'sourceChannel',
  'overdue',
  'from',
  'to',
  'q',
] as const;
export type LedgerFilterName = (typeof LEDGER_FILTERS)[number];
export const LEDGER_PAGE = 50;

/** The filters and page a ledger address carries. */
export function ledgerViewOf(sp: URLSearchParams): {
  filters: Partial<Record<LedgerFilterName, string>>;
  page: number;
} {
  const filters: Partial<Record<LedgerFilterName, string>> = {};
  for (const k of LEDGER_FILTERS) {
    const v = sp.get(k);
    if (v) filters[k] = v;
  }
  return { filters, page: Math.max(1, Number(sp.get('page') ?? '1') || 1) };
}

export const ledgerQuery = (
  kind: LedgerKind,
  filters: Partial<Record<LedgerFilterName, string>>,
  page: number,
) =>
  queryOptions({
    queryKey: ['ledger', kind, filters, page],
    // JSON here (the same path answers CSV/XLSX with ?format=).
    queryFn: () =>
      ok(
        api.GET(LEDGERS[kind].path, {
          params: {
            query: { ...(filters as LedgerFilters), limit: LEDGER_PAGE, offset: (page - 1) * LEDGER_PAGE },
          },
        }),
      ) as Promise<Schemas['LedgerPage']>,
    staleTime: JUST_FETCHED,
  });
