/**
 * The workbench's pages. Every path a message links to (src/links.ts) is here; each page is its own
 * chunk (React.lazy), so the first page loads only what it shows.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, useLocation } from 'react-router';
import { Spin } from 'antd';
import { homeOf, useMe } from './session';

// The frame and every page load on demand: sign-in, the first page most people see, stays small.
// Each chunk's loader, so the page a link opens can start downloading at once (preloadFor) instead of
// after the session check and the frame: the module cache makes the later lazy() resolve at once.
const chunks = {
  layout: () => import('./layout'),
  notFound: () => import('../pages/NotFound'),
  signIn: () => import('../pages/SignIn'),
  myWork: () => import('../pages/MyWork'),
  clue: () => import('../pages/Clue'),
  campaignUnit: () => import('../pages/CampaignUnit'),
  campaigns: () => import('../pages/Campaigns'),
  escalations: () => import('../pages/Escalations'),
  overview: () => import('../pages/Overview'),
  admin: () => import('../pages/Admin'),
  intake: () => import('../pages/Intake'),
  import: () => import('../pages/Import'),
  reviews: () => import('../pages/Reviews'),
  referrals: () => import('../pages/Referrals'),
  ledger: () => import('../pages/Ledger'),
  campaignNew: () => import('../pages/CampaignNew'),
};
const AppLayout = lazy(chunks.layout);
const NotFound = lazy(chunks.notFound);
const SignIn = lazy(chunks.signIn);
const MyWork = lazy(chunks.myWork);
const CluePage = lazy(chunks.clue);
const CampaignUnit = lazy(chunks.campaignUnit);
const Campaigns = lazy(chunks.campaigns);
const Escalations = lazy(chunks.escalations);
const Overview = lazy(chunks.overview);
const Admin = lazy(chunks.admin);
const Intake = lazy(chunks.intake);
const Import = lazy(chunks.import);
const Reviews = lazy(chunks.reviews);
const Referrals = lazy(chunks.referrals);
const Ledger = lazy(chunks.ledger);
const CampaignNew = lazy(chunks.campaignNew);

/** Starts loading the chunks the first page needs while the session is being checked. */
export function preloadFor(pathname: string): void {
  const [, first = '', second = ''] = pathname.split('/');
  if (first === 'sign-in' || first === '') {
    void chunks.signIn();
    return;
  }
  void chunks.layout();
  const byPath: Record<string, () => Promise<unknown>> = {
    'my-work': chunks.myWork,
    clues: second === 'new' ? chunks.intake : second === 'import' ? chunks.import : chunks.clue,
    campaigns: pathname.includes('/units/')
      ? chunks.campaignUnit
      : second === 'new'
        ? chunks.campaignNew
        : chunks.campaigns,
    escalations: chunks.escalations,
    overview: chunks.overview,
    admin: chunks.admin,
    reviews: chunks.reviews,
    referrals: chunks.referrals,
    ledger: chunks.ledger,
  };
  void byPath[first]?.();
}

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
