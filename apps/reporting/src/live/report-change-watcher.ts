import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { changedReports, type ReportsSnapshot } from './report-changes';
import { LIVE_SETTINGS, type LiveSettings } from './live-settings';
import { reportsByConsumer, type ReportName } from './report-names';

export type ReportsChangedListener = (reports: readonly ReportName[]) => void;

/**
 * Tells listeners which reports changed, from what is committed rather than from this instance's
 * folds: with several replicas each folds only part of the messages, so it reads the consumers'
 * checkpoints (written in the transaction of every fold) and the active generation every
 * `REPORTING_LIVE_POLL_MS`, while anyone listens. Every replica's listeners see every change.
 */
@Injectable()
export class ReportChangeWatcher implements OnModuleDestroy {
  private readonly logger = new Logger('LiveReports');
  private readonly listeners = new Set<ReportsChangedListener>();
  private readonly reportsOf = reportsByConsumer();
  private timer: NodeJS.Timeout | undefined;
  private last: ReportsSnapshot | undefined;
  /** The read in flight: one at a time, and a new listener's baseline waits for it. */
  private reading: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LIVE_SETTINGS) private readonly settings: LiveSettings,
  ) {}

  /**
   * Adds a listener once a baseline is read, so that whatever the caller reads afterwards is either
   * in that read or reported as a change. Returns the function that removes it.
   */
  async subscribe(listener: ReportsChangedListener): Promise<() => void> {
    // Every listener that arrives while none is there shares one baseline read.
    while (this.last === undefined) {
      this.reading ??= this.readBaseline().finally(() => {
        this.reading = undefined;
      });
      await this.reading;
    }
    this.listeners.add(listener);
    this.timer ??= setInterval(() => void this.poll(), this.settings.pollMs);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  onModuleDestroy(): void {
    this.listeners.clear();
    this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.last = undefined;
  }

  private poll(): void {
    if (this.reading) return;
    this.reading = this.compare().finally(() => {
      this.reading = undefined;
    });
  }

  private async readBaseline(): Promise<void> {
    this.last = await this.snapshot();
  }

  private async compare(): Promise<void> {
    let next: ReportsSnapshot;
    try {
      next = await this.snapshot();
      if (this.failing) this.logger.log('reading the report checkpoints works again');
      this.failing = false;
    } catch (error) {
      // Logged once per run of failures: the database may be restarting; the next poll retries.
      if (!this.failing) this.logger.warn(`cannot read the report checkpoints: ${String(error)}`);
      this.failing = true;
      return;
    }
    const before = this.last;
    if (this.listeners.size === 0) return;
    this.last = next;
    if (!before) return;
    const changed = changedReports(before, next, this.reportsOf);
    if (changed.length === 0) return;
    for (const listener of [...this.listeners]) listener(changed);
  }

  /** One statement, so the generation and its checkpoints are read from one state of the database. */
  private async snapshot(): Promise<ReportsSnapshot> {
    const rows: {
      generation: number | string;
      consumer: string | null;
      stream_sequence: number | string | null;
      events: number | string | null;
    }[] = await this.dataSource.query(
      `SELECT a.generation AS generation, c.consumer AS consumer, c.stream_sequence AS stream_sequence, c.events AS events
         FROM report_active_generation a
         LEFT JOIN report_checkpoints c ON c.generation = a.generation
        WHERE a.id = 1`,
    );
    const first = rows[0];
    if (!first) throw new Error('report_active_generation is empty: run the reporting migrations');
    const marks = new Map<string, string>();
    for (const row of rows) {
      if (row.consumer !== null) marks.set(row.consumer, `${row.stream_sequence}/${row.events}`);
    }
    return { generation: Number(first.generation), marks };
  }
}
