import { randomUUID } from 'node:crypto';
import { EnergyCostAccrued, type EventEnvelope } from '@fleet/contracts';

/** An `EnergyCostAccrued` envelope as power's relay would publish it. */
export function energyEnvelope(
  data: Omit<EnergyCostAccrued['data'], 'revision'> & { revision?: number },
): EventEnvelope<EnergyCostAccrued['data']> {
  return {
    eventId: randomUUID(),
    type: EnergyCostAccrued.type,
    schemaVersion: EnergyCostAccrued.version,
    streamId: `facility-power-${data.facilityId}`,
    streamVersion: 1,
    position: '7',
    occurredAt: new Date().toISOString(),
    facilityId: data.facilityId,
    actor: 'service:power',
    correlationId: `corr-${randomUUID()}`,
    causationId: null,
    data: { revision: 1, ...data },
  };
}
