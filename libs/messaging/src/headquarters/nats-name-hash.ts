import { createHash } from 'node:crypto';

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * nats-server's `getHash`: the first 8 bytes of SHA-256, each mapped onto 62 letters and digits.
 * A stream that sources from another JetStream domain names the source in the `Nats-Stream-Source`
 * header of every copied message as `<stream>:<getHash(api prefix)> <sequence>`
 * (`INVENTORY:T9k4o4QO 17` for `$JS.f1.API`); computing the same hash tells which facility a
 * message was copied from.
 */
export function natsNameHash(name: string): string {
  const digest = createHash('sha256').update(name).digest();
  let hash = '';
  for (let index = 0; index < 8; index++) hash += DIGITS[digest[index] % DIGITS.length];
  return hash;
}
