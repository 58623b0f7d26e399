import { EventEnvelope, Uuid } from '@fleet/contracts';
import type { EventStore } from '@fleet/event-sourcing';
import { envelopeOf } from '@fleet/messaging';
import { EVENT_STORE, replyWithVersion, Route, ZodParam } from '@fleet/service-kit';
import { Controller, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { rigNotFound } from '../../domain/rig.errors';
import { rigStreamId } from '../../domain/rig-id';
import { RIG_READERS } from '../../rigs.roles';

const RigHistory = z.object({ items: z.array(EventEnvelope) });
type RigHistory = { items: EventEnvelope[] };

@Controller('rigs')
export class RigHistoryController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Route({
    method: 'GET',
    path: ':id/history',
    roles: RIG_READERS,
    tag: 'rigs',
    summary: "The rig's events, oldest first, as the event feed carries them",
    response: RigHistory,
    errors: { 404: 'No such rig' },
  })
  async history(
    @ZodParam('id', Uuid) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RigHistory> {
    const { events, version } = await this.store.readStream(rigStreamId(id));
    if (version === 0) throw rigNotFound(id);
    return replyWithVersion(reply, { items: events.map(envelopeOf) }, { version });
  }
}
