import type { ReportEvent } from './report-event';

/**
 * A report's read model as a pure fold over documents, the way `rowProjection` folds rows: the
 * keys an event touches, and what each document becomes (null: no document). No I/O, so the same
 * fold runs in a consumer's transaction and in a rebuild's memory.
 */
export interface ReportFold<Doc> {
  /** Names the documents' kind in `report_documents` (`fleet-rig`, `pnl-month`). */
  readonly kind: string;
  /**
   * Every event type `keysOf` answers keys for: the others are not handed to the fold, and a
   * rebuild neither checks nor folds a type no fold of its stream reads (power's meter readings).
   */
  readonly types: readonly ReportEvent['type'][];
  keysOf(event: ReportEvent): readonly string[];
  evolve(doc: Doc | undefined, event: ReportEvent, key: string): Doc | null;
}
