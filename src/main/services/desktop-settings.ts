// Desktop settings: stored in vault_state (inside the encrypted database, the source of truth)
// under `desktop.settings`, parsed back with zod. Approval expiry is engine configuration that
// must be known *before* the database can be opened, so its value is also mirrored to a small
// file next to the vault (`desktop-unlock.json`). Invariant: the mirror only ever chooses a value
// inside the contract's bounds, and after every unlock it is rewritten from the vault's own copy
// — a stale or edited mirror affects at most one session, and the settings reply says so.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { APPROVAL_EXPIRY_SECONDS, AUTO_LOCK_MINUTES, desktopSettingsSchema, type DesktopSettingsDto } from '../../shared/settings.contract.js';

export const SETTINGS_STATE_KEY = 'desktop.settings';
export const UNLOCK_CONFIG_FILE = 'desktop-unlock.json';

export const DEFAULT_SETTINGS: DesktopSettingsDto = { autoLockMinutes: AUTO_LOCK_MINUTES.default, approvalExpirySeconds: APPROVAL_EXPIRY_SECONDS.default };

/** The part of the vault repository settings need (SqliteVaultRepository satisfies it). */
export interface SettingsStore {
  getState(key: string): string | undefined;
  setState(key: string, value: string): void;
  transaction<T>(fn: () => T, durability: 'normal' | 'full'): T;
}

// Not strict: a newer app may add keys; a field that is missing or out of range falls back to its
// default (the defaults are the safe choice: a short auto-lock, the engine's usual expiry).
const storedSchema = z.object({
  autoLockMinutes: desktopSettingsSchema.shape.autoLockMinutes.catch(DEFAULT_SETTINGS.autoLockMinutes),
  approvalExpirySeconds: desktopSettingsSchema.shape.approvalExpirySeconds.catch(DEFAULT_SETTINGS.approvalExpirySeconds),
  // Anything but a stored `true` is "off": sealed titles stay off notifications.
  notifySealedTitles: z.literal(true).optional().catch(undefined),
});

/** The saved settings, or null when the owner never saved any. */
export function readStoredSettings(store: SettingsStore): DesktopSettingsDto | null {
  const raw = store.getState(SETTINGS_STATE_KEY);
  if (raw === undefined || raw === '') return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    console.error(`[settings] ${SETTINGS_STATE_KEY} is not JSON; using the defaults`);
    return DEFAULT_SETTINGS;
  }
  const parsed = storedSchema.safeParse(json);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export function writeStoredSettings(store: SettingsStore, settings: DesktopSettingsDto): void {
  const value = JSON.stringify(desktopSettingsSchema.parse(settings));
  store.transaction(() => store.setState(SETTINGS_STATE_KEY, value), 'full');
}

const unlockConfigSchema = z.object({ v: z.literal(1), approvalExpirySeconds: desktopSettingsSchema.shape.approvalExpirySeconds }).strict();

/** The approval expiry to configure the engine with at unlock, or null to keep the default. */
export function readUnlockConfig(vaultDir: string): number | null {
  const path = join(vaultDir, UNLOCK_CONFIG_FILE);
  if (!existsSync(path)) return null;
  try {
    const parsed = unlockConfigSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data.approvalExpirySeconds : null;
  } catch {
    return null;
  }
}

/** Rewrite (atomically) or remove the mirror so the next unlock uses the vault's saved value. */
export function writeUnlockConfig(vaultDir: string, approvalExpirySeconds: number | null): void {
  const path = join(vaultDir, UNLOCK_CONFIG_FILE);
  if (approvalExpirySeconds === null) {
    rmSync(path, { force: true });
    return;
  }
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(unlockConfigSchema.parse({ v: 1, approvalExpirySeconds }))}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}
