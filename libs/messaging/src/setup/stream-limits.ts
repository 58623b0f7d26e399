import type { StreamConfig } from '@nats-io/jetstream';
import { millis, nanos } from '@nats-io/transport-node';

/** How much of a stream the server keeps. Both omitted: everything, forever. */
export interface StreamLimits {
  /** Drop messages older than this; omitted or 0 keeps them forever (consumers may replay from the start). */
  readonly maxAgeMs?: number;
  /** Drop the oldest messages beyond this many bytes; omitted keeps them all. */
  readonly maxBytes?: number;
}

/** JetStream's "no byte limit". */
const UNLIMITED_BYTES = -1;

/** A stream's retention as the server configures it. */
export type StreamRetention = Pick<StreamConfig, 'max_age' | 'max_bytes'>;

/** The stream configuration of these limits. */
export function retentionOf(limits: StreamLimits): StreamRetention {
  const maxAgeMs = limits.maxAgeMs ?? 0;
  if (!Number.isInteger(maxAgeMs) || maxAgeMs < 0)
    throw new Error(`maxAgeMs must be 0 (forever) or a positive whole number, not ${maxAgeMs}`);
  if (limits.maxBytes !== undefined && (!Number.isInteger(limits.maxBytes) || limits.maxBytes < 1))
    throw new Error(`maxBytes must be a positive whole number (or omitted), not ${limits.maxBytes}`);
  return { max_age: nanos(maxAgeMs), max_bytes: limits.maxBytes ?? UNLIMITED_BYTES };
}

/**
 * How an existing stream's retention differs from the wanted one, in one sentence; undefined when
 * it does not. The stream's own values win: an operator may have set them on the server.
 */
export function retentionDrift(current: StreamRetention, wanted: StreamRetention): string | undefined {
  const differences: string[] = [];
  if (current.max_age !== wanted.max_age)
    differences.push(`max_age ${ageOf(current.max_age)} (the settings ask for ${ageOf(wanted.max_age)})`);
  if ((current.max_bytes ?? UNLIMITED_BYTES) !== wanted.max_bytes)
    differences.push(
      `max_bytes ${bytesOf(current.max_bytes)} (the settings ask for ${bytesOf(wanted.max_bytes)})`,
    );
  if (differences.length === 0) return undefined;
  return `keeps its ${differences.join(' and ')}, left as it is: change the stream or the settings so that they agree`;
}

function ageOf(maxAge: number): string {
  return maxAge > 0 ? `${millis(maxAge)} ms` : 'forever';
}

function bytesOf(maxBytes: number | undefined): string {
  return maxBytes === undefined || maxBytes < 0 ? 'unlimited' : `${maxBytes} bytes`;
}
