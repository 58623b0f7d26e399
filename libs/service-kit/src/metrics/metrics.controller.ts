import { setTimeout as delay } from 'node:timers/promises';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/roles.decorator';
import { FeedHealth } from '../health/feed-health';
import { FleetMetrics } from './fleet-metrics';

/** A scrape waits this long for a fresh look at the feed; the previous values serve after that. */
const FEED_LOOK_WAIT_MS = 2000;

@ApiTags('platform')
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(
    private readonly metrics: FleetMetrics,
    private readonly feed: FeedHealth,
  ) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  async scrape(): Promise<string> {
    // The feed gauges are the database's state, read when asked; an unreachable database is
    // readiness's to report, not a reason to fail the scrape.
    const looked = this.feed.status().catch(() => undefined);
    await Promise.race([looked, delay(FEED_LOOK_WAIT_MS, undefined, { ref: false })]);
    return this.metrics.registry.metrics();
  }
}
