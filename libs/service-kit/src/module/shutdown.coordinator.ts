import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { DataSource } from 'typeorm';
import type { FleetConfig } from '../config/fleet-config';
import { MessagingLifecycle } from './messaging.lifecycle';
import type { Tracing } from '../tracing/start-tracing';
import { FLEET_CONFIG, NATS_CONNECTION, TRACING } from './tokens';

/** Time after SHUTDOWN_TIMEOUT_MS for the steps' own warnings to be written before a forced exit. */
const FORCED_EXIT_GRACE_MS = 1000;

/**
 * Releases what the service holds, in the one order that loses nothing. Nest has already stopped
 * HTTP intake (in-flight requests finished) and closed the JetStream transport (no more pulls, the
 * batch in hand finished and acked) when this runs. Then: flush the outbox relay, close NATS,
 * close the database, export the spans still buffered (the relay's last publishes included). Each
 * step gets what is left of `SHUTDOWN_TIMEOUT_MS`; one that overruns is logged and the next still
 * runs, so the database is closed whatever NATS does.
 */
@Injectable()
export class ShutdownCoordinator implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private startedAt: number | undefined;

  constructor(
    private readonly messaging: MessagingLifecycle,
    @Inject(NATS_CONNECTION) private readonly nats: NatsConnection,
    private readonly dataSource: DataSource,
    @Inject(FLEET_CONFIG) private readonly config: FleetConfig,
    @Inject(TRACING) private readonly tracing: Tracing | undefined,
  ) {}

  /** Runs before Nest closes HTTP and the transport: the budget counts from here. */
  beforeApplicationShutdown(signal?: string): void {
    this.startedAt = Date.now();
    this.logger.log(`shutting down${signal ? ` on ${signal}` : ''}`);
    // On a signal the process must end even if something hangs (an HTTP request that never
    // finishes): an orchestrator would otherwise wait for its own, longer, kill timeout.
    if (signal) {
      setTimeout(() => {
        process.stderr.write(
          `${this.config.service}: shutdown took longer than SHUTDOWN_TIMEOUT_MS (${this.config.shutdownTimeoutMs} ms), exiting\n`,
        );
        process.exit(1);
      }, this.config.shutdownTimeoutMs + FORCED_EXIT_GRACE_MS).unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const deadline = (this.startedAt ?? Date.now()) + this.config.shutdownTimeoutMs;
    await this.step('flush the outbox relay', deadline, () => this.messaging.stop(deadline - Date.now()));
    await this.step('drain NATS', deadline, async () => {
      if (!this.nats.isClosed()) await this.nats.drain();
    });
    if (!this.nats.isClosed()) await this.nats.close();
    await this.step('close the database', deadline, async () => {
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
    });
    const tracing = this.tracing;
    if (tracing) await this.step('export the last spans', deadline, () => tracing.shutdown());
    this.logger.log('shut down');
  }

  private async step(name: string, deadline: number, work: () => Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
    });
    try {
      const outcome = await Promise.race([work().then(() => 'done' as const), timeout]);
      if (outcome === 'timeout')
        this.logger.warn(`${name}: not finished within SHUTDOWN_TIMEOUT_MS, going on`);
    } catch (error) {
      this.logger.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
