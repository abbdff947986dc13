// Where a vault lives: --vault DIR, then MEMORY_VAULT_DIR, then the platform's app-data dir.
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const HEADER_FILE = 'vault.json';
export const DATABASE_FILE = 'vault.db';

export function defaultVaultDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'memory-vault');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'memory-vault');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'memory-vault');
}

export function resolveVaultDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.MEMORY_VAULT_DIR) return resolve(env.MEMORY_VAULT_DIR);
  return defaultVaultDir(env);
}

export interface VaultPaths {
  readonly dir: string;
  readonly header: string;
  readonly database: string;
}

export function vaultPaths(dir: string): VaultPaths {
  return { dir, header: join(dir, HEADER_FILE), database: join(dir, DATABASE_FILE) };
}

/** Create the vault directory owner-only (0700); tighten an existing one. */
export function ensurePrivateDir(dir: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32' && (statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}
