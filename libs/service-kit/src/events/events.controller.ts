import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventPage } from '@fleet/contracts';
import type { EventStore } from '@fleet/event-sourcing';
import { envelopeOf } from '@fleet/messaging';
import { z } from 'zod';
import { Roles } from '../auth/roles.decorator';
import type { FleetConfig } from '../config/fleet-config';
import { PositionString } from '../http/position';
import { ZodQuery } from '../http/zod-validation.pipe';
import { EVENT_STORE, FLEET_CONFIG } from '../module/tokens';
import { toOpenApiSchema } from '../openapi/openapi-schema';

export const EventsQuery = z.object({
  after: PositionString.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type EventsQuery = z.infer<typeof EventsQuery>;

/**
 * The service's events by position, for consumers that fell behind JetStream's retention or want
 * to rebuild from the start. Every role may read: the feed is how other teams and services
 * integrate with this one.
 */
@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(FLEET_CONFIG) private readonly config: FleetConfig,
  ) {}

  @Get()
  @Roles('reports', 'procurement', 'operations', 'finance')
  @ApiOperation({
    summary: 'Events in commit order',
    description:
      "Pass the previous page's `nextAfter` as `after` to read on; `nextAfter` is null when the page is empty (nothing newer yet: ask again later with the same `after`). A page also ends once its events' data reach the service's page budget (EVENTS_PAGE_MAX_BYTES, default 4 MiB; at least one event), so a page shorter than `limit` is not the end: only an empty one is.",
  })
  @ApiOkResponse({ schema: toOpenApiSchema(EventPage, 'output') })
  async list(@ZodQuery(EventsQuery) query: EventsQuery): Promise<EventPage> {
    const events = await this.store.readAll({
      after: query.after === undefined ? 0n : BigInt(query.after),
      limit: query.limit,
      maxBytes: this.config.feed.pageMaxBytes,
    });
    const items = events.map(envelopeOf);
    return { items, nextAfter: items.at(-1)?.position ?? null };
  }
}
