import { FleetHeaders } from '@fleet/contracts';
import type { RecordedEvent } from '@fleet/event-sourcing';
import { decodeEnvelope, encodeEnvelope, envelopeHeaders, envelopeOf } from './envelope-codec';

const recorded: RecordedEvent = {
  eventId: '7d3c8f0e-3c1a-4f7b-9a51-2b6f0c1d2e3f',
  type: 'ShipmentUnitsReceived',
  schemaVersion: 2,
  data: { units: [{ serialNumber: 'SN-1' }] },
  streamId: 'shipment-1',
  streamType: 'shipment',
  streamVersion: 3,
  position: 9_007_199_254_740_993n,
  metadata: {
    correlationId: 'corr-1',
    causationId: null,
    actor: 'procurement:alice',
    facilityId: 'us-tx-01',
    occurredAt: '2026-11-02T10:00:00.000Z',
  },
};

describe('envelope codec', () => {
  it('round-trips a recorded event, keeping a position beyond 2^53 exact', () => {
    const envelope = envelopeOf(recorded);
    expect(envelope.position).toBe('9007199254740993');
    const decoded = decodeEnvelope(encodeEnvelope(envelope));
    expect(decoded).toEqual({ ok: true, envelope });
  });

  it('sets Fleet headers, leaving out an absent causation id', () => {
    const headers = envelopeHeaders(envelopeOf(recorded));
    expect(headers.get(FleetHeaders.eventType)).toBe('ShipmentUnitsReceived');
    expect(headers.get(FleetHeaders.schemaVersion)).toBe('2');
    expect(headers.get(FleetHeaders.correlationId)).toBe('corr-1');
    expect(headers.has(FleetHeaders.causationId)).toBe(false);
    const caused = envelopeHeaders(
      envelopeOf({ ...recorded, metadata: { ...recorded.metadata, causationId: 'c-9' } }),
    );
    expect(caused.get(FleetHeaders.causationId)).toBe('c-9');
  });

  it('reports what is wrong instead of throwing', () => {
    const notJson = decodeEnvelope(new TextEncoder().encode('{oops'));
    expect(notJson.ok).toBe(false);
    expect(!notJson.ok && notJson.error).toMatch(/^not JSON/);
    const notUtf8 = decodeEnvelope(new Uint8Array([0xff, 0xfe]));
    expect(notUtf8.ok).toBe(false);
    const incomplete = decodeEnvelope(new TextEncoder().encode(JSON.stringify({ eventId: 'x', type: 'T' })));
    expect(incomplete.ok).toBe(false);
    expect(!incomplete.ok && incomplete.error).toMatch(/eventId: .*schemaVersion: /);
  });
});
