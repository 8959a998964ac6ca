/**
 * The workbench's pages. Every path a message links to (src/links.ts) is here; each page is its own
 * chunk (React.lazy), so the first page loads only what it shows.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, useLocation } from 'react-router';
import { Spin } from 'antd';
import { homeOf, useMe } from './session';

// The frame and every page load on demand: sign-in, the first page most people see, stays small.
const AppLayout = lazy(() => import('./layout'));
const NotFound = lazy(() => import('../pages/NotFound'));
const SignIn = lazy(() => import('../pages/SignIn'));
const MyWork = lazy(() => import('../pages/MyWork'));
const CluePage = lazy(() => import('../pages/Clue'));
const CampaignUnit = lazy(() => import('../pages/CampaignUnit'));
const Campaigns = lazy(() => import('../pages/Campaigns'));
const Escalations = lazy(() => import('../pages/Escalations'));
const Overview = lazy(() => import('../pages/Overview'));
const Admin = lazy(() => import('../pages/Admin'));
const Intake = lazy(() => import('../pages/Intake'));
const Import = lazy(() => import('../pages/Import'));
const Reviews = lazy(() => import('../pages/Reviews'));
const Referrals = lazy(() => import('../pages/Referrals'));
const Ledger = lazy(() => import('../pages/Ledger'));
const CampaignNew = lazy(() => import('../pages/CampaignNew'));

export function Loading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin />
    </div>
  );
}

const page = (node: ReactNode) => <Suspense fallback={<Loading />}>{node}</Suspense>;

/** Signed-out visitors go to sign-in and come back to the page they asked for. */
function RequireSession() {
  const { me } = useMe();
  const loc = useLocation();
  if (me === undefined) return <Loading />;
  if (me === null) {
    const next = loc.pathname + loc.search;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return page(<AppLayout me={me} />);
}

function Home() {
  const { me } = useMe();
  if (me === undefined) return <Loading />;
  return <Navigate to={me ? homeOf(me.role) : '/sign-in'} replace />;
}

export const router = createBrowserRouter([
  { path: '/', element: <Home /> },
  { path: '/sign-in', element: page(<SignIn />) },
  {
    element: <RequireSession />,
    children: [
      { path: '/my-work', element: page(<MyWork />) },
      { path: '/clues/new', element: page(<Intake />) },
      { path: '/clues/import', element: page(<Import />) },
      { path: '/clues/:clueId', element: page(<CluePage />) },
      { path: '/ledger/:kind', element: page(<Ledger />) },
      { path: '/campaigns/new', element: page(<CampaignNew />) },
      { path: '/campaigns', element: page(<Campaigns />) },
      { path: '/campaigns/:campaignId', element: page(<Campaigns />) },
      { path: '/campaigns/:campaignId/units/:unitId', element: page(<CampaignUnit />) },
      { path: '/escalations', element: page(<Escalations />) },
      { path: '/escalations/:escalationId', element: page(<Escalations />) },
      { path: '/overview', element: page(<Overview />) },
      { path: '/reviews/:queue', element: page(<Reviews />) },
      { path: '/referrals', element: page(<Referrals />) },
      { path: '/referrals/:clueId', element: page(<Referrals />) },
      { path: '/admin', element: page(<Admin />) },
      { path: '/admin/:section', element: page(<Admin />) },
      { path: '*', element: page(<NotFound />) },
    ],
  },
]);
