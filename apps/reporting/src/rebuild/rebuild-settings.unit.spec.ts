import { ConfigError } from '@fleet/service-kit';
import { eventFeedsOf } from './rebuild-settings';

describe('the rebuild’s event feed settings', () => {
  it('reads a feed per context whose <CONTEXT>_URL is set, none for the others', () => {
    const feeds = eventFeedsOf({ INVENTORY_URL: 'http://inventory:3002', POWER_URL: '' });
    expect(Object.keys(feeds)).toEqual(['inventory']);
    expect(feeds.inventory?.baseUrl).toBe('http://inventory:3002');
  });

  it('refuses a URL that is not http(s), naming the setting', () => {
    let thrown: unknown;
    try {
      eventFeedsOf({ PROCUREMENT_URL: 'procurement:3001', REVENUE_URL: 'ftp://revenue' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).settings).toEqual(['PROCUREMENT_URL', 'REVENUE_URL']);
  });
});
