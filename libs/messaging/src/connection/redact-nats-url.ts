/**
 * A NATS URL as it may be printed: credentials inside it (`nats://user:pass@host`) become `***`
 * (`nats://***@host:4222`). Text that is not a URL comes back unchanged.
 */
export function redactNatsUrl(url: string): string {
  const at = url.lastIndexOf('@');
  const scheme = url.indexOf('://');
  if (at < 0 || scheme < 0 || at < scheme) return url;
  return `${url.slice(0, scheme + 3)}***${url.slice(at)}`;
}

/** Every URL of a list, redacted, comma-separated. */
export function redactNatsUrls(urls: string | readonly string[]): string {
  return (typeof urls === 'string' ? urls.split(',') : urls)
    .map((url) => redactNatsUrl(url.trim()))
    .join(', ');
}

/** `text` with every occurrence of every secret replaced by `***` (errors that echo what they were given). */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret.length > 0)
    .sort((a, b) => b.length - a.length)
    .reduce((scrubbed, secret) => scrubbed.split(secret).join('***'), text);
}
