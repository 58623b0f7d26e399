import { createHash } from 'node:crypto';

/**
 * What makes two requests "the same" for `Idempotency-Key`: method, path with query, and body.
 * JSON bodies are compared by value (object keys sorted), so a client that re-serialises the same
 * body in another key order is not refused.
 */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  const hash = createHash('sha256');
  hash.update(`${method.toUpperCase()} ${url}\n`);
  hash.update(typeof body === 'string' ? `text:${body}` : `json:${canonicalJson(body)}`);
  return hash.digest('hex');
}

/**
 * Recursive, like `JSON.stringify`: safe because request bodies are refused at parse time when they
 * nest deeper than `MAX_JSON_BODY_DEPTH`.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
