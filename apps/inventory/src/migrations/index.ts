import { CreateRigReadTables1767225600000 } from './1767225600000-create-rig-read-tables.migration';

/** The inventory's migrations, in the order they run (after the event store's and messaging's own). */
export const INVENTORY_MIGRATIONS = [CreateRigReadTables1767225600000];
