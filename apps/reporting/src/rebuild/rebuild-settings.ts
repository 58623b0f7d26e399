import { BOUNDED_CONTEXTS, type BoundedContext } from '@fleet/contracts';
import { ConfigError } from '@fleet/service-kit';
import { z } from 'zod';
import { EventFeedClient } from './event-feed.client';

/** The setting naming a context's service base URL: `PROCUREMENT_URL`, `INVENTORY_URL`, … */
export const feedUrlSetting = (context: BoundedContext): string => `${context.toUpperCase()}_URL`;
/** A `reports` key the rebuild sends to the services' `GET /events`. */
export const SOURCES_API_KEY_SETTING = 'REPORTING_SOURCES_API_KEY';

const HttpUrl = z.url({ protocol: /^https?$/ });

/**
 * The services' event feeds a rebuild reads where a stream was cut by retention. Unset: that
 * context is read from its stream only, and a cut stream fails the rebuild naming the setting.
 */
export function eventFeedsOf(
  env: Readonly<Record<string, string | undefined>>,
): Partial<Record<BoundedContext, EventFeedClient>> {
  const feeds: Partial<Record<BoundedContext, EventFeedClient>> = {};
  const problems: { setting: string; message: string }[] = [];
  const apiKey = env[SOURCES_API_KEY_SETTING] || undefined;
  for (const context of BOUNDED_CONTEXTS) {
    const setting = feedUrlSetting(context);
    const value = env[setting];
    if (!value) continue;
    if (HttpUrl.safeParse(value).success) feeds[context] = new EventFeedClient(value, apiKey);
    else
      problems.push({
        setting,
        message: `expected an http(s) URL such as http://${context}:3001, not "${value}"`,
      });
  }
  if (problems.length > 0) throw new ConfigError('reporting', problems);
  return feeds;
}
