// Key rotation and escrow from the desktop, over src/node/rotation and src/node/escrow (the same
// code as `memory-vault rotate-key` and `escrow …`). Both re-derive the profile key from the
// vault's own credential (passphrase, keyfile or TPM PIN: the re-authentication). Escrow shares stay in main: the renderer sees each
// holder's fingerprint and whether the share was saved, never the share itself.
import { z } from 'zod';
import { invokeContract, noArgs } from './contract.js';
import { ownerCredentialSchema } from './vault.contract.js';

export const rotationResultSchema = z.object({
  from: z.string(),
  to: z.string(),
  full: z.boolean(),
  memories: z.number().int().min(0),
  level5: z.number().int().min(0),
  escrowsInvalidated: z.number().int().min(0),
});
export type RotationResultDto = z.infer<typeof rotationResultSchema>;

const holderNameSchema = z.string().trim().min(1).max(60);

/** One holder of one share: saved as a printable text file, or encrypted to the holder's age recipient. */
export const escrowHolderSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), name: holderNameSchema }).strict(),
  z
    .object({
      kind: z.literal('age'),
      name: holderNameSchema,
      recipient: z.string().regex(/^age1[0-9a-z]{58}$/, 'an age recipient looks like age1… (62 characters)'),
    })
    .strict(),
]);
export type EscrowHolderDto = z.infer<typeof escrowHolderSchema>;

export const escrowShareSchema = z.object({
  index: z.number().int().min(1),
  holder: z.string(),
  protection: z.enum(['text', 'age']),
  recipient: z.string().nullable(),
  fingerprint: z.string(),
  /** The file name it was saved under, once saved (null: not yet). */
  savedAs: z.string().nullable(),
});
export type EscrowShareDto = z.infer<typeof escrowShareSchema>;

/** A just-created escrow whose shares are waiting in main to be saved (dropped on lock). */
export const createdEscrowSchema = z.object({
  escrowId: z.string().uuid(),
  label: z.string(),
  threshold: z.number().int().min(2),
  shares: z.array(escrowShareSchema),
});
export type CreatedEscrowDto = z.infer<typeof createdEscrowSchema>;

export const escrowSummarySchema = z.object({
  id: z.string(),
  label: z.string(),
  threshold: z.number().int(),
  shares: z.number().int(),
  createdAt: z.string(),
  usable: z.boolean(),
  invalidatedBy: z.string().nullable(),
});
export type EscrowSummaryDto = z.infer<typeof escrowSummarySchema>;

const escrowId = z.object({ escrowId: z.string().uuid() });

export const recoveryContracts = {
  rotate: invokeContract(
    'recovery:rotate',
    z.object({ credential: ownerCredentialSchema, full: z.boolean().optional() }).strict(),
    rotationResultSchema,
  ),
  listEscrows: invokeContract('recovery:list-escrows', noArgs, z.array(escrowSummarySchema)),
  /** Escrows created in this session whose shares can still be saved. */
  pendingEscrows: invokeContract('recovery:pending-escrows', noArgs, z.array(createdEscrowSchema)),
  createEscrow: invokeContract(
    'recovery:create-escrow',
    z
      .object({
        credential: ownerCredentialSchema,
        label: z.string().trim().min(1).max(100),
        threshold: z.number().int().min(2).max(255),
        holders: z.array(escrowHolderSchema).min(2).max(255),
      })
      .strict(),
    createdEscrowSchema,
  ),
  /** Saves one holder's share where the owner chooses (save dialog). null = cancelled. */
  saveShare: invokeContract(
    'recovery:save-share',
    escrowId.extend({ index: z.number().int().min(1) }).strict(),
    createdEscrowSchema.nullable(),
  ),
  /** Forget the unsaved shares of a created escrow (the escrow itself stays). */
  dismissShares: invokeContract('recovery:dismiss-shares', escrowId.strict(), z.object({ dismissed: z.boolean() })),
  deleteEscrow: invokeContract('recovery:delete-escrow', escrowId.strict(), escrowSummarySchema),
} as const;
