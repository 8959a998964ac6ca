import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126014425 } from './Migration20261126014425';

/** Committed migrations, in order. Generate a new one with `npm run migration:create`, then list it here. */
export const migrationsList: MigrationObject[] = [{ name: 'Migration20261126014425', class: Migration20261126014425 }];
