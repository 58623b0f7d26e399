import { headers } from '@nats-io/transport-node';
import { HeadquartersStreams } from '../headquarters/headquarters-streams';
import { natsNameHash } from '../headquarters/nats-name-hash';
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

describe('provenanceProblem at headquarters (a stream sourcing the facilities’ streams)', () => {
  const headquarters = new HeadquartersStreams(
    [
      { facilityId: 'us-tx-01', domain: 'us-tx-01' },
      { facilityId: 'de-by-02', domain: 'de-by-02-js' },
    ],
    names,
  );
  const atHq: ExpectedSource = {
    stream: 'T_PROV_HQ_PROCUREMENT_us-tx-01',
    wireFilter: 't_prov.fleet.procurement.*.*',
    names,
    trustedSources: headquarters,
  };
  /** The header nats-server 2.9.10 wrote on a copy from `$JS.<domain>.API` (its hash of the prefix). */
  const copiedFrom = (domain: string, sequence: number) => {
    const sourced = headers();
    sourced.set(STREAM_SOURCE_HEADER, `T_PROV_PROCUREMENT:${natsNameHash(`$JS.${domain}.API`)} ${sequence}`);
    return sourced;
  };

  it('trusts a facility’s event copied from that facility’s stream', () => {
    expect(
      provenanceProblem(
        { subject, info: { stream: atHq.stream }, headers: copiedFrom('us-tx-01', 7) },
        atHq,
        envelope,
      ),
    ).toBeUndefined();
  });

  it('refuses an event of one facility copied from another facility’s stream', () => {
    expect(
      provenanceProblem(
        { subject, info: { stream: atHq.stream }, headers: copiedFrom('de-by-02-js', 3) },
        atHq,
        envelope,
      ),
    ).toMatch(/^an event of facility us-tx-01 copied from facility de-by-02's stream/);
  });

  it('refuses a copy from a stream headquarters does not source', () => {
    expect(
      provenanceProblem(
        { subject, info: { stream: atHq.stream }, headers: copiedFrom('elsewhere', 1) },
        atHq,
        envelope,
      ),
    ).toMatch(/^copied into T_PROV_HQ_PROCUREMENT_us-tx-01 from another stream/);
  });

  it('refuses copies without the trusted sources, as at a facility', () => {
    expect(
      provenanceProblem(
        { subject, info: { stream: atHq.stream }, headers: copiedFrom('us-tx-01', 7) },
        { ...atHq, trustedSources: undefined },
        envelope,
      ),
    ).toMatch(/^copied into T_PROV_HQ_PROCUREMENT_us-tx-01 from another stream/);
  });
});
