import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { schemaVersionsOf } from '@fleet/contracts';
import {
  createEventStore,
  openDatabase,
  type EventStore,
  type InlineProjection,
} from '@fleet/event-sourcing';
import { MessagingNames, messagingMigrations, type HeadquartersStreams } from '@fleet/messaging';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { ApiKeyAuthorizer } from '../auth/api-key.authorizer';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { FleetConfig } from '../config/fleet-config';
import { ProblemExceptionFilter } from '../errors/problem.filter';
import { EventsController } from '../events/events.controller';
import { AsyncApiController } from '../openapi/asyncapi.controller';
import { FeedHealth } from '../health/feed-health';
import { HealthController } from '../health/health.controller';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { serviceKitMigrations } from '../idempotency/idempotency-keys.migration';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { loggerParams } from '../logging/logger-params';
import { FleetMetrics } from '../metrics/fleet-metrics';
import { MetricsController } from '../metrics/metrics.controller';
import { AppendedEvents } from './appended-events';
import type { FleetServiceOptions } from './fleet-service.options';
import { MessagingLifecycle } from './messaging.lifecycle';
import { ShutdownCoordinator } from './shutdown.coordinator';
import { EVENT_STORE, FLEET_CONFIG, FLEET_SERVICE_OPTIONS, HEADQUARTERS, LOG_DESTINATION } from './tokens';

/**
 * Everything a Fleet service shares: its database and event store, NATS, the outbox relay, auth,
 * problem+json errors, Idempotency-Key, health, metrics and the event feed. Import it once, in the
 * service's root module; the app is started with `bootstrapService` (or `createServiceApp` in
 * tests), which provides `FLEET_CONFIG` and `NATS_CONNECTION`.
 */
@Module({})
export class FleetServiceModule {
  static forRoot(options: FleetServiceOptions): DynamicModule {
    // Projection classes are instantiated by Nest (they may inject providers); plain objects (folds
    // made by `rowProjection`) are used as they are.
    const projectionClasses = (options.projections ?? []).filter(isProjectionClass);
    const providers: Provider[] = [
      { provide: FLEET_SERVICE_OPTIONS, useValue: options },
      {
        provide: DataSource,
        inject: [FLEET_CONFIG],
        useFactory: (config: FleetConfig): Promise<DataSource> => {
          if (config.service !== options.service)
            throw new Error(
              `FleetServiceModule.forRoot({ service: '${options.service}' }) is started as '${config.service}'`,
            );
          return openDatabase({
            ...(config.database.driver === 'postgres'
              ? {
                  url: config.database.url,
                  schema: config.database.schema,
                  statementTimeoutMs: config.database.statementTimeoutMs,
                  idleInTransactionTimeoutMs: config.database.idleInTransactionTimeoutMs,
                }
              : { sqliteFile: config.database.sqliteFile }),
            entities: options.entities,
            migrations: [...messagingMigrations, ...serviceKitMigrations, ...(options.migrations ?? [])],
          });
        },
      },
      {
        provide: MessagingNames,
        inject: [FLEET_CONFIG],
        useFactory: (config: FleetConfig): MessagingNames =>
          config.nats.namespace
            ? MessagingNames.namespaced(config.nats.namespace)
            : MessagingNames.production,
      },
      {
        provide: HEADQUARTERS,
        inject: [MessagingNames],
        useFactory: (names: MessagingNames): HeadquartersStreams | null =>
          options.headquarters?.(names) ?? null,
      },
      AppendedEvents,
      FleetMetrics,
      ...projectionClasses,
      {
        provide: EVENT_STORE,
        inject: [DataSource, AppendedEvents, FleetMetrics, ...projectionClasses],
        useFactory: (
          dataSource: DataSource,
          appended: AppendedEvents,
          metrics: FleetMetrics,
          ...instances: InlineProjection[]
        ): EventStore =>
          createEventStore(dataSource, {
            schemaVersions: schemaVersionsOf(options.events),
            upcasters: options.upcasters,
            // In the order the service listed them: a constraint check may need to run first.
            projections: (options.projections ?? []).map((projection) =>
              isProjectionClass(projection) ? instances[projectionClasses.indexOf(projection)] : projection,
            ),
            onAppended: (events) => {
              metrics.eventsAppended(events);
              appended.publish(events);
            },
          }),
      },
      MessagingLifecycle,
      FeedHealth,
      ShutdownCoordinator,
      IdempotencyStore,
      ApiKeyAuthorizer,
      { provide: APP_GUARD, useClass: ApiKeyGuard },
      { provide: APP_FILTER, useClass: ProblemExceptionFilter },
      // On POST routes only, see `applyIdempotencyToPosts`.
      IdempotencyInterceptor,
    ];
    return {
      module: FleetServiceModule,
      global: true,
      imports: [
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        LoggerModule.forRootAsync({ inject: [FLEET_CONFIG, LOG_DESTINATION], useFactory: loggerParams }),
      ],
      controllers: [HealthController, MetricsController, EventsController, AsyncApiController],
      providers,
      exports: [
        DataSource,
        EVENT_STORE,
        MessagingNames,
        HEADQUARTERS,
        FleetMetrics,
        AppendedEvents,
        MessagingLifecycle,
      ],
    };
  }
}

function isProjectionClass(
  projection: Type<InlineProjection> | InlineProjection,
): projection is Type<InlineProjection> {
  return typeof projection === 'function';
}
