// Backups from the desktop: create, verify and restore, over src/node/backup (the same code as
// `memory-vault backup …`). Files are chosen in main with the OS dialog; the renderer refers to a
// backup by its id, never by a path it could choose. Progress arrives as operations:progress.
import { z } from 'zod';
import { invokeContract, noArgs } from './contract.js';
import { passphraseSchema } from './memory.dto.js';
import { ownerCredentialSchema } from './vault.contract.js';

const ageRecipientSchema = z.string().regex(/^age1[0-9a-z]{58}$/, 'an age recipient looks like age1… (62 characters)');

/** How a new backup is encrypted: a backup passphrase (Argon2id) or to an age recipient. */
export const backupProtectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('passphrase'), passphrase: z.string().min(8, 'at least 8 characters').max(1024) }).strict(),
  z.object({ kind: z.literal('age'), recipient: ageRecipientSchema }).strict(),
]);

/** What opens an existing backup: its passphrase, or an age identity file chosen in main. */
export const backupUnlockSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('passphrase'), passphrase: passphraseSchema }).strict(),
  z.object({ kind: z.literal('age-identity-file') }).strict(),
]);
export type BackupUnlockDto = z.infer<typeof backupUnlockSchema>;

export const backupFileSchema = z.object({
  backupId: z.string().uuid(),
  /** The file's name only (the folder stays in main). */
  fileName: z.string(),
  kind: z.enum(['full', 'incremental']),
  createdAt: z.string(),
  fromSeq: z.number().int().min(0),
  toSeq: z.number().int().min(0),
  protection: z.enum(['passphrase', 'age']),
  bytes: z.number().int().min(0),
  /** This vault's own backup (same vault id): its audit key checks the signature. */
  ofThisVault: z.boolean(),
});
export type BackupFileDto = z.infer<typeof backupFileSchema>;

export const backupReportSchema = z.object({
  backupId: z.string(),
  kind: z.enum(['full', 'incremental']),
  auditEvents: z.number().int().min(0),
  checkpoints: z.number().int().min(0),
  auditCheck: z.enum(['roots-and-signatures', 'signatures-and-sequence']),
  signed: z.boolean(),
  verifierKey: z.string(),
  memories: z.number().int().min(0),
});
export type BackupReportDto = z.infer<typeof backupReportSchema>;

export const restoreModeSchema = z.enum(['new-directory', 'replace']);
export type RestoreMode = z.infer<typeof restoreModeSchema>;

export const restoreResultSchema = z.object({
  vaultId: z.string(),
  /** Where the vault was restored to (a folder the owner chose, or this vault's own). */
  target: z.string(),
  mode: restoreModeSchema,
  memories: z.number().int().min(0),
  auditEvents: z.number().int().min(0),
  /** The restored vault opened with the credentials given and its audit log verified. */
  auditVerified: z.boolean(),
  previousVaultMovedTo: z.string().nullable(),
  witnessCleared: z.boolean(),
});
export type RestoreResultDto = z.infer<typeof restoreResultSchema>;

const backupId = z.object({ backupId: z.string().uuid() });

export const backupContracts = {
  /** Backups created or opened in this unlocked session, newest first. */
  list: invokeContract('backup:list', noArgs, z.array(backupFileSchema)),
  /** Asks main for a destination (save dialog), then writes the backup. null = cancelled. */
  create: invokeContract('backup:create', z.object({ protection: backupProtectionSchema }).strict(), backupFileSchema.nullable()),
  /** Picks an existing backup file (open dialog); its header is read, nothing decrypted. null = cancelled. */
  open: invokeContract('backup:open', noArgs, backupFileSchema.nullable()),
  verify: invokeContract('backup:verify', backupId.extend({ unlock: backupUnlockSchema }).strict(), backupReportSchema),
  restore: invokeContract(
    'backup:restore',
    backupId
      .extend({
        unlock: backupUnlockSchema,
        /** The restored vault's own credential (the one it had when it was backed up). */
        vaultCredential: ownerCredentialSchema,
        mode: restoreModeSchema,
      })
      .strict(),
    restoreResultSchema.nullable(),
  ),
} as const;
