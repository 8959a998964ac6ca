/** Route groups and pages beyond clues and people (campaigns, ledger, dashboard) register here. */
import type { ApiExtras } from './app';

export const fullApiExtras: ApiExtras = {
  routeGroups: [],
};
