import type { EntityManager } from 'typeorm';
import { deleteRows, insertRows, selectRows, updateRows } from '../database/rows/bulk-rows';
import type { RowTable } from '../database/rows/row-table';
import type { Event, RecordedEvent } from '../event';
import type { InlineProjection } from '../event-store';
import type { RebuildableProjection } from './rebuildable-projection';

/**
 * A query table whose every row is a fold of events: `evolve(row, event)`, like a decider's
 * `evolve` (Emmett's single-stream projections have the same shape).
 */
export interface RowProjectionDefinition<Row, E extends Event> {
  readonly name: string;
  readonly table: RowTable<Row>;
  /** Event types that change rows; `rowIdOf` and `evolve` see only these. */
  readonly handles: readonly E['type'][];
  /** The primary key of the row the event changes, or undefined when it changes none. */
  readonly rowIdOf: (event: RecordedEvent<E>) => string | undefined;
  /** The row after the event: `row` is null when there is none yet, and a null answer deletes it. */
  readonly evolve: (row: Row | null, event: RecordedEvent<E>) => Row | null;
  /**
   * Event types that create their row, which cannot exist before them (a stream's first event): a
   * row whose first event in the append is one of these is not looked up. Were it there after all,
   * its insert fails on the primary key rather than overwrite it.
   */
  readonly createdBy?: readonly E['type'][];
}

interface TrackedRow<Row> {
  readonly existed: boolean;
  row: Row | null;
}

/**
 * The inline projection of a fold: load every row the append touches in one statement, apply its
 * events in order in memory, write each row once (insert, update or delete) in one statement per
 * kind. An append of a thousand rigs or of a dozen events of one order costs a few statements.
 */
export function rowProjection<Row, E extends Event>(
  definition: RowProjectionDefinition<Row, E>,
): RebuildableProjection {
  const { table, rowIdOf, evolve } = definition;
  const creating = new Set<string>(definition.createdBy ?? []);
  if (table.primaryKey.length !== 1)
    throw new Error(
      `${definition.name}: a row projection needs a single-column primary key, ${table.name} has ${table.primaryKey.length}`,
    );
  const [idField] = table.primaryKey;
  const idOf = (row: Row) => String(row[idField]);

  /**
   * Folds `events` into their rows. `mayExist(id, event)` says whether a row must be looked up
   * before its first event here; every other row starts from nothing.
   */
  async function fold(
    events: readonly RecordedEvent<E>[],
    manager: EntityManager,
    mayExist: (id: string, event: RecordedEvent<E>) => boolean,
  ): Promise<{ readonly written: readonly string[]; readonly deleted: readonly string[] }> {
    // Each touched row, and whether it has to be read first.
    const touched = new Map<string, boolean>();
    for (const event of events) {
      const id = rowIdOf(event);
      if (id !== undefined && !touched.has(id)) touched.set(id, mayExist(id, event));
    }
    if (touched.size === 0) return { written: [], deleted: [] };

    const keys: Pick<Row, typeof idField>[] = [];
    for (const [id, lookUp] of touched) if (lookUp) keys.push({ [idField]: id } as Pick<Row, typeof idField>);
    const rows = new Map<string, TrackedRow<Row>>();
    if (keys.length > 0)
      for (const row of await selectRows(manager, table, [idField], keys))
        rows.set(idOf(row), { existed: true, row });
    // Events in append order, each on its row's latest version.
    for (const event of events) {
      const id = rowIdOf(event);
      if (id === undefined) continue;
      const tracked = rows.get(id) ?? { existed: false, row: null };
      tracked.row = evolve(tracked.row, event);
      rows.set(id, tracked);
    }

    const inserted: Row[] = [];
    const updated: Row[] = [];
    const deleted: Pick<Row, typeof idField>[] = [];
    for (const [id, { existed, row }] of rows) {
      if (row !== null && idOf(row) !== id)
        throw new Error(`${definition.name}: evolve changed row ${id}'s key to ${idOf(row)}`);
      if (row === null) {
        if (existed) deleted.push({ [idField]: id } as Pick<Row, typeof idField>);
      } else (existed ? updated : inserted).push(row);
    }
    await deleteRows(manager, table, [idField], deleted);
    await updateRows(manager, table, updated);
    await insertRows(manager, table, inserted);
    return { written: inserted.map(idOf), deleted: deleted.map((key) => String(key[idField])) };
  }

  return {
    name: definition.name,
    handles: definition.handles,
    async apply(recorded: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
      await fold(recorded as readonly RecordedEvent<E>[], manager, (_id, event) => !creating.has(event.type));
    },
    rebuilding(): InlineProjection {
      // The table was emptied when the rebuild began: the only rows there are the ones this fold
      // wrote, so only those are looked up (a row a later page changes), every other is inserted.
      const present = new Set<string>();
      return {
        name: definition.name,
        handles: definition.handles,
        async apply(recorded: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
          const { written, deleted } = await fold(recorded as readonly RecordedEvent<E>[], manager, (id) =>
            present.has(id),
          );
          for (const id of written) present.add(id);
          for (const id of deleted) present.delete(id);
        },
      };
    },
  };
}
