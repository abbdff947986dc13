// Desktop settings: stored in vault_state (inside the encrypted database, the source of truth)
// under `desktop.settings`, parsed back with zod. Approval expiry is engine configuration that
// must be known *before* the database can be opened, so its value is also mirrored to a small
// file next to the vault (`desktop-unlock.json`). Invariant: the mirror only ever chooses a value
// inside the contract's bounds, and after every unlock it is rewritten from the vault's own copy
// — a stale or edited mirror affects at most one session, and the settings reply says so.
// Audit: a save that changes anything commits with its `settings.change` leaf in one
// transaction (engine.runAudited); the leaf names the settings that changed, never their values.
// The mirror file is written after that commit and cannot share it (it is a file, read before
// the database can be opened); it carries no setting of its own, only a copy of an audited one.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { AuditedWrite } from '../../core/engine/audited-write.js';
import type { VaultEngine } from '../../core/engine/vault-engine.js';
import { writeFileAtomic } from '../../node/fs/atomic-write.js';
import { readJsonState } from '../../node/fs/json-state-file.js';
import {
  APPROVAL_EXPIRY_SECONDS,
  AUTO_LOCK_MINUTES,
  desktopSettingsSchema,
  type DesktopSettingsDto,
} from '../../shared/settings.contract.js';

export const SETTINGS_STATE_KEY = 'desktop.settings';
export const UNLOCK_CONFIG_FILE = 'desktop-unlock.json';

export const DEFAULT_SETTINGS: DesktopSettingsDto = {
  autoLockMinutes: AUTO_LOCK_MINUTES.default,
  approvalExpirySeconds: APPROVAL_EXPIRY_SECONDS.default,
};

/** Where saved settings are read from: the vault repository, or the audited write handle. */
export type SettingsStore = Pick<AuditedWrite, 'getState'>;

const SETTING_NAMES = [
  'autoLockMinutes',
  'approvalExpirySeconds',
  'notifySealedTitles',
] as const satisfies readonly (keyof DesktopSettingsDto)[];

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

/**
 * Save the settings and audit the change in one transaction. Returns the names of the settings
 * that changed; a save that changes nothing writes nothing and records nothing.
 */
export function writeStoredSettings(engine: Pick<VaultEngine, 'runAudited'>, settings: DesktopSettingsDto): Promise<readonly string[]> {
  const next = desktopSettingsSchema.parse(settings);
  const value = JSON.stringify(next);
  return engine.runAudited(
    (tx) => {
      // Compared with what the vault holds inside this transaction (not a cached copy).
      const before = readStoredSettings(tx);
      const changed =
        before === null ? [...SETTING_NAMES].filter((k) => next[k] !== undefined) : SETTING_NAMES.filter((k) => before[k] !== next[k]);
      // A first save always names its required settings, so it is never a silent write.
      if (changed.length === 0) return changed;
      tx.setState(SETTINGS_STATE_KEY, value);
      return changed;
    },
    (changed) =>
      changed.length === 0
        ? null
        : { kind: 'settings.change', actor: { type: 'owner', id: 'desktop' }, outcome: 'ok', details: { changed: [...changed] } },
  );
}

const unlockConfigSchema = z.object({ v: z.literal(1), approvalExpirySeconds: desktopSettingsSchema.shape.approvalExpirySeconds }).strict();

/** The approval expiry to configure the engine with at unlock, or null to keep the default. */
export function readUnlockConfig(vaultDir: string): number | null {
  // Any failure keeps the engine's default: the mirror is re-written from the vault after unlock.
  const r = readJsonState(join(vaultDir, UNLOCK_CONFIG_FILE), unlockConfigSchema);
  return r.ok ? r.value.approvalExpirySeconds : null;
}

/** Rewrite (atomically) or remove the mirror so the next unlock uses the vault's saved value. */
export function writeUnlockConfig(vaultDir: string, approvalExpirySeconds: number | null): void {
  const path = join(vaultDir, UNLOCK_CONFIG_FILE);
  if (approvalExpirySeconds === null) {
    rmSync(path, { force: true });
    return;
  }
  writeFileAtomic(path, `${JSON.stringify(unlockConfigSchema.parse({ v: 1, approvalExpirySeconds }))}\n`);
}
