import { dialectOf, withIndexesDeferred, type EventStore } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';
import { PROJECTED_TABLES, REVENUE_PROJECTIONS } from '../read-models';
import { eventSqlOf } from './event-sql';
import { withRebuildCache } from './rebuild-cache';
import { REBUILD_STEPS, type RebuildStep } from './rebuild-steps';

export interface RebuildOutcome {
  /** The events the tables were folded from. */
  readonly events: number;
}

/** The step of each projection, in the projections' order; a projection without one is a bug. */
export function stepsOf(projections: readonly { readonly name: string }[]): RebuildStep[] {
  return projections.map(({ name }) => {
    const step = REBUILD_STEPS.find((candidate) => candidate.projection === name);
    if (!step) throw new Error(`the rebuild has no step for the projection ${name}`);
    return step;
  });
}

/**
 * The number of events the steps read, after checking that each is stored at the schema version
 * its step understands: the steps read stored data, past the store's upcasters.
 */
async function countReadableEvents(manager: EntityManager, steps: readonly RebuildStep[]): Promise<number> {
  const understood = new Map<string, number>();
  for (const step of steps)
    for (const [type, version] of Object.entries(step.reads)) understood.set(type, version);
  const stored = (await manager.query(
    `SELECT type, schema_version, COUNT(*) AS events FROM events
      WHERE type IN (${[...understood.keys()].map((type) => `'${type}'`).join(', ')})
      GROUP BY type, schema_version`,
  )) as { type: string; schema_version: number; events: number | string }[];
  let events = 0;
  for (const { type, schema_version: version, events: count } of stored) {
    if (version !== understood.get(type))
      throw new Error(
        `the rebuild reads ${type} at schema version ${understood.get(type)}, but the store holds version ${version}: update its step`,
      );
    events += Number(count);
  }
  return events;
}

/**
 * Empties revenue's projected tables and refills them from every event of the store, in one
 * transaction and in a few set-based statements (`rebuild-steps.ts`), with the tables' indexes
 * dropped meanwhile and built once at the end (`withIndexesDeferred`).
 *
 * Nobody sees the tables half-built: on PostgreSQL the transaction holds them exclusively from its
 * first statement (TRUNCATE) to its commit, so readers and appends that project into them wait and
 * then see the rebuilt tables, and an append waiting there is not in the rebuild and projects itself
 * after it; on SQLite the store's database lock keeps every other use of the connection out until
 * the commit. A failure rolls everything back, indexes included: the tables stay as they were.
 */
export async function rebuildReadModels(store: EventStore): Promise<RebuildOutcome> {
  const steps = stepsOf(REVENUE_PROJECTIONS);
  return store.transaction(async ({ manager }) => {
    const dialect = dialectOf(manager.connection);
    // PostgreSQL: TRUNCATE (transactional there) gives the tables fresh storage and locks them.
    // SQLite's DELETE without WHERE drops the tables' pages at once.
    if (dialect === 'postgres') await manager.query(`TRUNCATE ${PROJECTED_TABLES.join(', ')}`);
    else for (const table of PROJECTED_TABLES) await manager.query(`DELETE FROM ${table}`);
    const events = await countReadableEvents(manager, steps);
    const sql = eventSqlOf(dialect);
    await withRebuildCache(manager, dialect, () =>
      withIndexesDeferred(manager, PROJECTED_TABLES, async () => {
        for (const step of steps) await step.run(manager, sql);
      }),
    );
    return { events };
  });
}
