import path from 'node:path';

/**
 * The page may load and call only its own origin: nothing from a CDN, no external font, no inline
 * script, so a build that slipped one in fails in the browser instead of phoning out.
 */
export const DASHBOARD_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Headers of a file of the bundle. Vite names assets by their content's hash, so they never change
 * and are cached for a year; `index.html` names the current ones and is revalidated every time.
 */
export function dashboardHeadersOf(filePath: string): Record<string, string> {
  const hashedAsset = path.basename(path.dirname(filePath)) === 'assets';
  return {
    'cache-control': hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
    'content-security-policy': DASHBOARD_CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}
