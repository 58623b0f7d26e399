import { CreateRevenueReadTables1767312000000 } from './1767312000000-create-revenue-read-tables.migration';
import { AddRigTimeAndReconciliation1767398400000 } from './1767398400000-add-rig-time-and-reconciliation.migration';

/**
 * Revenue's migrations. TypeORM runs a database's migrations in timestamp order: these run
 * after the event store's (1700000000000) and before messaging's and the service kit's (1793…),
 * which is safe because they use none of their tables.
 */
export const REVENUE_MIGRATIONS = [
  CreateRevenueReadTables1767312000000,
  AddRigTimeAndReconciliation1767398400000,
];
