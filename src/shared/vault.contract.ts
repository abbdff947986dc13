// Vault lifecycle: is there a vault, is it unlocked; create (first run), unlock, lock.
import { z } from 'zod';
import { eventContract, invokeContract, noArgs } from './contract.js';
import { passphraseSchema } from './memory.dto.js';

export const vaultStatusSchema = z.object({
  state: z.enum(['absent', 'locked', 'unlocked']),
  vaultDir: z.string(),
  lockdown: z.boolean(),
  memories: z.number().int().min(0),
  auditEvents: z.number().int().min(0),
});
export type VaultStatusDto = z.infer<typeof vaultStatusSchema>;

export const vaultContracts = {
  status: invokeContract('vault:status', noArgs, vaultStatusSchema),
  create: invokeContract(
    'vault:create',
    z.object({ passphrase: z.string().min(8, 'at least 8 characters').max(1024) }).strict(),
    vaultStatusSchema,
  ),
  unlock: invokeContract('vault:unlock', z.object({ passphrase: passphraseSchema }).strict(), vaultStatusSchema),
  lock: invokeContract('vault:lock', noArgs, vaultStatusSchema),
} as const;

/** Pushed by main when the vault locks on its own (idle, screen lock, suspend, tray). */
export const vaultStateChangedEvent = eventContract(
  'vault:did-change-state',
  z.object({ state: z.enum(['absent', 'locked', 'unlocked']) }),
);
