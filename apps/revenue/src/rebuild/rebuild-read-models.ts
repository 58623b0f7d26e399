import {
  dialectOf,
  projectionForRebuild,
  type EventStore,
  type InlineProjection,
  type RecordedEvent,
} from '@fleet/event-sourcing';
import { PROJECTED_TABLES, REVENUE_PROJECTIONS } from '../read-models';
import { withRebuildCache } from './rebuild-cache';

export interface RebuildOutcome {
  readonly events: number;
  readonly pages: number;
}

/** Events per page: each page is one transaction of a few multi-row statements per projection. */
export const REBUILD_PAGE_SIZE = 20_000;
const HELD_BACK_POLL_MS = 50;

/**
 * Empties revenue's projected tables and folds every event of the store into them again, page by
 * page in `readAll` order: each page goes through every projection at once, in one transaction.
 * The projections run in their rebuild mode (`projectionForRebuild`: a row that this rebuild has
 * not written yet is known to be absent, so it is inserted without a lookup), the next page is read
 * while the current one is written (on PostgreSQL, on another connection), and SQLite gets a page
 * cache large enough for the tables' indexes for the length of the rebuild. For a service that is
 * not writing meanwhile (a new read model, a repaired table): reads in between see the tables
 * partly rebuilt.
 */
export async function rebuildReadModels(
  store: EventStore,
  projections: readonly InlineProjection[] = REVENUE_PROJECTIONS,
  pageSize = REBUILD_PAGE_SIZE,
): Promise<RebuildOutcome> {
  const dialect = await store.transaction(async ({ manager }) => {
    const dialectHere = dialectOf(manager.connection);
    // PostgreSQL: TRUNCATE (transactional there) gives the tables and their indexes fresh storage,
    // where a DELETE would leave every old row and index entry dead for the inserts to step over.
    // SQLite's DELETE without WHERE already drops the tables' pages at once.
    if (dialectHere === 'postgres') await manager.query(`TRUNCATE ${PROJECTED_TABLES.join(', ')}`);
    else for (const table of PROJECTED_TABLES) await manager.query(`DELETE FROM ${table}`);
    return dialectHere;
  });
  const handled = projections.map((projection) => ({
    projection: projectionForRebuild(projection),
    types: new Set(projection.handles),
  }));
  const applyPage = (page: readonly RecordedEvent[]) =>
    store.transaction(async ({ manager }) => {
      for (const { projection, types } of handled) {
        const mine = page.filter((event) => types.has(event.type));
        if (mine.length > 0) await projection.apply(mine, manager);
      }
    });

  const read = (after: bigint) => {
    const page = store.readAll({ after, limit: pageSize });
    // Awaited later, possibly after a failed write: marked handled so that a failure of its own
    // meanwhile is not an unhandled rejection (awaiting it still throws).
    page.catch(() => undefined);
    return page;
  };

  return withRebuildCache(store, dialect, async () => {
    let after = 0n;
    let events = 0;
    let pages = 0;
    let reading = read(after);
    for (;;) {
      const page = await reading;
      if (page.length === 0) {
        // On PostgreSQL an empty page is the end only when nothing committed is held back (a
        // transaction that took its position earlier still open): wait for those rather than miss them.
        if ((await store.countHeldBack()) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, HELD_BACK_POLL_MS));
        reading = read(after);
        continue;
      }
      after = page[page.length - 1].position;
      // The next page is on its way while this one is written.
      reading = read(after);
      await applyPage(page);
      events += page.length;
      pages += 1;
    }
    return { events, pages };
  });
}
