import { z } from 'zod';
import { CONTEXT_EVENTS } from './context-events';
import { EventEnvelope, FleetHeaders } from './envelope';
import type { AnyEventDefinition } from './event-definition';
import { BOUNDED_CONTEXTS, streamNameOf, subjectOf, type BoundedContext } from './subjects';

export interface AsyncApiOptions {
  readonly title: string;
  readonly version: string;
  readonly context: BoundedContext;
  readonly events: readonly AnyEventDefinition[];
}

type JsonObject = { readonly [key: string]: unknown };

/** The events of one context, as a document describes them. */
interface ContextEventList {
  readonly context: BoundedContext;
  readonly events: readonly AnyEventDefinition[];
}

/** The server every facility's services publish to (`NATS_URL` in compose and the k8s base). */
const NATS_SERVER = {
  url: 'nats://nats:4222',
  protocol: 'nats',
  description:
    "The facility's NATS server with JetStream (each facility runs its own; `NATS_URL` names it). One stream per context.",
};

const SCHEMA_OPTIONS = { target: 'draft-7', io: 'output', unrepresentable: 'any' } as const;

/** The message headers a relay sets on every event (see `envelopeHeaders` in `@fleet/messaging`). */
const MESSAGE_HEADERS: JsonObject = {
  type: 'object',
  properties: {
    'Nats-Msg-Id': { type: 'string', description: 'the event id: JetStream drops a duplicate publish' },
    [FleetHeaders.eventType]: { type: 'string', description: 'the event type, as in the envelope' },
    [FleetHeaders.schemaVersion]: { type: 'string', description: "the data's schema version, decimal" },
    [FleetHeaders.correlationId]: { type: 'string' },
    [FleetHeaders.causationId]: { type: 'string', description: 'absent when the event has no cause' },
    traceparent: { type: 'string', description: 'W3C trace context of the publish, when the service traces' },
  },
  required: ['Nats-Msg-Id', FleetHeaders.eventType, FleetHeaders.schemaVersion, FleetHeaders.correlationId],
};

/**
 * The AsyncAPI 2.6 document of one bounded context (what its service serves at
 * `/docs/asyncapi.json`), generated from the event definitions so it cannot drift from them: one
 * channel per event type (`fleet.<context>.{facilityId}.<Type>`), its payload the envelope with
 * `data` replaced by the event's own schema.
 */
export function asyncApiDocument(options: AsyncApiOptions): JsonObject {
  return documentOf(
    {
      id: `urn:fleet:events:${options.context}`,
      title: options.title,
      version: options.version,
      description: `Events of the ${options.context} context. Delivery is at least once: de-duplicate by eventId.`,
    },
    [{ context: options.context, events: options.events }],
  );
}

/** Fleet's whole AsyncAPI document: every context's events (`/docs/fleet-asyncapi.json`). */
export function fleetAsyncApiDocument(version = '1'): JsonObject {
  return documentOf(
    {
      id: 'urn:fleet:events',
      title: 'Fleet events',
      version,
      description:
        "Every bounded context's events, one stream per context. Delivery is at least once: de-duplicate by eventId.",
    },
    BOUNDED_CONTEXTS.map((context) => ({ context, events: CONTEXT_EVENTS[context] })),
  );
}

function documentOf(
  about: { id: string; title: string; version: string; description: string },
  contexts: readonly ContextEventList[],
): JsonObject {
  const envelope = z.toJSONSchema(EventEnvelope, SCHEMA_OPTIONS);
  const channels: Record<string, JsonObject> = {};
  const messages: Record<string, JsonObject> = {};
  for (const { context, events } of contexts)
    for (const definition of events) {
      // Message ids and operation ids are the event type: unique across Fleet, or a document lies.
      if (messages[definition.type]) throw new Error(`event type ${definition.type} is defined twice`);
      messages[definition.type] = {
        messageId: definition.type,
        name: definition.type,
        title: `${definition.type} v${definition.version}`,
        contentType: 'application/json',
        tags: [{ name: context }],
        headers: MESSAGE_HEADERS,
        payload: {
          ...envelope,
          properties: {
            ...(envelope['properties'] as JsonObject),
            type: { const: definition.type },
            schemaVersion: { const: definition.version },
            data: z.toJSONSchema(definition.schema, SCHEMA_OPTIONS),
          },
        },
      };
      channels[subjectOf(context, '{facilityId}', definition.type)] = {
        description: `On stream ${streamNameOf(context)}.`,
        parameters: {
          facilityId: {
            description: 'the facility the event happened in',
            schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
          },
        },
        subscribe: {
          operationId: `on${definition.type}`,
          tags: [{ name: context }],
          message: { $ref: `#/components/messages/${definition.type}` },
        },
      };
    }
  return {
    asyncapi: '2.6.0',
    id: about.id,
    info: {
      title: about.title,
      version: about.version,
      description: about.description,
      license: { name: 'UNLICENSED' },
    },
    servers: { nats: NATS_SERVER },
    defaultContentType: 'application/json',
    tags: contexts.map(({ context }) => ({
      name: context,
      description: `Events of the ${context} context, on stream ${streamNameOf(context)}.`,
    })),
    channels,
    components: { messages },
  };
}
