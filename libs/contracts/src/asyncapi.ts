import { z } from 'zod';
import { EventEnvelope } from './envelope';
import type { AnyEventDefinition } from './event-definition';
import { streamNameOf, subjectOf, type BoundedContext } from './subjects';

export interface AsyncApiOptions {
  readonly title: string;
  readonly version: string;
  readonly context: BoundedContext;
  readonly events: readonly AnyEventDefinition[];
}

type JsonObject = { readonly [key: string]: unknown };

/**
 * The AsyncAPI 2.6 document of one bounded context, generated from the event definitions so it
 * cannot drift from them: one channel per event type (`fleet.<context>.{facilityId}.<Type>`), its
 * payload the envelope with `data` replaced by the event's own schema.
 */
export function asyncApiDocument(options: AsyncApiOptions): JsonObject {
  const envelope = z.toJSONSchema(EventEnvelope, { target: 'draft-7', io: 'output', unrepresentable: 'any' });
  const channels: Record<string, JsonObject> = {};
  const messages: Record<string, JsonObject> = {};
  for (const definition of options.events) {
    const data = z.toJSONSchema(definition.schema, {
      target: 'draft-7',
      io: 'output',
      unrepresentable: 'any',
    });
    messages[definition.type] = {
      name: definition.type,
      title: `${definition.type} v${definition.version}`,
      contentType: 'application/json',
      headers: {
        type: 'object',
        properties: {
          'Nats-Msg-Id': { type: 'string', description: 'the event id: JetStream drops a duplicate publish' },
        },
      },
      payload: {
        ...envelope,
        properties: {
          ...(envelope['properties'] as JsonObject),
          type: { const: definition.type },
          schemaVersion: { const: definition.version },
          data,
        },
      },
    };
    channels[subjectOf(options.context, '{facilityId}', definition.type)] = {
      description: `On stream ${streamNameOf(options.context)}.`,
      parameters: { facilityId: { schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } } },
      subscribe: {
        operationId: `on${definition.type}`,
        message: { $ref: `#/components/messages/${definition.type}` },
      },
    };
  }
  return {
    asyncapi: '2.6.0',
    info: {
      title: options.title,
      version: options.version,
      description: `Events of the ${options.context} context. Delivery is at least once: de-duplicate by eventId.`,
    },
    defaultContentType: 'application/json',
    channels,
    components: { messages },
  };
}
