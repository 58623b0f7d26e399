import type { PostMeterReadingsRequest } from '@fleet/contracts';
import { eventMetadata, type RequestContext } from '@fleet/service-kit';
import { Injectable } from '@nestjs/common';
import { dayOf } from '../../domain/energy-days';
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
    return this.energy.inFacilityTransaction(facilityId, ifMatch, MAX_RETRIES, async (session) => {
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
      const left = await this.energy.execute(session, command, metadata, { ifMatchVersion: ifMatch });
      const { events } = left;
      const changed = events.flatMap((event) =>
        event.type === 'MeterReadingsRecorded' ? event.data.readings : [],
      );
      const days = changed.map((reading) => dayOf(Date.parse(reading.intervalStart)));
      const { corrected, version } = await this.accrual.correct(session, facilityId, days, metadata, left);
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
