import { z } from 'zod';
import type { BoundedContext } from './subjects';

/**
 * One event type of one bounded context: its name, its current schema version and the runtime
 * schema of its data. Events are plain records `{ type, data }`, never classes.
 */
export interface EventDefinition<Type extends string, Schema extends z.ZodType> {
  readonly context: BoundedContext;
  readonly type: Type;
  readonly version: number;
  readonly schema: Schema;
}

export type EventOf<D> =
  D extends EventDefinition<infer Type, infer Schema>
    ? { readonly type: Type; readonly data: z.infer<Schema> }
    : never;

export function defineEvent<const Type extends string, Schema extends z.ZodType>(
  context: BoundedContext,
  type: Type,
  version: number,
  schema: Schema,
): EventDefinition<Type, Schema> {
  return { context, type, version, schema };
}

export type AnyEventDefinition = EventDefinition<string, z.ZodType>;

/** Current schema versions by event type, as the event store wants them. */
export function schemaVersionsOf(definitions: readonly AnyEventDefinition[]): Record<string, number> {
  return Object.fromEntries(definitions.map((definition) => [definition.type, definition.version]));
}
