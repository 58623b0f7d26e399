import type { MigrationInterface } from 'typeorm';
import { AddEventDataBytes1700000000050 } from './add-event-data-bytes.migration';
import { CreateEventStore1700000000000 } from './create-event-store.migration';

/** A TypeORM migration class, as `DataSourceOptions.migrations` takes it. */
export type MigrationClass = new () => MigrationInterface;

/** The event store's migrations, oldest first; `openDatabase` runs them before a service's own. */
export const eventStoreMigrations: readonly MigrationClass[] = [
  CreateEventStore1700000000000,
  AddEventDataBytes1700000000050,
];
