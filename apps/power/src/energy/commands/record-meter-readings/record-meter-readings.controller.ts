import { FacilityId, PostMeterReadingsRequest } from '@fleet/contracts';
import { inCommandTransaction, type EventStore } from '@fleet/event-sourcing';
import {
  CommandRequest,
  EVENT_STORE,
  eventMetadata,
  replyWithVersion,
  Route,
  ZodBody,
  ZodParam,
} from '@fleet/service-kit';
import { Controller, Inject } from '@nestjs/common';
import { dayOf } from '../../domain/energy-days';
import { facilityNotFound } from '../../domain/energy.errors';
import { ENERGY_OPERATORS } from '../../energy.roles';
import { EnergyReadModel, readingKey } from '../../read-model/energy.read-model';
import { MeterReadingsView } from '../../read-model/energy.views';
import { EnergyCostAccrual } from '../accrue-energy-cost/energy-cost-accrual';
import { EnergyCommandHandler } from '../energy-command.handler';

/** Two requests recording readings of one facility at once: the later retries on the newer stream. */
const MAX_RETRIES = 5;

@Controller('facilities')
export class RecordMeterReadingsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: EnergyReadModel,
    private readonly energy: EnergyCommandHandler,
    private readonly accrual: EnergyCostAccrual,
  ) {}

  @Route({
    method: 'POST',
    path: ':facilityId/meter-readings',
    status: 200,
    roles: ENERGY_OPERATORS,
    tag: 'power',
    summary:
      "Record a facility's meter readings, idempotent per meter and interval: the same figure again changes nothing, " +
      'another figure replaces the earlier one, and a day already published is published again with the new figure',
    response: MeterReadingsView,
  })
  async post(
    @ZodParam('facilityId', FacilityId) facilityId: string,
    @ZodBody(PostMeterReadingsRequest) body: PostMeterReadingsRequest,
    @CommandRequest() { context, ifMatch, reply }: CommandRequest,
  ): Promise<MeterReadingsView> {
    const metadata = eventMetadata(context, facilityId);
    const readings = body.readings.map((reading) => ({
      ...reading,
      intervalStart: new Date(reading.intervalStart).toISOString(),
    }));
    const { view, version } = await inCommandTransaction(
      this.store,
      ifMatch === undefined ? MAX_RETRIES : 0,
      async (session) => {
        if (!(await this.readModel.hasCapacity(session.manager, facilityId)))
          throw facilityNotFound(facilityId);
        const recorded = await this.readModel.readingsAt(session.manager, facilityId, readings);
        const command = {
          type: 'RecordMeterReadings' as const,
          data: {
            facilityId,
            readings: readings.map((reading) => {
              const row = recorded.get(readingKey(reading.meterId, reading.intervalStart));
              return {
                ...reading,
                recorded: row ? { kwh: row.kwh, intervalMinutes: Number(row.intervalMinutes) } : null,
              };
            }),
          },
        };
        const { events } = await this.energy.execute(session, command, metadata, { ifMatchVersion: ifMatch });
        const changed = events.flatMap((event) =>
          event.type === 'MeterReadingsRecorded' ? event.data.readings : [],
        );
        const days = changed.map((reading) => dayOf(Date.parse(reading.intervalStart)));
        const { corrected, version } = await this.accrual.correct(session, facilityId, days, metadata);
        return {
          view: {
            facilityId,
            recorded: changed.length,
            unchanged: readings.length - changed.length,
            correctedDays: corrected,
          },
          version,
        };
      },
    );
    return replyWithVersion(reply, view, { version });
  }
}
