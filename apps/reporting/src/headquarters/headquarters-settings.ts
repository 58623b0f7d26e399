import { HeadquartersStreams, type FacilityDomain, type MessagingNames } from '@fleet/messaging';
import { ConfigError } from '@fleet/service-kit';

/** `facility` (default): reads the facility's own streams; `hq`: the streams sourcing every facility's. */
export const REPORTING_MODE_SETTING = 'REPORTING_MODE';
/** At HQ, the facilities: `us-tx-01,de-by-02=de-by-02-js` (facility id, `=` its JetStream domain if not the id). */
export const HQ_FACILITIES_SETTING = 'HQ_FACILITIES';

const ENTRY = /^([A-Za-z0-9_-]{1,64})(?:=([A-Za-z0-9_-]{1,64}))?$/;

/**
 * Reporting's mode from its settings: undefined at a facility, or the facilities headquarters reads
 * (`REPORTING_MODE=hq` with `HQ_FACILITIES`). Every wrong setting is reported at once.
 */
export function headquartersOf(
  env: Readonly<Record<string, string | undefined>>,
  names: MessagingNames,
): HeadquartersStreams | undefined {
  const mode = env[REPORTING_MODE_SETTING] || 'facility';
  const list = env[HQ_FACILITIES_SETTING]?.trim() ?? '';
  const problems: { setting: string; message: string }[] = [];
  if (mode !== 'facility' && mode !== 'hq')
    throw new ConfigError('reporting', [
      { setting: REPORTING_MODE_SETTING, message: `expected facility or hq, not "${mode}"` },
    ]);
  if (mode === 'facility') {
    if (list)
      problems.push({
        setting: HQ_FACILITIES_SETTING,
        message: `is only read with ${REPORTING_MODE_SETTING}=hq; unset it, or set the mode`,
      });
    if (problems.length > 0) throw new ConfigError('reporting', problems);
    return undefined;
  }
  const facilities: FacilityDomain[] = [];
  for (const entry of list.split(',').map((item) => item.trim())) {
    const match = ENTRY.exec(entry);
    if (!match) {
      problems.push({
        setting: HQ_FACILITIES_SETTING,
        message: `expected facility ids, each with an optional =<JetStream domain>, separated by commas (us-tx-01,de-by-02=de-by-02-js), not "${entry}"`,
      });
      continue;
    }
    facilities.push({ facilityId: match[1], domain: match[2] ?? match[1] });
  }
  if (problems.length === 0)
    try {
      return new HeadquartersStreams(facilities, names);
    } catch (error) {
      problems.push({
        setting: HQ_FACILITIES_SETTING,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  throw new ConfigError('reporting', problems);
}
