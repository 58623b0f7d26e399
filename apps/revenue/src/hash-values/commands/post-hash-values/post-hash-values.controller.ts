import { compareDecimals, GLOBAL_FACILITY, PostHashValuesRequest } from '@fleet/contracts';
import { DomainError, handleCommands, type EventStore, type StreamCommand } from '@fleet/event-sourcing';
import { EVENT_STORE, eventMetadata, RequestContext, Route, ZodBody } from '@fleet/service-kit';
import { Controller, Inject } from '@nestjs/common';
import { z } from 'zod';
import type { PublishHashValue } from '../../domain/hash-value.commands';
import { hashValueDecider } from '../../domain/hash-value.decider';
import { HASH_VALUE_STREAM_TYPE, hashValueStreamId } from '../../domain/hash-value-id';
import type { HashValueState } from '../../domain/hash-value.state';
import { HASH_VALUE_WRITERS } from '../../hash-values.roles';

export const PostedHashValuesView = z.object({
  published: z.number().int().describe('hash values new to the service'),
  repeated: z.number().int().describe('hash values posted before with the same figure'),
});
export type PostedHashValuesView = z.infer<typeof PostedHashValuesView>;

@Controller('hash-values')
export class PostHashValuesController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Route({
    method: 'POST',
    status: 200,
    roles: HASH_VALUE_WRITERS,
    tag: 'hash-values',
    summary: 'Post what one unit of hashrate earned per day (coin per TH/s or kSol/s per day)',
    description:
      'Final, like fixings: the same value again is a no-op, another value for the same coin and day a 409.',
    response: PostedHashValuesView,
    errors: {
      400: 'Malformed, or one coin and day given twice with two values',
      409: 'Another value is published',
    },
  })
  async post(
    @ZodBody(PostHashValuesRequest) body: PostHashValuesRequest,
    @RequestContext() context: RequestContext,
  ): Promise<PostedHashValuesView> {
    const seen = new Map<string, PostHashValuesRequest['values'][number]>();
    const commands: StreamCommand<PublishHashValue, HashValueState>[] = [];
    for (const value of body.values) {
      const key = `${value.coin}/${value.date}`;
      const before = seen.get(key);
      if (before) {
        if (
          before.unit !== value.unit ||
          compareDecimals(before.coinPerUnitPerDay, value.coinPerUnitPerDay) !== 0
        )
          throw new DomainError(
            'invalid',
            'hash-value-twice-in-request',
            `the ${value.coin} hash value of ${value.date} is given twice, with two values`,
            { coin: value.coin, date: value.date },
          );
        continue;
      }
      seen.set(key, value);
      commands.push({
        streamId: hashValueStreamId(value.coin, value.date),
        command: { type: 'PublishHashValue', data: value },
      });
    }
    const { results } = await handleCommands(this.store, hashValueDecider, commands, {
      streamType: HASH_VALUE_STREAM_TYPE,
      metadata: eventMetadata(context, GLOBAL_FACILITY),
    });
    const published = results.filter((result) => result.events.length > 0).length;
    return { published, repeated: body.values.length - published };
  }
}
