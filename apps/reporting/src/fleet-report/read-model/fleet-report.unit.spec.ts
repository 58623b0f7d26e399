import {
  envelopeOf,
  FACILITY,
  foldInMemory,
  idOf,
  NANO,
  rigInstalled,
  rigPoweredOn,
  rigRegistered,
  rigSentToRepair,
  S19,
} from '../../../test/report-events';
import { fleetReportOf } from './fleet-report';
import { fleetRigFold, type FleetRigDoc } from './fleet-rig.fold';

function reportOf(envelopes: Parameters<typeof foldInMemory>[1], facilityId: string | null = null) {
  const rigs = foldInMemory<FleetRigDoc>(fleetRigFold, envelopes);
  return fleetReportOf(
    facilityId,
    rigs.map((rig) => ({ ...rig.data, facilityId: rig.facilityId })),
  );
}

describe('the fleet report fold', () => {
  it('follows each rig through its lifecycle and counts installed against online', () => {
    const report = reportOf([
      rigRegistered(1),
      rigRegistered(2),
      rigRegistered(3, S19),
      rigRegistered(4, NANO, 'de-by-02'),
      rigInstalled(1),
      rigInstalled(2),
      rigInstalled(3),
      rigPoweredOn(1),
      rigPoweredOn(3),
      rigSentToRepair(2),
    ]);
    expect(report.rigs).toBe(4);
    expect(report.byStatus).toMatchObject({ received: 1, installed: 0, online: 2, in_repair: 1 });
    expect(report.installed).toBe(2);
    expect(report.online).toBe(2);
    expect(report.byFacility).toEqual([
      { facilityId: 'de-by-02', rigs: 1, installed: 0, online: 0 },
      { facilityId: FACILITY, rigs: 3, installed: 2, online: 2 },
    ]);
  });

  it('sums the nominal hashrate of the online rigs per unit, exactly', () => {
    const rigs = [1, 2, 3].flatMap((n) => [rigRegistered(n), rigInstalled(n), rigPoweredOn(n)]);
    const report = reportOf([
      ...rigs,
      rigRegistered(4, S19),
      rigInstalled(4),
      rigPoweredOn(4),
      rigRegistered(5, S19),
    ]);
    // 3 × 44 TH/s + 110 TH/s; the S19 that is not online does not count.
    expect(report.hashrateOnline).toEqual({ 'TH/s': '242' });
    expect(report.byModel.find((model) => model.model === S19)).toMatchObject({
      rigs: 2,
      online: 1,
      hashrateOnline: '110',
    });
  });

  it('moves a powered-off rig back to installed, a returned one to received, a decommissioned one out of the racks', () => {
    const report = reportOf([
      rigRegistered(1),
      rigInstalled(1),
      rigPoweredOn(1),
      envelopeOf('RigPoweredOff', {
        rigId: idOf(1),
        facilityId: FACILITY,
        rack: 'A01',
        slot: 2,
        reason: 'requested',
        facilityPowerVersion: 2,
      }),
      rigRegistered(2),
      rigSentToRepair(2),
      envelopeOf('RigReturnedFromRepair', { rigId: idOf(2), facilityId: FACILITY }),
      rigRegistered(3),
      rigInstalled(3),
      envelopeOf('RigDecommissioned', { rigId: idOf(3), facilityId: FACILITY, reason: 'burnt' }),
    ]);
    expect(report.byStatus).toMatchObject({ installed: 1, received: 1, decommissioned: 1, online: 0 });
    expect(report.installed).toBe(1);
  });

  it('ignores a rig event whose registration it never saw (a stream cut by retention)', () => {
    expect(reportOf([rigInstalled(9), rigPoweredOn(9)]).rigs).toBe(0);
  });
});
