import type { PowerEvent } from '@fleet/contracts';
import type { DayFigure, EnergyCommand } from './energy.commands';
import { energyDecider } from './energy.decider';

const facilityId = 'ohio-1';
const reading = {
  meterId: 'main',
  intervalStart: '2026-11-01T00:00:00Z',
  intervalMinutes: 15 as const,
  kwh: '700.5',
};
const eventId = '6f1c1d58-2a3b-4c5d-8e9f-0a1b2c3d4e5f';

function given(events: readonly PowerEvent[], command: EnergyCommand): readonly PowerEvent[] {
  return energyDecider.decide(command, events.reduce(energyDecider.evolve, energyDecider.initialState()));
}

describe('the energy decider', () => {
  it('records a new reading, skips the same figure again and records another as a correction', () => {
    const record = (
      kwh: string,
      recorded: { kwh: string; intervalMinutes: number } | null,
    ): EnergyCommand => ({
      type: 'RecordMeterReadings',
      data: { facilityId, readings: [{ ...reading, kwh, recorded }] },
    });
    expect(given([], record('700.5', null))).toEqual([
      { type: 'MeterReadingsRecorded', data: { facilityId, readings: [reading] } },
    ]);
    expect(given([], record('700.50', { kwh: '700.5', intervalMinutes: 15 }))).toEqual([]);
    expect(given([], record('710', { kwh: '700.5', intervalMinutes: 15 }))).toEqual([
      {
        type: 'MeterReadingsRecorded',
        data: { facilityId, readings: [{ ...reading, kwh: '710', replacesKwh: '700.5' }] },
      },
    ]);
    expect(given([], record('700.5', { kwh: '700.5', intervalMinutes: 5 }))).toHaveLength(1);
  });

  it('publishes a day once, then only a changed figure, as the next revision naming the event it corrects', () => {
    const day: Omit<DayFigure, 'latestEventId'> = {
      day: '2026-11-01',
      kwh: '68880',
      usd: '3099.6',
      basis: 'estimated',
    };
    const accrue = (figure: typeof day, latestEventId: string | null): EnergyCommand => ({
      type: 'AccrueEnergyCost',
      data: { facilityId, days: [{ ...figure, latestEventId }] },
    });
    const first = given([], accrue(day, null));
    expect(first).toEqual([{ type: 'EnergyCostAccrued', data: { facilityId, ...day, revision: 1 } }]);
    expect(given(first, accrue({ ...day, kwh: '68880.000' }, eventId))).toEqual([]);
    const measured: typeof day = { ...day, kwh: '70000', usd: '3150', basis: 'measured' };
    const second = given(first, accrue(measured, eventId));
    expect(second).toEqual([
      { type: 'EnergyCostAccrued', data: { facilityId, ...measured, revision: 2, correctsEventId: eventId } },
    ]);
    expect(given([...first, ...second], accrue({ ...measured, usd: '3151' }, eventId))).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ revision: 3 }) }),
    ]);
  });

  it('keeps the latest day published', () => {
    const state = [
      { type: 'TariffSet', data: { facilityId, tariff: { type: 'fixed', usdPerKwh: '0.045' } } },
      {
        type: 'EnergyCostAccrued',
        data: { facilityId, day: '2026-11-02', kwh: '0', usd: '0', basis: 'estimated', revision: 1 },
      },
      {
        type: 'EnergyCostAccrued',
        data: {
          facilityId,
          day: '2026-11-01',
          kwh: '1',
          usd: '0',
          basis: 'measured',
          revision: 2,
          correctsEventId: eventId,
        },
      },
    ].reduce((s, e) => energyDecider.evolve(s, e as PowerEvent), energyDecider.initialState());
    expect(state.accruedThrough).toBe('2026-11-02');
  });
});
