import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { apiKeyFlaw } from '../auth/api-key';
import { ROLES, type Role } from '../auth/role';

export const LOCAL_API_KEYS_FILE = 'api-keys.json';

export interface LocalApiKeys {
  readonly file: string;
  /** True when this start-up generated the file. */
  readonly created: boolean;
  readonly keys: readonly { readonly role: Role; readonly key: string }[];
}

const LocalApiKeysFile = z.object({
  createdAt: z.string(),
  keys: z
    .array(
      z.object({
        role: z.enum(ROLES),
        key: z.string().refine((key) => apiKeyFlaw(key) === undefined, 'not a valid API key'),
      }),
    )
    .min(1),
});

/**
 * Development keys: one per role, kept in `<dataDir>/api-keys.json` (mode 0600) and shared by every
 * service started from the same directory, so a key printed by one service works on all of them.
 * Services starting together race to create the file; a hard link publishes it atomically, so all
 * of them end up with the winner's keys.
 */
export function loadOrCreateLocalApiKeys(dataDir: string): LocalApiKeys {
  const file = join(dataDir, LOCAL_API_KEYS_FILE);
  const existing = readKeysFile(file);
  if (existing) return { file, created: false, keys: existing };

  mkdirSync(dataDir, { recursive: true });
  const keys = ROLES.map((role) => ({ role, key: `fleet_${role}_${randomBytes(24).toString('base64url')}` }));
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ createdAt: new Date().toISOString(), keys }, null, 2)}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  try {
    linkSync(temporary, file);
    return { file, created: true, keys };
  } catch (error) {
    if (!isErrorCode(error, 'EEXIST')) throw error;
    const winner = readKeysFile(file);
    if (!winner) throw new Error(`${file} appeared while it was being created but cannot be read`);
    return { file, created: false, keys: winner };
  } finally {
    unlinkSync(temporary);
  }
}

function readKeysFile(file: string): LocalApiKeys['keys'] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  let parsed: z.infer<typeof LocalApiKeysFile>;
  try {
    parsed = LocalApiKeysFile.parse(JSON.parse(text));
  } catch {
    throw new Error(`${file} is not a valid API key file: delete it to generate new local keys`);
  }
  // Keys are secrets: keep the file private even if someone loosened it.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return parsed.keys;
}

/** Duck-typed: errors of Node's fs may come from another realm (a test VM), failing `instanceof`. */
function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
