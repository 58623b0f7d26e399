import { existsSync } from 'node:fs';
import path from 'node:path';

/** Where the dashboard's built files are: `DASHBOARD_DIR`, else `dashboard/` next to the running `main.js`. */
export const DASHBOARD_DIR_SETTING = 'DASHBOARD_DIR';

export interface DashboardSettings {
  /** An absolute directory holding the bundle's `index.html` and `assets/`. */
  readonly directory: string;
  /** Whether `index.html` is there (a build of reporting without the dashboard, or a test). */
  readonly built: boolean;
}

/**
 * `nx build reporting` builds the dashboard first and copies it to `dist/apps/reporting/dashboard`,
 * which the image copies to `/app/dashboard`: next to `main.js` in both. Node makes `argv[1]`
 * (the script it runs) absolute, so the default holds whatever the working directory.
 */
export function dashboardSettingsOf(
  env: Readonly<Record<string, string | undefined>>,
  mainScript: string | undefined = process.argv[1],
): DashboardSettings {
  const configured = env[DASHBOARD_DIR_SETTING]?.trim();
  const directory = path.resolve(
    configured || path.join(path.dirname(mainScript ?? path.join(process.cwd(), 'main.js')), 'dashboard'),
  );
  return { directory, built: existsSync(path.join(directory, 'index.html')) };
}
