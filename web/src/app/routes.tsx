/**
 * The workbench's pages. Every path a message links to (src/links.ts) is here; each page is its own
 * chunk, loaded by the router (route `lazy`) together with the data the page opens with (route
 * `loader`, which only starts the page's queries), so the first page loads only what it shows and
 * its chunk and its data arrive side by side, not one after another.
 */
import type { ComponentType } from 'react';
import {
  createBrowserRouter,
  Navigate,
  useLocation,
  useRouteError,
  type LoaderFunctionArgs,
} from 'react-router';
import { Alert, Button, Spin } from 'antd';
import { useT } from '../i18n';
import { homeOf, ME_KEY, useMe, type Me } from './session';
import { clocksQuery, isLedgerKind, ledgerQuery, ledgerViewOf, queryClient, unitsQuery } from './queries';

export function Loading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
    </div>
  );
}

/**
 * A page that could not load. After a new release the old page chunks are gone from the server, so
 * a workbench left open since then fails to load its next page: say so and offer a reload, instead
 * of a blank screen.
 */
function RouteError() {
  const { t } = useT();
  const error = useRouteError();
  // Visible to whoever works on it; no personal data is in a failed chunk load.
  console.warn(error);
  return (
    <div style={{ padding: 24 }}>
      <Alert
        type="error"
        showIcon
        title={t('web.error.pageLoad')}
        action={
          <Button size="small" onClick={() => window.location.reload()} data-testid="reload">
            {t('web.error.reload')}
          </Button>
        }
      />
    </div>
  );
}

/** A page's chunk, as the router's `lazy` wants it. */
const chunk = (load: () => Promise<{ default: ComponentType }>) => async () => ({
  Component: (await load()).default,
});

/** Starts queries and returns at once: the page shows its own loading state and errors. */
const starts =
  (...start: ((a: LoaderFunctionArgs) => void)[]) =>
  (a: LoaderFunctionArgs) => {
    // Signed out for sure: the guard sends them to sign-in; asking would only earn 401s.
    if (queryClient.getQueryData(ME_KEY) !== null) for (const s of start) s(a);
    return null;
  };
const units = () => void queryClient.prefetchQuery(unitsQuery);
const clocks = () => void queryClient.prefetchQuery(clocksQuery);
const ledger = ({ params, request }: LoaderFunctionArgs) => {
  const kind = params.kind ?? '';
  if (!isLedgerKind(kind)) return;
  const { filters, page } = ledgerViewOf(new URL(request.url).searchParams);
  void queryClient.prefetchQuery(ledgerQuery(kind, filters, page));
};

/** Signed-out visitors go to sign-in and come back to the page they asked for. */
function requireSession(AppLayout: ComponentType<{ me: Me }>) {
  return function RequireSession() {
    const { me } = useMe();
    const loc = useLocation();
    if (me === undefined) return <Loading />;
    if (me === null) {
      const next = loc.pathname + loc.search;
      return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
    }
    return <AppLayout me={me} />;
  };
}

function Home() {
  const { me } = useMe();
  if (me === undefined) return <Loading />;
  return <Navigate to={me ? homeOf(me.role) : '/sign-in'} replace />;
}

export const router = createBrowserRouter([
  { path: '/', Component: Home, ErrorBoundary: RouteError },
  {
    path: '/sign-in',
    lazy: chunk(() => import('../pages/SignIn')),
    HydrateFallback: Loading,
    ErrorBoundary: RouteError,
  },
  {
    lazy: async () => ({ Component: requireSession((await import('./layout')).default) }),
    HydrateFallback: Loading,
    ErrorBoundary: RouteError,
    children: [
      { path: '/my-work', loader: starts(clocks, units), lazy: chunk(() => import('../pages/MyWork')) },
      { path: '/clues/new', lazy: chunk(() => import('../pages/Intake')) },
      { path: '/clues/import', lazy: chunk(() => import('../pages/Import')) },
      { path: '/clues/:clueId', lazy: chunk(() => import('../pages/Clue')) },
      { path: '/ledger/:kind', loader: starts(ledger, units), lazy: chunk(() => import('../pages/Ledger')) },
      { path: '/campaigns/new', lazy: chunk(() => import('../pages/CampaignNew')) },
      { path: '/campaigns', lazy: chunk(() => import('../pages/Campaigns')) },
      { path: '/campaigns/:campaignId', lazy: chunk(() => import('../pages/Campaigns')) },
      { path: '/campaigns/:campaignId/units/:unitId', lazy: chunk(() => import('../pages/CampaignUnit')) },
      { path: '/escalations', lazy: chunk(() => import('../pages/Escalations')) },
      { path: '/escalations/:escalationId', lazy: chunk(() => import('../pages/Escalations')) },
      { path: '/overview', lazy: chunk(() => import('../pages/Overview')) },
      { path: '/reviews/:queue', lazy: chunk(() => import('../pages/Reviews')) },
      { path: '/referrals', lazy: chunk(() => import('../pages/Referrals')) },
      { path: '/referrals/:clueId', lazy: chunk(() => import('../pages/Referrals')) },
      { path: '/admin', lazy: chunk(() => import('../pages/Admin')) },
      { path: '/admin/:section', lazy: chunk(() => import('../pages/Admin')) },
      { path: '*', lazy: chunk(() => import('../pages/NotFound')) },
    ],
  },
]);
