import { subjectMatches } from './subject-pattern';

describe('subjectMatches', () => {
  it('matches literal tokens, * for one token and a final > for one or more', () => {
    const subject = 'fleet.procurement.us-tx-01.ShipmentUnitsReceived';
    expect(subjectMatches(subject, subject)).toBe(true);
    expect(subjectMatches('fleet.procurement.*.ShipmentUnitsReceived', subject)).toBe(true);
    expect(subjectMatches('fleet.procurement.>', subject)).toBe(true);
    expect(subjectMatches('fleet.*.*.*', subject)).toBe(true);
    expect(subjectMatches('>', subject)).toBe(true);
  });

  it('refuses other tokens, fewer or more tokens, and a > that would match nothing', () => {
    const subject = 'fleet.procurement.us-tx-01.ShipmentUnitsReceived';
    expect(subjectMatches('fleet.inventory.>', subject)).toBe(false);
    expect(subjectMatches('fleet.procurement.*', subject)).toBe(false);
    expect(subjectMatches('fleet.procurement.*.ShipmentUnitsReceived.x', subject)).toBe(false);
    expect(subjectMatches('fleet.procurement.us-tx-01.ShipmentUnitsReceived.>', subject)).toBe(false);
    expect(subjectMatches('fleet.procurement.us-tx-01', subject)).toBe(false);
  });
});
