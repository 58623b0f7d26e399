import { Module, type DynamicModule } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { DestinationStream } from 'pino';
import { BusinessClock } from '../clock/business-clock';
import { installBusinessClock } from '../clock/business-now';
import { ClockController } from '../clock/clock.controller';
import type { FleetConfig } from '../config/fleet-config';
import { FLEET_CONFIG, LOG_DESTINATION, NATS_CONNECTION, TRACING } from '../module/tokens';
import type { Tracing } from '../tracing/start-tracing';

/**
 * What the bootstrap resolved before Nest started (the validated config, the NATS connection, the tracing SDK),
 * made injectable everywhere, and the business clock the config asks for (installed as the
 * process's: `businessNow()`), with `PUT /admin/clock` when it is controlled.
 */
@Module({})
export class FleetRuntimeModule {
  static of(
    config: FleetConfig,
    nats: NatsConnection,
    logDestination?: DestinationStream,
    tracing?: Tracing,
  ): DynamicModule {
    const clock = installBusinessClock(new BusinessClock(config.clock.mode, config.clock.start));
    return {
      module: FleetRuntimeModule,
      global: true,
      controllers: clock.mode === 'controlled' ? [ClockController] : [],
      providers: [
        { provide: BusinessClock, useValue: clock },
        { provide: FLEET_CONFIG, useValue: config },
        { provide: NATS_CONNECTION, useValue: nats },
        { provide: LOG_DESTINATION, useValue: logDestination },
        { provide: TRACING, useValue: tracing },
      ],
      exports: [FLEET_CONFIG, NATS_CONNECTION, LOG_DESTINATION, TRACING, BusinessClock],
    };
  }
}
