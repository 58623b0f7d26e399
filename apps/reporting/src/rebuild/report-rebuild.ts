import { performance } from 'node:perf_hooks';
import { dialectOf, DomainError, insertRows, SqlParameters, type EventStore } from '@fleet/event-sourcing';
import { isPoisonMessageFailure } from '@fleet/messaging';
import type { EntityManager } from 'typeorm';
import { DocumentWorkingSet } from '../report-kit/document-working-set';
import { reportEventOf, type ReportEvent } from '../report-kit/report-event';
import { reportGenerationsTable } from '../report-kit/report-generation.entity';
import { activeGeneration, checkpointOf, saveCheckpoint } from '../report-kit/report-generations';
import { BackgroundWrites } from './background-writes';
import { REPORT_SOURCES, type ReportSource } from './report-sources';
import { SourceHistory, type HistoricEvent, type SourceReaders } from './source-history';

/** A building generation without a sign of life this long was abandoned (its instance stopped). */
export const ABANDONED_AFTER_MS = 10 * 60_000;
/** How often a running rebuild records its progress in `report_generations`. */
const SIGN_OF_LIFE_MS = 5000;

/** What a rebuild has done so far, for a progress bar and `GET /reports/status`. */
export interface RebuildProgress {
  readonly generation: number;
  readonly eventsDone: number;
  /** The events the streams held when the rebuild began (a feed's older events come on top). */
  readonly eventsExpected: number;
  readonly elapsedMs: number;
}

export interface RebuildResult extends RebuildProgress {
  readonly eventsPerSecond: number;
}

export interface RebuildOptions {
  readonly sources?: readonly ReportSource[];
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** Progress is reported after this many events (and at the end). Default 5,000. */
  readonly progressEvery?: number;
  /**
   * Runs once the history is written aside, before the swap: whatever the streams receive until the
   * swap is caught up in it (tests of that catch-up publish here).
   */
  readonly beforeSwap?: () => Promise<void>;
}

/** A rebuild is already under way (one at a time: each writes a whole generation). */
export class RebuildRunningError extends DomainError {
  constructor(generation: number) {
    super('conflict', 'rebuild-running', `generation ${generation} is being rebuilt; wait for it to finish`, {
      generation,
    });
  }
}

interface FoldedSource {
  readonly source: ReportSource;
  readonly history: SourceHistory;
  position: string;
  events: number;
}

/**
 * Rebuilds every report from the start of its streams into a new generation, aside from the one
 * the reports answer from, then swaps: reports never see a half-built generation. The history is
 * folded in memory with the consumers' own folds; the swap catches up with what the streams
 * received meanwhile, under the lock the consumers share, and the live consumers then pass over
 * the messages the rebuild folded.
 */
export class ReportRebuild {
  constructor(
    private readonly store: EventStore,
    private readonly readers: SourceReaders,
  ) {}

  /**
   * Claims the next generation: refused while another rebuild runs, unless that one shows no sign of
   * life for `ABANDONED_AFTER_MS` (its instance died): it is then marked failed and replaced.
   */
  claim(now = new Date()): Promise<number> {
    return this.store.transaction(async ({ manager }) => {
      const rows: { generation: number | string; status: string; progressed_at: string }[] =
        await manager.query(
          `SELECT generation, status, progressed_at FROM report_generations ORDER BY generation DESC`,
        );
      const building = rows.find((row) => row.status === 'building');
      if (building) {
        if (now.getTime() - Date.parse(building.progressed_at) < ABANDONED_AFTER_MS)
          throw new RebuildRunningError(Number(building.generation));
        await markFailed(
          manager,
          Number(building.generation),
          `abandoned: no progress since ${building.progressed_at} (its instance stopped)`,
        );
      }
      const generation = Number(rows[0]?.generation ?? 0) + 1;
      await insertRows(manager, reportGenerationsTable, [
        {
          generation,
          status: 'building',
          startedAt: now.toISOString(),
          progressedAt: now.toISOString(),
          finishedAt: null,
          events: 0,
          error: null,
        },
      ]);
      return generation;
    });
  }

