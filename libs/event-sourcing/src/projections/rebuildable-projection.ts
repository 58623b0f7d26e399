import type { InlineProjection } from '../event-store';

/**
 * An inline projection that also knows how to refill its table from scratch: `rebuilding()` hands
 * out a fold for one rebuild, over a table emptied before its first page, which may skip what only
 * a live append needs (looking up rows that cannot be there yet).
 */
export interface RebuildableProjection extends InlineProjection {
  rebuilding(): InlineProjection;
}

/** The projection to run in a rebuild: its rebuild fold when it has one, else itself. */
export function projectionForRebuild(projection: InlineProjection): InlineProjection {
  return 'rebuilding' in projection && typeof projection.rebuilding === 'function'
    ? (projection as RebuildableProjection).rebuilding()
    : projection;
}
