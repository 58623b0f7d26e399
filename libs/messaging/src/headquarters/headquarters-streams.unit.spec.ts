import { MessagingNames } from '../naming/messaging-names';
import { HeadquartersStreams } from './headquarters-streams';
import { natsNameHash } from './nats-name-hash';

describe('natsNameHash', () => {
  it('is nats-server’s hash of a source’s API prefix, as 2.9.10 writes it in Nats-Stream-Source', () => {
    // Read off a real copy: `Nats-Stream-Source: INVENTORY:T9k4o4QO 1` for `external.api: $JS.f1.API`.
    expect(natsNameHash('$JS.f1.API')).toBe('T9k4o4QO');
    expect(natsNameHash('$JS.f2.API')).toBe('4jJ0nWCL');
  });
});

describe('HeadquartersStreams', () => {
  const headquarters = new HeadquartersStreams(
    [
      { facilityId: 'us-tx-01', domain: 'us-tx-01' },
      { facilityId: 'de-by-02', domain: 'de-by-02-js' },
    ],
    MessagingNames.production,
  );

  it('names one stream per facility and context at headquarters, sourcing that facility’s stream from its domain', () => {
    expect(headquarters.streamsOf('inventory')).toEqual([
      {
        context: 'inventory',
        facilityId: 'us-tx-01',
        stream: 'HQ_INVENTORY_us-tx-01',
        source: {
          name: 'INVENTORY',
          external: { api: '$JS.us-tx-01.API', deliver: 'fleet-hq.deliver.us-tx-01.inventory' },
        },
      },
      {
        context: 'inventory',
        facilityId: 'de-by-02',
        stream: 'HQ_INVENTORY_de-by-02',
        source: {
          name: 'INVENTORY',
          external: { api: '$JS.de-by-02-js.API', deliver: 'fleet-hq.deliver.de-by-02-js.inventory' },
        },
      },
    ]);
    expect(MessagingNames.namespaced('t_x').hqStreamOf('power', 'us-tx-01')).toBe('T_X_HQ_POWER_us-tx-01');
  });

  it('tells the facility a Nats-Stream-Source header names, and nothing for an unknown source', () => {
    expect(headquarters.facilityOfSource(`INVENTORY:${natsNameHash('$JS.de-by-02-js.API')} 42`)).toBe(
      'de-by-02',
    );
    expect(headquarters.facilityOfSource(`POWER:${natsNameHash('$JS.us-tx-01.API')} 1`)).toBe('us-tx-01');
    expect(headquarters.facilityOfSource(`INVENTORY:${natsNameHash('$JS.other.API')} 1`)).toBeUndefined();
    expect(headquarters.facilityOfSource('INVENTORY 1')).toBeUndefined();
  });

  it('lets the consumer of one facility’s stream trust copies from that facility only', () => {
    const trusted = headquarters.trustedSourcesOf('us-tx-01');
    expect(trusted.facilityOfSource(`INVENTORY:${natsNameHash('$JS.us-tx-01.API')} 3`)).toBe('us-tx-01');
    expect(trusted.facilityOfSource(`INVENTORY:${natsNameHash('$JS.de-by-02-js.API')} 3`)).toBeUndefined();
  });

  it('refuses no facility, a facility twice, and names that cannot be subject tokens', () => {
    const production = MessagingNames.production;
    expect(() => new HeadquartersStreams([], production)).toThrow(/at least one facility/);
    expect(
      () =>
        new HeadquartersStreams(
          [
            { facilityId: 'a', domain: 'a' },
            { facilityId: 'a', domain: 'b' },
          ],
          production,
        ),
    ).toThrow(/listed twice/);
    expect(() => new HeadquartersStreams([{ facilityId: 'a.b', domain: 'a' }], production)).toThrow(
      /letters, digits/,
    );
  });
});
