// What the escrows table keeps about an escrow: metadata and share fingerprints only.
// Invariant: no share, no recovery key and nothing derived from them that would help rebuild
// the key is stored; fingerprints are truncated SHA-256 of single shares (k of them are needed).
import { z } from 'zod';

export const escrowRecipientSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('age'), recipient: z.string().regex(/^age1[0-9a-z]{58}$/) }),
  z.object({ kind: z.literal('text') }),
]);

export const escrowDataSchema = z
  .object({
    v: z.literal(1),
    /** Fingerprint of the recovery key (keyFingerprint), also kept in the header slot. */
    recoveryKey: z.string().regex(/^[0-9a-f]{16}$/),
    shares: z.array(
      z.object({ index: z.number().int().min(1), fingerprint: z.string().regex(/^[0-9a-f]{16}$/), recipient: escrowRecipientSchema }),
    ),
    /** Why the escrow stopped being usable: deleted by the owner, dropped by a key rotation, used for a recovery. */
    invalidatedBy: z.enum(['owner', 'rotation', 'recovery']).optional(),
  })
  .strict();

export type EscrowData = z.infer<typeof escrowDataSchema>;
export type EscrowRecipient = z.infer<typeof escrowRecipientSchema>;