  /** Builds the claimed generation and swaps it in; on failure marks it failed and rethrows. */
  async run(generation: number, options: RebuildOptions = {}): Promise<RebuildResult> {
    const started = performance.now();
    try {
      const sources = options.sources ?? REPORT_SOURCES;
      const folded: FoldedSource[] = [];
      for (const source of sources)
        folded.push({
          source,
          history: await SourceHistory.open(source.context, this.readers, source.stream),
          position: '0',
          events: 0,
        });
      const eventsExpected = folded.reduce((total, entry) => total + entry.history.streamEvents, 0);
      const every = options.progressEvery ?? 5000;
      let eventsDone = 0;
      const progress = (): RebuildProgress => ({
        generation,
        eventsDone,
        eventsExpected: Math.max(eventsExpected, eventsDone),
        elapsedMs: performance.now() - started,
      });
      // The folds run in the stream's message callback, which cannot wait: signs of life are
      // written meanwhile, and each stream's documents (the generation is aside, invisible to the
      // reports until the swap) while the next stream is read.
      const writes = new BackgroundWrites();
      let lastSign = Date.now();
      for (const entry of folded) {
        const documents = new DocumentWorkingSet(generation, entry.source.folds);
        await entry.history.read((historic) => {
          foldInto(documents, entry, historic);
          eventsDone += 1;
          if (eventsDone % every !== 0) return;
          options.onProgress?.(progress());
          if (Date.now() - lastSign < SIGN_OF_LIFE_MS) return;
          lastSign = Date.now();
          const done = eventsDone;
          writes.start(() => this.signOfLife(generation, done));
        });
        writes.start(() => this.store.transaction(({ manager }) => documents.flush(manager)));
      }
      await writes.settle();
      await this.store.transaction(async ({ manager }) => {
        for (const entry of folded)
          await writeCheckpoint(manager, generation, entry, entry.history.lastSequence);
      });
      await this.signOfLife(generation, eventsDone);
      await options.beforeSwap?.();
      await this.swap(generation, folded);
      const done = progress();
      options.onProgress?.(done);
      await this.signOfLife(generation, eventsDone);
      return { ...done, eventsPerSecond: eventsDone / Math.max(done.elapsedMs / 1000, 1e-9) };
    } catch (error) {
      await this.fail(generation, error).catch(() => undefined);
      throw error;
    }
  }

  /**
   * One transaction: lock the active generation (the consumers wait), fold what each stream
   * received since the rebuild read it, make the new generation active, drop the old ones.
   */
  private swap(generation: number, folded: readonly FoldedSource[]): Promise<void> {
    return this.store.transaction(async ({ manager }) => {
      const postgres = dialectOf(manager.connection) === 'postgres';
      // PostgreSQL: wait for the folds in flight (they share-lock the row), hold off the next ones.
      // SQLite: a write takes the database's one write lock now, not at the first catch-up write.
      if (postgres)
        await manager.query(`SELECT generation FROM report_active_generation WHERE id = 1 FOR UPDATE`);
      else await manager.query(`UPDATE report_active_generation SET generation = generation WHERE id = 1`);
      for (const entry of folded) {
        const fresh = await SourceHistory.open(entry.source.context, this.readers, entry.source.stream);
        if (fresh.lastSequence <= entry.history.lastSequence) continue;
        const events: HistoricEvent[] = [];
        await fresh.readStream(entry.history.lastSequence + 1, fresh.lastSequence, (historic) =>
          events.push(historic),
        );
        const documents = new DocumentWorkingSet(generation, entry.source.folds);
        await documents.load(
          manager,
          events.flatMap((historic) =>
            documents.reads(historic.envelope.type) ? (knownEventOf(historic) ?? []) : [],
          ),
        );
        for (const historic of events) foldInto(documents, entry, historic);
        await documents.flush(manager);
        await writeCheckpoint(manager, generation, entry, fresh.lastSequence);
      }
      const previous = await activeGeneration(manager);
      // Generation numbers are integers of our own: written in the statement, each used twice.
      const next = Number(generation);
      const params = new SqlParameters(dialectOf(manager.connection));
      await manager.query(
        `UPDATE report_generations SET status = CASE WHEN generation = ${next} THEN 'active' ELSE 'retired' END, ` +
          `finished_at = CASE WHEN generation = ${next} THEN ${params.add(new Date().toISOString())} ELSE finished_at END ` +
          `WHERE generation IN (${next}, ${Number(previous)})`,
        params.values,
      );
      await manager.query(
        `UPDATE report_active_generation SET generation = ${Number(generation)} WHERE id = 1`,
      );
      await manager.query(`DELETE FROM report_documents WHERE generation <> ${Number(generation)}`);
      await manager.query(`DELETE FROM report_checkpoints WHERE generation <> ${Number(generation)}`);
    });
  }

