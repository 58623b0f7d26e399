import { FacilityId } from './common';
import { parseSubject, streamNameOf, subjectOf, subjectOfTypeInAnyFacility, subjectsOf } from './subjects';

describe('subjects', () => {
  it('names a subject by context, facility and event type', () => {
    expect(subjectOf('procurement', 'us-tx-01', 'ShipmentUnitsReceived')).toBe(
      'fleet.procurement.us-tx-01.ShipmentUnitsReceived',
    );
    expect(subjectsOf('inventory')).toBe('fleet.inventory.>');
    expect(subjectOfTypeInAnyFacility('inventory', 'RigRegistered')).toBe('fleet.inventory.*.RigRegistered');
    expect(streamNameOf('power')).toBe('POWER');
  });

  it('parses what it names and refuses anything else', () => {
    expect(parseSubject('fleet.inventory.us-tx-01.RigInstalled')).toEqual({
      context: 'inventory',
      facilityId: 'us-tx-01',
      eventType: 'RigInstalled',
    });
    expect(parseSubject('fleet.inventory.RigInstalled')).toBeUndefined();
  });

  it('accepts only facility ids that are one subject token', () => {
    expect(FacilityId.safeParse('us-tx-01').success).toBe(true);
    for (const bad of ['us.tx', 'us tx', '*', '>', '', 'US-TX'])
      expect(FacilityId.safeParse(bad).success).toBe(false);
  });
});
