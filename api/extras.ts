/** Route groups and pages beyond clues and people (campaigns, ledger, dashboard) register here. */
import type { ApiExtras } from './app';
import { ledgerRoutes } from './routes/ledger';
import { reportRoutes } from './routes/reports';
import { campaignRoutes } from './routes/campaigns';

export const fullApiExtras: ApiExtras = {
  routeGroups: [ledgerRoutes, reportRoutes, campaignRoutes],
};
