// The exported proof bundle (DESIGN §5 "Export"): versioned JSON an auditor checks offline with
// `memory-vault audit verify-bundle` or bin/memory-vault-verify.mjs. Shape only; meaning is
// checked by verifyBundle.
import { z } from 'zod';

export const BUNDLE_FORMAT = 'memory-vault-proof-bundle';
export const BUNDLE_VERSION = 1;

const base64Hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'base64 of a 32-byte hash');

export const bundleEventSchema = z.strictObject({
  /** Zero-based leaf index of the event in the audit log. */
  index: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  /** RFC 8785 canonical JSON of the event; the leaf is SHA-256(0x00 || UTF-8 of this). */
  canonicalJson: z.string(),
  /** c2sp.org/tlog-proof@v1 text whose checkpoint is the bundle's `checkpoint`. */
  tlogProof: z.string(),
});

export const proofBundleSchema = z
  .strictObject({
    format: z.literal(BUNDLE_FORMAT),
    version: z.literal(BUNDLE_VERSION),
    /** C2SP signed-note verifier key `name+hash+base64(0x01||pubkey)` the bundle claims. */
    verifierKey: z.string().min(1),
    /** The newest signed checkpoint (C2SP tlog-checkpoint in a signed note). */
    checkpoint: z.string().min(1),
    olderCheckpoint: z.string().min(1).optional(),
    /** RFC 9162 §2.1.4 consistency proof from olderCheckpoint to checkpoint, base64 hashes. */
    consistencyProof: z.array(base64Hash).max(128).optional(),
    events: z.array(bundleEventSchema),
  })
  .refine((b) => (b.olderCheckpoint === undefined) === (b.consistencyProof === undefined), {
    message: 'olderCheckpoint and consistencyProof come together',
    path: ['consistencyProof'],
  });

export type ProofBundle = z.infer<typeof proofBundleSchema>;
export type BundleEvent = z.infer<typeof bundleEventSchema>;
