import type { Type } from '@nestjs/common';
import type { AnyEventDefinition, BoundedContext } from '@fleet/contracts';
import type { EntityEntry, InlineProjection, MigrationEntry, Upcaster } from '@fleet/event-sourcing';
import type { HeadquartersStreams, MessagingNames } from '@fleet/messaging';

export interface FleetServiceOptions {
  /** Names the PostgreSQL schema, the SQLite file, logs, metrics and the NATS connection. */
  readonly service: string;
  /**
   * The bounded context whose events this service writes: its JetStream stream is set up and the
   * outbox relay publishes to it. Omit for a service that only consumes (reporting).
   */
  readonly context?: BoundedContext;
  /** The events the service writes, for their current schema versions. */
  readonly events: readonly AnyEventDefinition[];
  /** TypeORM entities of the service's read models. */
  readonly entities?: readonly EntityEntry[];
  /**
   * The service's migrations. TypeORM runs every migration in timestamp order, not in list order:
   * a service's may run before messaging's and the kit's, so it must not depend on their tables.
   */
  readonly migrations?: readonly MigrationEntry[];
  /**
   * Inline projections, run in this order in every append's transaction: classes are instantiated
   * by Nest (they may inject providers of global modules), objects (`rowProjection(…)`) used as they are.
   */
  readonly projections?: readonly (Type<InlineProjection> | InlineProjection)[];
  readonly upcasters?: readonly Upcaster[];
  /**
   * A consumer-only service run at headquarters (reporting with `REPORTING_MODE=hq`): the
   * facilities whose streams it reads, from the service's own settings, or undefined at a facility.
   * The kit then creates headquarters' streams at start-up (each sourcing its context's stream
   * from every facility's JetStream domain) and binds every `@EventPattern` consumer to them.
   * Called once, at start-up; a wrong setting throws a `ConfigError`.
   */
  readonly headquarters?: (names: MessagingNames) => HeadquartersStreams | undefined;
}
