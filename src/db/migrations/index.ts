import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126014425 } from './Migration20261126014425';
import { Migration20261126030000_campaigns } from './Migration20261126030000_campaigns';
import { Migration20261126040000_read_indexes } from './Migration20261126040000_read_indexes';
import { Migration20261126060000_outbox_relay } from './Migration20261126060000_outbox_relay';
import { Migration20261201222700_unit_contacts } from './Migration20261201222700_unit_contacts';
import { Migration20261201222911_sign_in } from './Migration20261201222911_sign_in';
import { Migration20261201232800_audit_security_index } from './Migration20261201232800_audit_security_index';
import { Migration20261202014705_clue_workflow_end } from './Migration20261202014705_clue_workflow_end';

/** Committed migrations, in order. Generate a new one with `npm run migration:create`, then list it here. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261126014425', class: Migration20261126014425 },
  { name: 'Migration20261126030000_campaigns', class: Migration20261126030000_campaigns },
  { name: 'Migration20261126040000_read_indexes', class: Migration20261126040000_read_indexes },
  { name: 'Migration20261126060000_outbox_relay', class: Migration20261126060000_outbox_relay },
  { name: 'Migration20261201222700_unit_contacts', class: Migration20261201222700_unit_contacts },
  { name: 'Migration20261201222911_sign_in', class: Migration20261201222911_sign_in },
  {
    name: 'Migration20261201232800_audit_security_index',
    class: Migration20261201232800_audit_security_index,
  },
  { name: 'Migration20261202014705_clue_workflow_end', class: Migration20261202014705_clue_workflow_end },
];
