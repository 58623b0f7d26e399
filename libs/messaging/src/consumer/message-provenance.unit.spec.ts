import { headers } from '@nats-io/transport-node';
import { MessagingNames } from '../naming/messaging-names';
import { provenanceProblem, STREAM_SOURCE_HEADER, type ExpectedSource } from './message-provenance';

const names = MessagingNames.namespaced('t_prov');
const expected: ExpectedSource = {
  stream: 'T_PROV_PROCUREMENT',
  wireFilter: 't_prov.fleet.procurement.*.ShipmentUnitsReceived',
  names,
};
const subject = 't_prov.fleet.procurement.us-tx-01.ShipmentUnitsReceived';
const envelope = { type: 'ShipmentUnitsReceived', facilityId: 'us-tx-01' };

describe('provenanceProblem', () => {
  it('trusts a message published to the consumer’s stream on its filter, with a matching envelope', () => {
    expect(
      provenanceProblem({ subject, info: { stream: expected.stream } }, expected, envelope),
    ).toBeUndefined();
  });

  it('refuses a message from another stream, or copied in from one', () => {
    expect(provenanceProblem({ subject, info: { stream: 'T_PROV_POWER' } }, expected)).toBe(
      'delivered from stream T_PROV_POWER, not from T_PROV_PROCUREMENT',
    );
    const sourced = headers();
    sourced.set(STREAM_SOURCE_HEADER, 'FORGED 1 > >');
    expect(
      provenanceProblem({ subject, info: { stream: expected.stream }, headers: sourced }, expected),
    ).toMatch(/^copied into T_PROV_PROCUREMENT from another stream/);
  });

  it('refuses a subject outside the filter, of another context among them', () => {
    expect(
      provenanceProblem(
        { subject: 't_prov.fleet.power.us-tx-01.ShipmentUnitsReceived', info: { stream: expected.stream } },
        expected,
      ),
    ).toBe(
      "subject t_prov.fleet.power.us-tx-01.ShipmentUnitsReceived is outside the consumer's filter t_prov.fleet.procurement.*.ShipmentUnitsReceived",
    );
  });

  it('refuses an envelope whose type or facility is not its subject’s', () => {
    const wide = { ...expected, wireFilter: 't_prov.fleet.procurement.>' };
    expect(
      provenanceProblem(
        {
          subject: 't_prov.fleet.procurement.us-tx-01.PurchaseOrderPlaced',
          info: { stream: expected.stream },
        },
        wide,
        envelope,
      ),
    ).toMatch(/^a ShipmentUnitsReceived envelope on the subject of PurchaseOrderPlaced events/);
    expect(
      provenanceProblem({ subject, info: { stream: expected.stream } }, expected, {
        ...envelope,
        facilityId: 'no-01',
      }),
    ).toMatch(/^an event of facility no-01 on facility us-tx-01's subject/);
  });
});
