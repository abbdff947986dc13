// The exported proof bundle (DESIGN §5 "Export"): versioned JSON an auditor checks offline with
// `memory-vault audit verify-bundle` or bin/memory-vault-verify.mjs. Shape only; meaning is
// checked by verifyBundle.
import { z } from 'zod';

export const BUNDLE_FORMAT = 'memory-vault-proof-bundle';
/** Version 2 states the index ranges it covers; version 1 (no ranges) is still read, see verifyBundle. */
export const BUNDLE_VERSION = 2;
export const LEGACY_BUNDLE_VERSION = 1;

const base64Hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'base64 of a 32-byte hash');
const leafIndex = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const bundleEventSchema = z.strictObject({
  /** Zero-based leaf index of the event in the audit log. */
  index: leafIndex,
  /** RFC 8785 canonical JSON of the event; the leaf is SHA-256(0x00 || UTF-8 of this). */
  canonicalJson: z.string(),
  /** c2sp.org/tlog-proof@v1 text whose checkpoint is the bundle's `checkpoint`. */
  tlogProof: z.string(),
});

/** An inclusive run of leaf indexes whose every event the bundle carries, once, in order. */
export const bundleRangeSchema = z.strictObject({ from: leafIndex, to: leafIndex });

const common = {
  format: z.literal(BUNDLE_FORMAT),
  /** C2SP signed-note verifier key `name+hash+base64(0x01||pubkey)` the bundle claims. */
  verifierKey: z.string().min(1),
  /** The newest signed checkpoint (C2SP tlog-checkpoint in a signed note). */
  checkpoint: z.string().min(1),
  olderCheckpoint: z.string().min(1).optional(),
  /** RFC 9162 §2.1.4 consistency proof from olderCheckpoint to checkpoint, base64 hashes. */
  consistencyProof: z.array(base64Hash).max(128).optional(),
  events: z.array(bundleEventSchema),
};

export const proofBundleV2Schema = z.strictObject({
  ...common,
  version: z.literal(BUNDLE_VERSION),
  /** Ascending, disjoint ranges; `events` is exactly their concatenation (checked by verifyBundle). */
  ranges: z.array(bundleRangeSchema),
});

export const proofBundleV1Schema = z.strictObject({ ...common, version: z.literal(LEGACY_BUNDLE_VERSION) });

export const proofBundleSchema = z
  .discriminatedUnion('version', [proofBundleV2Schema, proofBundleV1Schema])
  .refine((b) => (b.olderCheckpoint === undefined) === (b.consistencyProof === undefined), {
    message: 'olderCheckpoint and consistencyProof come together',
    path: ['consistencyProof'],
  });

export type ProofBundle = z.infer<typeof proofBundleSchema>;
export type ProofBundleV2 = z.infer<typeof proofBundleV2Schema>;
export type BundleEvent = z.infer<typeof bundleEventSchema>;
export type BundleRange = z.infer<typeof bundleRangeSchema>;
