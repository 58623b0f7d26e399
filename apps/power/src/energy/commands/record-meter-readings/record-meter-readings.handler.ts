import type { PostMeterReadingsRequest } from '@fleet/contracts';
import { inCommandTransaction, type EventStore } from '@fleet/event-sourcing';
import { EVENT_STORE, eventMetadata, type RequestContext } from '@fleet/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { dayOf } from '../../domain/energy-days';
import { facilityNotFound } from '../../domain/energy.errors';
import { EnergyReadModel, readingKey } from '../../read-model/energy.read-model';
import type { MeterReadingsView } from '../../read-model/energy.views';
import { EnergyCostAccrual } from '../accrue-energy-cost/energy-cost-accrual';
import { EnergyCommandHandler, type EnergyAnswer } from '../energy-command.handler';

/** Two requests recording readings of one facility at once: the later retries on the newer stream. */
const MAX_RETRIES = 5;

/**
 * Records readings against the ones recorded before (read in the same transaction), then publishes
 * again the published days whose figure they change: both commit together or not at all.
 */
@Injectable()
export class RecordMeterReadingsHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: EnergyReadModel,
    private readonly energy: EnergyCommandHandler,
    private readonly accrual: EnergyCostAccrual,
  ) {}

  execute(
    facilityId: string,
    body: PostMeterReadingsRequest,
    context: RequestContext,
    ifMatch: number | undefined,
  ): Promise<EnergyAnswer<MeterReadingsView>> {
    const metadata = eventMetadata(context, facilityId);
    const readings = body.readings.map((reading) => ({
      ...reading,
      intervalStart: new Date(reading.intervalStart).toISOString(),
    }));
    return inCommandTransaction(this.store, ifMatch === undefined ? MAX_RETRIES : 0, async (session) => {
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
    });
  }
}
