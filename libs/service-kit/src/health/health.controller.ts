import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { NatsConnection } from '@nats-io/transport-node';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../auth/roles.decorator';
import { MessagingLifecycle } from '../module/messaging.lifecycle';
import { NATS_CONNECTION } from '../module/tokens';
import { FeedHealth } from './feed-health';

/** A dependency that does not answer within this is down, so a probe never hangs. */
const CHECK_TIMEOUT_MS = 2000;

@ApiTags('platform')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    @Inject(NATS_CONNECTION) private readonly nats: NatsConnection,
    private readonly messaging: MessagingLifecycle,
    private readonly feed: FeedHealth,
  ) {}

  /** The process is up and serving HTTP: a failure here means restart it. */
  @Get('live')
  @ApiOkResponse({ description: 'The process is up' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * It can do its work: the database answers, NATS is connected, the event feed is not held back
   * past its limit, and no consumer is stuck. A failure means route no traffic here.
   */
  @Get('ready')
  @ApiOkResponse({ description: 'The database and NATS answer, the feed and the consumers move' })
  @ApiServiceUnavailableResponse({
    description:
      'The database or NATS does not answer, an open transaction has held the event feed back too long, or a consumer cannot dead-letter',
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult | object> {
    try {
      return await this.health.check([
        () =>
          this.indicators
            .check('database')
            .attempt(async () => {
              await this.dataSource.query('SELECT 1');
            })
            .withTimeout(CHECK_TIMEOUT_MS),
        () =>
          this.indicators
            .check('nats')
            .attempt(async () => {
              if (this.nats.isClosed()) throw new Error('the connection is closed');
              // A round trip to the server: fails or times out while disconnected.
              await this.nats.flush();
            })
            .withTimeout(CHECK_TIMEOUT_MS),
        () => this.relayHealth(),
        () =>
          this.indicators
            .check('feed')
            .attempt(async () => {
              const { problem, ...status } = await this.feed.status();
              if (problem) throw new Error(problem);
              return status;
            })
            .withTimeout(CHECK_TIMEOUT_MS),
        () => this.consumersHealth(),
      ]);
    } catch (error) {
      // Terminus's own report (which dependency is down) is worth more to a probe or a person than a problem.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      return error.getResponse() as object;
    }
  }

  /**
   * A blocked relay (an event it cannot publish) is reported, not failed: the service still serves
   * its API, and taking it out of rotation would not unblock the relay.
   */
  private relayHealth() {
    const relay = this.messaging.relay;
    const indicator = this.indicators.check('relay');
    if (!relay) return indicator.up({ state: 'none' });
    if (relay.state === 'blocked')
      return indicator.degraded({ state: relay.state, error: relay.lastError?.message });
    return indicator.up({ state: relay.state });
  }

  /**
   * A consumer stuck on a message it cannot dead-letter handles nothing else: the events it
   * follows pile up unseen. Down, naming each such consumer and why.
   */
  private consumersHealth() {
    const indicator = this.indicators.check('consumers');
    const stalled = this.messaging.consumers.flatMap((consumer) =>
      consumer.stall ? [[consumer.name, consumer.stall.reason] as const] : [],
    );
    if (stalled.length > 0) return indicator.down({ stalled: Object.fromEntries(stalled) });
    return indicator.up({ running: this.messaging.consumers.length });
  }
}
