import { deleteRows, insertRows, selectRows, updateRows } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';
import type { ReportEvent } from './report-event';
import type { ReportFold } from './report-fold';
import { reportDocumentsTable, type ReportDocumentRow } from './report-document.entity';

type Origin = 'stored' | 'new';

interface Entry {
  readonly kind: string;
  readonly key: string;
  readonly origin: Origin;
  row: ReportDocumentRow | null;
  changed: boolean;
}

const identity = (kind: string, key: string): string => `${kind}\u0000${key}`;

/**
 * The documents a run of events touches, in memory: loaded in one statement (`load`), folded event
 * by event (`apply`), and written once each (`flush`): the way `rowProjection` handles an append.
 * A consumer uses one per event, in its transaction; a rebuild one for the whole history.
 */
export class DocumentWorkingSet {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly generation: number,
    private readonly folds: readonly ReportFold<unknown>[],
  ) {}

  /** Reads the stored documents these events touch that the set does not hold yet. */
  async load(manager: EntityManager, events: readonly ReportEvent[]): Promise<void> {
    const wanted = new Map<string, Pick<ReportDocumentRow, 'generation' | 'kind' | 'key'>>();
    for (const event of events)
      for (const fold of this.folds)
        for (const key of fold.keysOf(event)) {
          const id = identity(fold.kind, key);
          if (!this.entries.has(id)) wanted.set(id, { generation: this.generation, kind: fold.kind, key });
        }
    const rows = await selectRows(
      manager,
      reportDocumentsTable,
      ['generation', 'kind', 'key'],
      [...wanted.values()],
    );
    for (const row of rows)
      this.entries.set(identity(row.kind, row.key), {
        kind: row.kind,
        key: row.key,
        origin: 'stored',
        row,
        changed: false,
      });
    for (const [id, { kind, key }] of wanted)
      if (!this.entries.has(id))
        this.entries.set(id, { kind, key, origin: 'new', row: null, changed: false });
  }

  /** Folds one event into every document it touches (loaded first, or new to this set). */
  apply(event: ReportEvent): void {
    for (const fold of this.folds)
      for (const key of fold.keysOf(event)) {
        const id = identity(fold.kind, key);
        let entry = this.entries.get(id);
        if (!entry) {
          entry = { kind: fold.kind, key, origin: 'new', row: null, changed: false };
          this.entries.set(id, entry);
        }
        const next = fold.evolve(entry.row?.data, event, key);
        entry.row =
          next === null
            ? null
            : {
                generation: this.generation,
                kind: fold.kind,
                key,
                facilityId: entry.row?.facilityId ?? event.meta.facilityId,
                data: next,
              };
        entry.changed = true;
      }
  }

  /** The documents of one kind as folded so far (tests and the rebuild's comparison). */
  documents(kind: string): ReportDocumentRow[] {
    return [...this.entries.values()]
      .map((entry) => entry.row)
      .filter((row): row is ReportDocumentRow => row !== null && row.kind === kind);
  }

  /** Writes every changed document: one insert, one update and one delete statement at most. */
  async flush(manager: EntityManager): Promise<void> {
    const inserts: ReportDocumentRow[] = [];
    const updates: ReportDocumentRow[] = [];
    const deletes: Pick<ReportDocumentRow, 'generation' | 'kind' | 'key'>[] = [];
    for (const entry of this.entries.values()) {
      if (!entry.changed) continue;
      if (entry.row === null) {
        if (entry.origin === 'stored')
          deletes.push({ generation: this.generation, kind: entry.kind, key: entry.key });
      } else if (entry.origin === 'stored') updates.push(entry.row);
      else inserts.push(entry.row);
    }
    await deleteRows(manager, reportDocumentsTable, ['generation', 'kind', 'key'], deletes);
    await updateRows(manager, reportDocumentsTable, updates, ['facilityId', 'data']);
    await insertRows(manager, reportDocumentsTable, inserts);
    this.entries.clear();
  }
}
