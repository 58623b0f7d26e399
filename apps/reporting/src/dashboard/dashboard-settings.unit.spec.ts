import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dashboardHeadersOf } from './dashboard-headers';
import { dashboardSettingsOf } from './dashboard-settings';

describe('where the dashboard bundle is', () => {
  it('is dashboard/ next to the running main.js unless DASHBOARD_DIR says otherwise', () => {
    expect(dashboardSettingsOf({}, '/app/main.js')).toEqual({ directory: '/app/dashboard', built: false });
    const bundle = mkdtempSync(path.join(tmpdir(), 'fleet-dashboard-'));
    try {
      writeFileSync(path.join(bundle, 'index.html'), '<!doctype html>');
      expect(dashboardSettingsOf({ DASHBOARD_DIR: bundle }, '/app/main.js')).toEqual({
        directory: bundle,
        built: true,
      });
    } finally {
      rmSync(bundle, { recursive: true, force: true });
    }
  });

  it('caches hashed assets for good and revalidates the page', () => {
    expect(dashboardHeadersOf('/app/dashboard/assets/index-3f2a.js')['cache-control']).toContain('immutable');
    expect(dashboardHeadersOf('/app/dashboard/index.html')['cache-control']).toBe('no-cache');
  });
});
