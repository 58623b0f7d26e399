import { deleteRows, insertRows, selectRows, updateRows } from '@fleet/event-sourcing';
import type { EntityManager } from 'typeorm';
import type { ReportEvent } from './report-event';
import type { ReportFold } from './report-fold';
import { reportDocumentsTable, type ReportDocumentRow } from './report-document.entity';

type Origin = 'stored' | 'new';

/** A document as folded so far (`data` null: none, or deleted). */
interface Entry {
  readonly origin: Origin;
  /** The facility the document was created for (undefined while there is none). */
  facilityId: string | undefined;
  data: unknown;
  changed: boolean;
}

/**
 * The documents a run of events touches, in memory: loaded in one statement (`load`), folded event
 * by event (`apply`), and written once each (`flush`): the way `rowProjection` handles an append.
 * A consumer uses one per event, in its transaction; a rebuild one for the whole history.
 */
export class DocumentWorkingSet {
  /** By kind, then key: no string built per event to find a document. */
  private readonly entries = new Map<string, Map<string, Entry>>();
  /** The folds that read each event type (`ReportFold.types`). */
  private readonly foldsByType = new Map<string, ReportFold<unknown>[]>();

  constructor(
    readonly generation: number,
    folds: readonly ReportFold<unknown>[],
  ) {
    for (const fold of folds) {
      this.entries.set(fold.kind, new Map());
      for (const type of fold.types) {
        const readers = this.foldsByType.get(type);
        if (readers) readers.push(fold);
        else this.foldsByType.set(type, [fold]);
      }
    }
  }

  /** Whether a fold of this set reads events of `type`: the others change no document. */
  reads(type: string): boolean {
    return this.foldsByType.has(type);
  }

  private foldsOf(event: ReportEvent): readonly ReportFold<unknown>[] {
    return this.foldsByType.get(event.type) ?? [];
  }

  private entriesOf(kind: string): Map<string, Entry> {
    let entries = this.entries.get(kind);
    if (!entries) {
      entries = new Map();
      this.entries.set(kind, entries);
    }
    return entries;
  }

  /** Reads the stored documents these events touch that the set does not hold yet. */
  async load(manager: EntityManager, events: readonly ReportEvent[]): Promise<void> {
    const wanted = new Map<string, Pick<ReportDocumentRow, 'generation' | 'kind' | 'key'>>();
    for (const event of events)
      for (const fold of this.foldsOf(event))
        for (const key of fold.keysOf(event))
          if (!this.entriesOf(fold.kind).has(key))
            wanted.set(`${fold.kind}\u0000${key}`, { generation: this.generation, kind: fold.kind, key });
    const rows = await selectRows(
      manager,
      reportDocumentsTable,
      ['generation', 'kind', 'key'],
      [...wanted.values()],
    );
    for (const row of rows)
      this.entriesOf(row.kind).set(row.key, {
        origin: 'stored',
        facilityId: row.facilityId,
        data: row.data,
        changed: false,
      });
    for (const { kind, key } of wanted.values()) {
      const entries = this.entriesOf(kind);
      if (!entries.has(key))
        entries.set(key, { origin: 'new', facilityId: undefined, data: null, changed: false });
    }
  }

  /** Folds one event into every document it touches (loaded first, or new to this set). */
  apply(event: ReportEvent): void {
    for (const fold of this.foldsOf(event)) {
      const entries = this.entriesOf(fold.kind);
      for (const key of fold.keysOf(event)) {
        let entry = entries.get(key);
        if (!entry) {
          entry = { origin: 'new', facilityId: undefined, data: null, changed: false };
          entries.set(key, entry);
        }
        const next = fold.evolve(entry.data === null ? undefined : entry.data, event, key);
        // A document keeps the facility it was created for; deleted, it forgets it.
        entry.facilityId = next === null ? undefined : (entry.facilityId ?? event.meta.facilityId);
        entry.data = next;
        entry.changed = true;
      }
    }
  }

  private rowOf(kind: string, key: string, entry: Entry): ReportDocumentRow | null {
    return entry.data === null || entry.facilityId === undefined
      ? null
      : { generation: this.generation, kind, key, facilityId: entry.facilityId, data: entry.data };
  }

  /** The documents of one kind as folded so far (tests and the rebuild's comparison). */
  documents(kind: string): ReportDocumentRow[] {
    return [...(this.entries.get(kind) ?? new Map<string, Entry>())]
      .map(([key, entry]) => this.rowOf(kind, key, entry))
      .filter((row): row is ReportDocumentRow => row !== null);
  }

  /** Writes every changed document: one insert, one update and one delete statement at most. */
  async flush(manager: EntityManager): Promise<void> {
    const inserts: ReportDocumentRow[] = [];
    const updates: ReportDocumentRow[] = [];
    const deletes: Pick<ReportDocumentRow, 'generation' | 'kind' | 'key'>[] = [];
    for (const [kind, entries] of this.entries)
      for (const [key, entry] of entries) {
        if (!entry.changed) continue;
        const row = this.rowOf(kind, key, entry);
        if (row === null) {
          if (entry.origin === 'stored') deletes.push({ generation: this.generation, kind, key });
        } else if (entry.origin === 'stored') updates.push(row);
        else inserts.push(row);
      }
    await deleteRows(manager, reportDocumentsTable, ['generation', 'kind', 'key'], deletes);
    await updateRows(manager, reportDocumentsTable, updates, ['facilityId', 'data']);
    await insertRows(manager, reportDocumentsTable, inserts);
    for (const entries of this.entries.values()) entries.clear();
  }
}
