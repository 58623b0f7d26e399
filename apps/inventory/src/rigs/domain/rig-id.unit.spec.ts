import { RIG_ID_NAMESPACE, rigIdOf, rigStreamId, uuidV5 } from './rig-id';

describe('rig ids', () => {
  it('implements uuid v5 as RFC 9562 specifies it (the well-known DNS namespace vector)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('maps a serial to the same id every time and different serials to different ids', () => {
    expect(rigIdOf('AM8NP-000001')).toBe(rigIdOf('AM8NP-000001'));
    expect(rigIdOf('AM8NP-000001')).not.toBe(rigIdOf('AM8NP-000002'));
    expect(rigIdOf('am8np-000001')).not.toBe(rigIdOf('AM8NP-000001'));
  });

  it('gives version 5, RFC variant uuids in the rig namespace', () => {
    expect(rigIdOf('AM8NP-000001')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(rigIdOf('AM8NP-000001')).toBe(uuidV5('AM8NP-000001', RIG_ID_NAMESPACE));
  });

  it('names the stream after the rig', () => {
    expect(rigStreamId('2ed6657d-e927-568b-95e1-2665a8aea6a2')).toBe(
      'rig-2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
});
