import { CreateRigReadTables1767225600000 } from './1767225600000-create-rig-read-tables.migration';
import { AddRigFacilityPowerVersion1767398400000 } from './1767398400000-add-rig-facility-power-version.migration';

/**
 * The inventory's migrations. TypeORM runs a database's migrations in timestamp order, not list
 * order: these (1767…) run after the event store's (1700000000000) but before
 * messaging's and the service kit's (1793…), which is safe because they use none of their tables.
 */
export const INVENTORY_MIGRATIONS = [
  CreateRigReadTables1767225600000,
  AddRigFacilityPowerVersion1767398400000,
];
