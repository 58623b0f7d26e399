import { canonicalJson, requestFingerprint } from './request-fingerprint';

describe('requestFingerprint', () => {
  it('is the same for the same JSON in another key order', () => {
    expect(requestFingerprint('POST', '/orders', { a: 1, b: { c: [1, { e: 2, d: 3 }] } })).toBe(
      requestFingerprint('POST', '/orders', { b: { c: [1, { d: 3, e: 2 }] }, a: 1 }),
    );
    expect(canonicalJson({ b: 1, a: [{ z: 1, y: 2 }] })).toBe('{"a":[{"y":2,"z":1}],"b":1}');
  });

  it('differs by body, path, method, and between a text body and its JSON', () => {
    const base = requestFingerprint('POST', '/orders', { a: 1 });
    expect(requestFingerprint('POST', '/orders', { a: 2 })).not.toBe(base);
    expect(requestFingerprint('POST', '/orders/1', { a: 1 })).not.toBe(base);
    expect(requestFingerprint('PUT', '/orders', { a: 1 })).not.toBe(base);
    expect(requestFingerprint('POST', '/orders', '{"a":1}')).not.toBe(base);
    expect(requestFingerprint('POST', '/orders', [1, 2])).not.toBe(
      requestFingerprint('POST', '/orders', [2, 1]),
    );
  });
});
