import type { EventStore } from '@fleet/event-sourcing';
import { defaultMessagingLogger, type MessagingLogger } from '../metrics/messaging-logger';
import { pruneInbox } from './inbox-pruning';

export interface InboxPrunerOptions {
  /** Rows processed longer ago than this are deleted. */
  readonly retentionMs: number;
  /**
   * Time between rounds. Default 10 min: each round is a few small transactions, and the interval
   * only bounds how far past its retention a row may live.
   */
  readonly intervalMs?: number;
  readonly logger?: MessagingLogger;
}

const DEFAULT_INTERVAL_MS = 10 * 60_000;

/**
 * Runs `pruneInbox` every `intervalMs`. Every instance of a service may run one: deleting is
 * idempotent. `stop()` ends the round in progress between two batches, so the database can close
 * right after it.
 */
export class InboxPruner {
  private readonly logger: MessagingLogger;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<number> | undefined;
  private stopping = false;

  constructor(
    private readonly store: EventStore,
    private readonly options: InboxPrunerOptions,
  ) {
    this.logger = options.logger ?? defaultMessagingLogger('InboxPruner');
  }

  start(): void {
    if (this.timer) return;
    this.stopping = false;
    const round = () =>
      this.prune().catch((error: unknown) =>
        this.logger.warn(
          `pruning the inbox failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    // A round at start too: a service restarted more often than the interval would never prune.
    void round();
    this.timer = setInterval(() => void round(), this.options.intervalMs ?? DEFAULT_INTERVAL_MS);
    // A pending round is no reason for the process to stay alive.
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round?.catch(() => undefined);
  }

  /** One round now (joining the one in progress, if any); resolves with the rows deleted. */
  prune(): Promise<number> {
    this.round ??= pruneInbox(this.store, {
      retentionMs: this.options.retentionMs,
      stopping: () => this.stopping,
    })
      .then((deleted) => {
        if (deleted > 0)
          this.logger.log(`deleted ${deleted} inbox rows older than ${this.options.retentionMs} ms`);
        return deleted;
      })
      .finally(() => {
        this.round = undefined;
      });
    return this.round;
  }
}
