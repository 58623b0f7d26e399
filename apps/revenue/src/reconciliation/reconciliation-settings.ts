import { ConfigError } from '@fleet/service-kit';

export const TOLERANCE_SETTING = 'RECONCILIATION_TOLERANCE_PERCENT';
export const SWEEP_SETTING = 'RECONCILIATION_SWEEP_MS';

export interface ReconciliationSettings {
  /** A day and pool whose variance is beyond this many percent (either way) is flagged. Default 3. */
  readonly tolerancePercent: string;
  /** How often the open months are checked for variances to flag (0: only after writes). Default 60 s. */
  readonly sweepMs: number;
}

export const RECONCILIATION_SETTINGS = Symbol('RECONCILIATION_SETTINGS');

/** Reads the settings, refusing a bad value at start-up rather than flagging by a wrong tolerance. */
export function reconciliationSettingsOf(
  env: Readonly<Record<string, string | undefined>>,
): ReconciliationSettings {
  const problems: { setting: string; message: string }[] = [];
  const tolerance = env[TOLERANCE_SETTING] || '3';
  if (!/^(0|[1-9]\d{0,2})(\.\d{1,4})?$/.test(tolerance))
    problems.push({
      setting: TOLERANCE_SETTING,
      message: `a percentage such as 3 or 2.5, not "${tolerance}"`,
    });
  const sweep = env[SWEEP_SETTING] || '60000';
  if (!/^\d{1,9}$/.test(sweep))
    problems.push({ setting: SWEEP_SETTING, message: `milliseconds such as 60000, not "${sweep}"` });
  if (problems.length > 0) throw new ConfigError('revenue', problems);
  return { tolerancePercent: tolerance, sweepMs: Number(sweep) };
}
