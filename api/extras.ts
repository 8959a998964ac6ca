/** Route groups and pages beyond clues and people (campaigns, ledger, dashboard) register here. */
import type { ApiExtras } from './app';
import { ledgerRoutes } from './routes/ledger';

export const fullApiExtras: ApiExtras = {
  routeGroups: [ledgerRoutes],
};
