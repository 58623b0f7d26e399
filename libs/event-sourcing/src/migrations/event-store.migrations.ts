import type { MigrationInterface } from 'typeorm';
import { CreateEventStore1700000000000 } from './create-event-store.migration';

/** A TypeORM migration class, as `DataSourceOptions.migrations` takes it. */
export type MigrationClass = new () => MigrationInterface;

/** The event store's migrations, oldest first; `openDatabase` runs them before a service's own. */
export const eventStoreMigrations: readonly MigrationClass[] = [CreateEventStore1700000000000];
