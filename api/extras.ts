/** Route groups and pages beyond clues and people (campaigns, ledger, workbench) register here. */
import type { ApiExtras } from './app';
import { auditRoutes } from './routes/audit';
import { ledgerRoutes } from './routes/ledger';
import { reportRoutes } from './routes/reports';
import { campaignRoutes } from './routes/campaigns';
import { webPages } from './pages/web';

export const fullApiExtras: ApiExtras = {
  routeGroups: [ledgerRoutes, reportRoutes, campaignRoutes, auditRoutes],
  pages: (app) => {
    webPages(app);
  },
};
