import type { EnergyCostAccrued, MeterReadingsRecorded, PowerEvent } from '@fleet/contracts';
import type { Decider, SnapshotPolicy } from '@fleet/event-sourcing';
import { Decimal } from 'decimal.js';
import type { AccrueEnergyCost, EnergyCommand, RecordMeterReadings } from './energy.commands';
import { evolveEnergy, initialEnergyState, type AccruedDay, type EnergyState } from './energy.state';

/** The same figure again is a no-op; another figure (or interval length) replaces the one recorded. */
function decideReadings({ data }: RecordMeterReadings): PowerEvent[] {
  const readings: MeterReadingsRecorded['data']['readings'][number][] = [];
  for (const { recorded, ...reading } of data.readings) {
    if (
      recorded &&
      recorded.intervalMinutes === reading.intervalMinutes &&
      new Decimal(recorded.kwh).equals(reading.kwh)
    )
      continue;
    readings.push(recorded ? { ...reading, replacesKwh: recorded.kwh } : reading);
  }
  return readings.length === 0
    ? []
    : [{ type: 'MeterReadingsRecorded', data: { facilityId: data.facilityId, readings } }];
}

function sameFigure(accrued: AccruedDay, kwh: string, usd: string, basis: string): boolean {
  return (
    accrued.basis === basis && new Decimal(accrued.kwh).equals(kwh) && new Decimal(accrued.usd).equals(usd)
  );
}

/**
 * A day not published yet gets revision 1; a published day whose figure changed gets the next
 * revision, naming the event it corrects; an unchanged day nothing. So two instances (or a restart)
 * computing the same day publish it once: the second finds it in the state.
 */
function decideAccrual(state: EnergyState, { data }: AccrueEnergyCost): PowerEvent[] {
  const events: EnergyCostAccrued[] = [];
  for (const { day, kwh, usd, basis, latestEventId } of data.days) {
    const accrued = state.accrued.get(day);
    if (!accrued) {
      events.push({
        type: 'EnergyCostAccrued',
        data: { facilityId: data.facilityId, day, kwh, usd, basis, revision: 1 },
      });
      continue;
    }
    if (sameFigure(accrued, kwh, usd, basis)) continue;
    if (latestEventId === null)
      throw new Error(`day ${day} of ${data.facilityId} is published, but its event is not known`);
    events.push({
      type: 'EnergyCostAccrued',
      data: {
        facilityId: data.facilityId,
        day,
        kwh,
        usd,
        basis,
        revision: accrued.revision + 1,
        correctsEventId: latestEventId,
      },
    });
  }
  return events;
}

/** A day's figure a year keeps the state small, but a stream of years still loads from a snapshot. */
export const energySnapshots: SnapshotPolicy<EnergyState> = {
  every: 50,
  schemaVersion: 1,
  toSnapshot: (state): EnergySnapshot => ({
    facilityId: state.facilityId,
    accrued: [...state.accrued],
    accruedThrough: state.accruedThrough,
  }),
  fromSnapshot: (stored) => {
    const snapshot = stored as EnergySnapshot;
    return { ...snapshot, accrued: new Map(snapshot.accrued) };
  },
};

interface EnergySnapshot {
  readonly facilityId: string | null;
  readonly accrued: readonly (readonly [string, AccruedDay])[];
  readonly accruedThrough: string | null;
}

/** A facility's energy: stream `energy-<facilityId>`. */
export const energyDecider: Decider<EnergyCommand, EnergyState, PowerEvent> = {
  initialState: initialEnergyState,
  evolve: evolveEnergy,
  decide(command, state) {
    switch (command.type) {
      case 'RecordMeterReadings':
        return decideReadings(command);
      case 'SetTariff':
        return [{ type: 'TariffSet', data: command.data }];
      case 'PostEnergyPrices':
        return [
          { type: 'EnergyPricesPosted', data: { ...command.data, intervals: [...command.data.intervals] } },
        ];
      case 'AccrueEnergyCost':
        return decideAccrual(state, command);
    }
  },
};
