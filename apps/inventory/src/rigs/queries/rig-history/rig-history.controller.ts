import { EventEnvelope, Uuid } from '@fleet/contracts';
import type { EventStore } from '@fleet/event-sourcing';
import { envelopeOf } from '@fleet/messaging';
import { EVENT_STORE, Roles, setETag, toOpenApiSchema, ZodParam } from '@fleet/service-kit';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { RIG_READERS } from '../../rig-api';
import { rigNotFound } from '../../rig-command.service';
import { rigStreamId } from '../../rig-id';

const RigHistory = z.object({ items: z.array(EventEnvelope) });
type RigHistory = { items: EventEnvelope[] };

@ApiTags('rigs')
@Controller('rigs')
export class RigHistoryController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get(':id/history')
  @Roles(...RIG_READERS)
  @ApiOperation({ summary: "The rig's events, oldest first, as the event feed carries them" })
  @ApiOkResponse({ schema: toOpenApiSchema(RigHistory, 'output') })
  @ApiNotFoundResponse({ description: 'No such rig' })
  async history(
    @ZodParam('id', Uuid) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RigHistory> {
    const { events, version } = await this.store.readStream(rigStreamId(id));
    if (version === 0) throw rigNotFound(id);
    setETag(reply, version);
    return { items: events.map(envelopeOf) };
  }
}
