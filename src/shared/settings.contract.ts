// Desktop settings, stored inside the vault (vault_state) so they are as private as its data.
// Auto-lock applies at once; approval expiry is engine configuration, fixed when the vault is
// unlocked, so a new value applies from the next unlock — the reply says which value is live.
// Notification privacy (sealed titles on notifications) applies at once and defaults to off.
import { z } from 'zod';
import { invokeContract, noArgs } from './contract.js';
import { APPROVAL_EXPIRY_SECONDS, AUTO_LOCK_MINUTES } from './settings-limits.js';

export { APPROVAL_EXPIRY_SECONDS, AUTO_LOCK_MINUTES };

export const desktopSettingsSchema = z
  .object({
    autoLockMinutes: z.number().int().min(AUTO_LOCK_MINUTES.min).max(AUTO_LOCK_MINUTES.max),
    approvalExpirySeconds: z.number().int().min(APPROVAL_EXPIRY_SECONDS.min).max(APPROVAL_EXPIRY_SECONDS.max),
    /**
     * Put the titles of level ≥ 3 memories in OS notifications (which a lock screen may show).
     * Absent or false — the default — keeps them off; only the owner's explicit opt-in sets it.
     */
    notifySealedTitles: z.boolean().optional(),
  })
  .strict();
export type DesktopSettingsDto = z.infer<typeof desktopSettingsSchema>;

export const settingsViewSchema = z.object({
  saved: desktopSettingsSchema,
  /** What new approval requests in this unlocked session actually get. */
  activeApprovalExpirySeconds: z.number().min(0),
  /** The saved expiry differs from the live one: it takes effect when the vault is next unlocked. */
  approvalExpiryAppliesAtNextUnlock: z.boolean(),
});
export type SettingsViewDto = z.infer<typeof settingsViewSchema>;

export const settingsContracts = {
  get: invokeContract('settings:get', noArgs, settingsViewSchema),
  update: invokeContract('settings:update', desktopSettingsSchema, settingsViewSchema),
} as const;
