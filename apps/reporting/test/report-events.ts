import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@fleet/contracts';
import { DocumentWorkingSet } from '../src/report-kit/document-working-set';
import { reportEventOf, type ReportEvent } from '../src/report-kit/report-event';
import type { ReportFold } from '../src/report-kit/report-fold';

export const FACILITY = 'us-tx-01';
export const NANO = 'asicminer-8-nano';
export const S19 = 'bitmain-antminer-s19-pro';

/** Id n, readable in failures: `00000000-0000-4000-8000-<n>`. */
export function idOf(n: number, tag = 0): string {
  return `00000000-0000-4000-8000-${String(tag).padStart(4, '0')}${String(n).padStart(8, '0')}`;
}

let nextPosition = 1;

export interface EnvelopeOptions {
  readonly facilityId?: string;
  readonly occurredAt?: string;
  readonly position?: number;
  readonly streamId?: string;
}

/** An envelope as a service's relay publishes it; positions count up unless given. */
export function envelopeOf(
  type: string,
  data: Record<string, unknown>,
  options: EnvelopeOptions = {},
): EventEnvelope {
  const position = options.position ?? nextPosition++;
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    streamId: options.streamId ?? `test-${type}`,
    streamVersion: 1,
    position: String(position),
    occurredAt: options.occurredAt ?? new Date().toISOString(),
    facilityId:
      options.facilityId ?? (typeof data['facilityId'] === 'string' ? data['facilityId'] : FACILITY),
    actor: 'test',
    correlationId: `corr-${randomUUID()}`,
    causationId: null,
    data,
  };
}

/** The typed event of an envelope; fails the test for a type no report knows. */
export function reportEvent(envelope: EventEnvelope): ReportEvent {
  const event = reportEventOf(envelope);
  if (!event) throw new Error(`no report knows ${envelope.type}`);
  return event;
}

/** Folds the envelopes in memory, as a rebuild does, and answers the documents of the fold. */
export function foldInMemory<Doc>(
  fold: ReportFold<Doc>,
  envelopes: readonly EventEnvelope[],
): { key: string; facilityId: string; data: Doc }[] {
  const set = new DocumentWorkingSet(1, [fold as ReportFold<unknown>]);
  for (const envelope of envelopes) {
    const event = reportEventOf(envelope);
    if (event) set.apply(event);
  }
  return set
    .documents(fold.kind)
    .map((row) => ({ key: row.key, facilityId: row.facilityId, data: row.data as Doc }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

export const rigRegistered = (rig: number, model = NANO, facilityId = FACILITY): EventEnvelope =>
  envelopeOf('RigRegistered', {
    rigId: idOf(rig),
    serialNumber: `SN-${rig}`,
    model,
    facilityId,
    source: { kind: 'manual' },
  });
export const rigInstalled = (rig: number, facilityId = FACILITY): EventEnvelope =>
  envelopeOf('RigInstalled', { rigId: idOf(rig), facilityId, rack: 'A01', slot: (rig % 1000) + 1 });
export const rigPoweredOn = (rig: number, facilityId = FACILITY): EventEnvelope =>
  envelopeOf('RigPoweredOn', {
    rigId: idOf(rig),
    facilityId,
    rack: 'A01',
    slot: (rig % 1000) + 1,
    facilityPowerVersion: 1,
  });
export const rigSentToRepair = (rig: number, facilityId = FACILITY): EventEnvelope =>
  envelopeOf('RigSentToRepair', { rigId: idOf(rig), facilityId, reason: 'fan' });
