import { metadataCausedBy } from './caused-by';

describe('metadataCausedBy', () => {
  it('carries the correlation over and names the envelope as the cause', () => {
    const envelope = { eventId: 'e-1', correlationId: 'c-1', facilityId: 'us-tx-01' };
    expect(metadataCausedBy(envelope, 'service:inventory', new Date('2026-11-27T10:00:00Z'))).toEqual({
      correlationId: 'c-1',
      causationId: 'e-1',
      actor: 'service:inventory',
      facilityId: 'us-tx-01',
      occurredAt: '2026-11-27T10:00:00.000Z',
    });
  });
});
