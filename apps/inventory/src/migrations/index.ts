import { CreateRigReadTables1767225600000 } from './1767225600000-create-rig-read-tables.migration';

/**
 * The inventory's migrations. TypeORM runs a database's migrations in timestamp order, not list
 * order: this one (1767225600000) runs after the event store's (1700000000000) but before
 * messaging's and the service kit's (1793…), which is safe because it uses none of their tables.
 */
export const INVENTORY_MIGRATIONS = [CreateRigReadTables1767225600000];
