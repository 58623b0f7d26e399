import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLES } from '../auth/role';
import { loadFleetConfig } from './fleet-config';
import { LOCAL_API_KEYS_FILE, loadOrCreateLocalApiKeys } from './local-api-keys';

describe('local API keys (FLEET_API_KEYS unset, not production)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'fleet-keys-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('generates one key per role in a private file, then reuses it', () => {
    const first = loadOrCreateLocalApiKeys(join(dataDir, 'nested'));
    expect(first.created).toBe(true);
    expect(first.keys.map((key) => key.role)).toEqual([...ROLES]);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);

    const second = loadOrCreateLocalApiKeys(join(dataDir, 'nested'));
    expect(second).toEqual({ ...first, created: false });
  });

  it('gives every service of the machine the same keys', () => {
    const env = { DATA_DIR: dataDir };
    const procurement = loadFleetConfig({ service: 'procurement', defaultPort: 3001, env });
    const inventory = loadFleetConfig({ service: 'inventory', defaultPort: 3002, env });
    expect(procurement.localApiKeys?.created).toBe(true);
    expect(inventory.localApiKeys?.created).toBe(false);
    expect(inventory.config.auth).toEqual(procurement.config.auth);
    expect(procurement.config.auth.source).toBe('local-file');
  });

  it('tightens a file someone made readable to others', () => {
    const { file } = loadOrCreateLocalApiKeys(dataDir);
    chmodSync(file, 0o644);
    loadOrCreateLocalApiKeys(dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a damaged file rather than overwriting it', () => {
    writeFileSync(join(dataDir, LOCAL_API_KEYS_FILE), '{"keys": "nope"}');
    expect(() => loadOrCreateLocalApiKeys(dataDir)).toThrow(/not a valid API key file: delete it/);
    expect(readFileSync(join(dataDir, LOCAL_API_KEYS_FILE), 'utf8')).toBe('{"keys": "nope"}');
  });
});
