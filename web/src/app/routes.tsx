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
const NotYet = lazy(() => import('../pages/NotYet'));

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
      { path: '/clues/:clueId', element: page(<CluePage />) },
      { path: '/campaigns', element: page(<Campaigns />) },
      { path: '/campaigns/:campaignId', element: page(<Campaigns />) },
      { path: '/campaigns/:campaignId/units/:unitId', element: page(<CampaignUnit />) },
      { path: '/escalations', element: page(<NotYet page="escalations" />) },
      { path: '/escalations/:escalationId', element: page(<NotYet page="escalations" />) },
      { path: '/reviews/:queue', element: page(<NotYet page="reviews" />) },
      { path: '/referrals', element: page(<NotYet page="referrals" />) },
      { path: '/referrals/:clueId', element: page(<NotYet page="referrals" />) },
      { path: '/admin', element: page(<NotYet page="admin" />) },
      { path: '*', element: page(<NotFound />) },
    ],
  },
]);
