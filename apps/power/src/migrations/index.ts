import { CreatePowerReadTables1767312000000 } from './1767312000000-create-power-read-tables.migration';
import { CreateCurtailmentsTable1767400000000 } from './1767400000000-create-curtailments-table.migration';
import { CreateEnergyAndForecastTables1767500000000 } from './1767500000000-create-energy-and-forecast-tables.migration';

/**
 * Power's migrations. TypeORM runs a database's migrations in timestamp order, not list order: these
 * run after the event store's (1700000000000) and before messaging's and the service kit's
 * (1793…), which is safe because it uses none of their tables.
 */
export const POWER_MIGRATIONS = [
  CreatePowerReadTables1767312000000,
  CreateCurtailmentsTable1767400000000,
  CreateEnergyAndForecastTables1767500000000,
];
