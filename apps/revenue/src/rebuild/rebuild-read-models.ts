import type { EventStore, InlineProjection } from '@fleet/event-sourcing';
import { PROJECTED_TABLES, REVENUE_PROJECTIONS } from '../read-models';

export interface RebuildOutcome {
  readonly events: number;
  readonly pages: number;
}

/** Events per page: each page is one transaction of a few multi-row statements per projection. */
export const REBUILD_PAGE_SIZE = 20_000;
const HELD_BACK_POLL_MS = 50;

/**
 * Empties revenue's projected tables and folds every event of the store into them again, page by
 * page in `readAll` order: each page goes through every projection at once (a projection batches a
 * page into a few statements), in one transaction. For a service that is not writing meanwhile (a
 * new read model, a repaired table): reads in between see the tables partly rebuilt.
 */
export async function rebuildReadModels(
  store: EventStore,
  projections: readonly InlineProjection[] = REVENUE_PROJECTIONS,
  pageSize = REBUILD_PAGE_SIZE,
): Promise<RebuildOutcome> {
  await store.transaction(async ({ manager }) => {
    for (const table of PROJECTED_TABLES) await manager.query(`DELETE FROM ${table}`);
  });
  const handled = projections.map((projection) => ({ projection, types: new Set(projection.handles) }));
  let after = 0n;
  let events = 0;
  let pages = 0;
  for (;;) {
    const page = await store.readAll({ after, limit: pageSize });
    if (page.length === 0) {
      // On PostgreSQL an empty page is the end only when nothing committed is held back (a
      // transaction that took its position earlier still open): wait for those rather than miss them.
      if ((await store.countHeldBack()) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, HELD_BACK_POLL_MS));
      continue;
    }
    await store.transaction(async ({ manager }) => {
      for (const { projection, types } of handled) {
        const mine = page.filter((event) => types.has(event.type));
        if (mine.length > 0) await projection.apply(mine, manager);
      }
    });
    after = page[page.length - 1].position;
    events += page.length;
    pages += 1;
  }
  return { events, pages };
}
