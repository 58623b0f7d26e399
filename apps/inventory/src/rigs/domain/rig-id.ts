import { createHash } from 'node:crypto';

/**
 * Fleet's namespace for rig ids (a random v4 uuid, fixed forever: changing it would give every rig
 * a new id).
 */
export const RIG_ID_NAMESPACE = '0f3c2a8e-6b1d-4f57-9c2e-8d4a7b5e1f60';

/**
 * A rig's id is the name-based (v5, RFC 9562) uuid of its serial number, so the same serial always
 * maps to the same stream: registering a serial twice collides on the stream (`no_stream`) instead
 * of creating a second rig. Serials are compared exactly as the vendor prints them.
 */
export function rigIdOf(serialNumber: string): string {
  return uuidV5(serialNumber, RIG_ID_NAMESPACE);
}

export function rigStreamId(rigId: string): string {
  return `rig-${rigId}`;
}

export const RIG_STREAM_TYPE = 'rig';

export function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
