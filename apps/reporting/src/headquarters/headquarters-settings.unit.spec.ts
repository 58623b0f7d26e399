import { MessagingNames } from '@fleet/messaging';
import { ConfigError } from '@fleet/service-kit';
import { headquartersOf } from './headquarters-settings';

const names = MessagingNames.production;

function settingsRefused(env: Record<string, string>): readonly string[] {
  try {
    headquartersOf(env, names);
  } catch (error) {
    if (error instanceof ConfigError) return error.settings;
    throw error;
  }
  throw new Error('the settings were accepted');
}

describe('reporting’s headquarters settings', () => {
  it('reads the facility’s own streams by default', () => {
    expect(headquartersOf({}, names)).toBeUndefined();
    expect(headquartersOf({ REPORTING_MODE: 'facility' }, names)).toBeUndefined();
  });

  it('at headquarters, lists the facilities, each in the JetStream domain of its id unless named', () => {
    const headquarters = headquartersOf(
      { REPORTING_MODE: 'hq', HQ_FACILITIES: ' us-tx-01 , de-by-02=de-by-02-js' },
      names,
    );
    expect(headquarters?.facilities).toEqual([
      { facilityId: 'us-tx-01', domain: 'us-tx-01' },
      { facilityId: 'de-by-02', domain: 'de-by-02-js' },
    ]);
    expect(headquarters?.streamsOf('revenue').map(({ stream }) => stream)).toEqual([
      'HQ_REVENUE_us-tx-01',
      'HQ_REVENUE_de-by-02',
    ]);
  });

  it('refuses an unknown mode, a missing or malformed list, a facility twice, and a list without the mode', () => {
    expect(settingsRefused({ REPORTING_MODE: 'headquarters' })).toEqual(['REPORTING_MODE']);
    expect(settingsRefused({ REPORTING_MODE: 'hq' })).toEqual(['HQ_FACILITIES']);
    expect(settingsRefused({ REPORTING_MODE: 'hq', HQ_FACILITIES: 'us-tx-01,,x.y' })).toEqual([
      'HQ_FACILITIES',
      'HQ_FACILITIES',
    ]);
    expect(settingsRefused({ REPORTING_MODE: 'hq', HQ_FACILITIES: 'a,a=b' })).toEqual(['HQ_FACILITIES']);
    expect(settingsRefused({ HQ_FACILITIES: 'us-tx-01' })).toEqual(['HQ_FACILITIES']);
  });
});
