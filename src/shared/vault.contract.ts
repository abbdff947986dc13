// Vault lifecycle: is there a vault, is it unlocked, which key source opens it; create (first
// run), unlock, lock. The owner's credential is one of the vault's key sources: a passphrase, a
// keyfile (chosen in main with the OS file chooser: its bytes and path never reach the renderer)
// or the TPM (with its PIN when the key was sealed with one).
import { z } from 'zod';
import { eventContract, invokeContract, noArgs } from './contract.js';
import { passphraseSchema } from './memory.dto.js';

/** What the unlock screen must ask for, read from the vault header without unlocking. */
export const keySourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('passphrase') }).strict(),
  z.object({ kind: z.literal('keyfile') }).strict(),
  z.object({ kind: z.literal('tpm2'), pinRequired: z.boolean() }).strict(),
]);
export type KeySourceDto = z.infer<typeof keySourceSchema>;

export const vaultStatusSchema = z.object({
  state: z.enum(['absent', 'locked', 'unlocked']),
  vaultDir: z.string(),
  lockdown: z.boolean(),
  memories: z.number().int().min(0),
  auditEvents: z.number().int().min(0),
  /** null when there is no vault (or its header cannot be read: unlock then reports why). */
  keySource: keySourceSchema.nullable(),
});
export type VaultStatusDto = z.infer<typeof vaultStatusSchema>;

export const tpmPinSchema = z.string().min(1).max(128);

const keyfileCredential = z.object({ kind: z.literal('keyfile') }).strict();
const tpmCredential = z.object({ kind: z.literal('tpm2'), pin: tpmPinSchema.optional() }).strict();

/** The owner's credential for unlock, lifting lockdown and re-authenticating a reveal. */
export const ownerCredentialSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('passphrase'), passphrase: passphraseSchema }).strict(),
  keyfileCredential,
  tpmCredential,
]);
export type OwnerCredentialDto = z.infer<typeof ownerCredentialSchema>;

/** A new vault's credential: a new passphrase has a minimum length. */
export const newVaultCredentialSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('passphrase'), passphrase: z.string().min(8, 'at least 8 characters').max(1024) }).strict(),
  keyfileCredential,
  tpmCredential,
]);

export const vaultContracts = {
  status: invokeContract('vault:status', noArgs, vaultStatusSchema),
  create: invokeContract('vault:create', z.object({ credential: newVaultCredentialSchema }).strict(), vaultStatusSchema),
  unlock: invokeContract('vault:unlock', z.object({ credential: ownerCredentialSchema }).strict(), vaultStatusSchema),
  lock: invokeContract('vault:lock', noArgs, vaultStatusSchema),
} as const;

/** Pushed by main when the vault locks on its own (idle, screen lock, suspend, tray). */
export const vaultStateChangedEvent = eventContract(
  'vault:did-change-state',
  z.object({ state: z.enum(['absent', 'locked', 'unlocked']) }),
);