  /** Records the events folded so far, and that the rebuild is alive (see `claim`). */
  private signOfLife(generation: number, events: number): Promise<void> {
    return this.store.transaction(async ({ manager }) => {
      const params = new SqlParameters(dialectOf(manager.connection));
      await manager.query(
        `UPDATE report_generations SET events = ${params.add(events)}, progressed_at = ${params.add(new Date().toISOString())} ` +
          `WHERE generation = ${params.add(generation)}`,
        params.values,
      );
    });
  }

  private fail(generation: number, error: unknown): Promise<void> {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 1900);
    return this.store.transaction(({ manager }) => markFailed(manager, generation, message));
  }
}

/** Drops what a rebuild wrote and records why it failed; the active generation is untouched. */
async function markFailed(manager: EntityManager, generation: number, error: string): Promise<void> {
  await manager.query(`DELETE FROM report_documents WHERE generation = ${Number(generation)}`);
  await manager.query(`DELETE FROM report_checkpoints WHERE generation = ${Number(generation)}`);
  const params = new SqlParameters(dialectOf(manager.connection));
  await manager.query(
    `UPDATE report_generations SET status = 'failed', finished_at = ${params.add(new Date().toISOString())}, ` +
      `error = ${params.add(error)} WHERE generation = ${params.add(generation)}`,
    params.values,
  );
}

function foldInto(documents: DocumentWorkingSet, entry: FoldedSource, historic: HistoricEvent): void {
  // A type no fold reads changes no document: not checked against its contract either (the live
  // consumer dead-letters such data, which changes no document there either).
  const event = documents.reads(historic.envelope.type) ? knownEventOf(historic) : undefined;
  if (event) documents.apply(event);
  entry.events += 1;
  if (isLaterPosition(historic.envelope.position, entry.position))
    entry.position = historic.envelope.position;
}

const hasLeadingZero = (position: string): boolean => position.length > 1 && position.startsWith('0');

/**
 * Whether decimal position `a` is past `b`. Without leading zeros (the relays write none) the longer
 * is the larger and equal lengths compare as text: no two BigInts per event.
 */
function isLaterPosition(a: string, b: string): boolean {
  if (hasLeadingZero(a) || hasLeadingZero(b)) return BigInt(a) > BigInt(b);
  return a.length !== b.length ? a.length > b.length : a > b;
}

/** The generation's checkpoint of a source: folded through `throughSequence` by the rebuild. */
async function writeCheckpoint(
  manager: EntityManager,
  generation: number,
  entry: FoldedSource,
  throughSequence: number,
): Promise<void> {
  const stored = await checkpointOf(manager, generation, entry.source.consumer);
  await saveCheckpoint(manager, stored, {
    generation,
    consumer: entry.source.consumer,
    position: entry.position,
    streamSequence: String(throughSequence),
    rebuiltThrough: String(throughSequence),
    folded: entry.events - (stored?.events ?? 0),
  });
}

/**
 * The event to fold, or undefined: a type no fold knows, or data that breaks its contract (the
 * live consumer dead-letters such a message, so the live reports never folded it either).
 */
function knownEventOf(historic: HistoricEvent): ReportEvent | undefined {
  try {
    return reportEventOf(historic.envelope);
  } catch (error) {
    if (isPoisonMessageFailure(error)) return undefined;
    throw error;
  }
}
