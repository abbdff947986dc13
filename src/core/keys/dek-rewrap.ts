// Key rotation of one memory: its DEK is unwrapped under the old profile key and wrapped under
// the new one (or, for a full rotation, the content is re-encrypted under a fresh DEK).
// Invariant: the associated data (id, level, profile, format version, content hash) is the
// memory's own, unchanged, so a rotated row opens with `openMemory` exactly like a fresh one;
// plaintext and DEKs are zeroed before returning.
import { openEnvelope, sealEnvelope } from '../crypto/aead.js';
import { constantTimeEqual, randomKey, sha256, zeroize } from '../crypto/keys.js';
// One derivation for sealing and rotating: a divergence would strand level-5 memories.
import { dekWrappingKey as wrappingKey } from '../engine/memory-sealer.js';
import { contentAssociatedData, dekAssociatedData, type MemoryBinding } from '../crypto/memory-binding.js';
import { VaultError } from '../errors.js';

/** The level-5 token secret and the memory's salt (see memory-sealer). */
export interface RewrapHardware {
  readonly secret: Uint8Array;
  readonly salt: Uint8Array;
}

export interface RotatedMemory {
  readonly wrappedDek: Buffer;
  /** Present only for a full rotation (content re-encrypted under a new DEK). */
  readonly ciphertext?: Buffer;
}

export function rotateMemoryKeys(args: {
  binding: MemoryBinding;
  oldProfileKey: Uint8Array;
  newProfileKey: Uint8Array;
  wrappedDek: Uint8Array;
  ciphertext: Uint8Array;
  full: boolean;
  hardware?: RewrapHardware;
}): RotatedMemory {
  const dekAd = dekAssociatedData(args.binding);
  const oldWrap = wrappingKey(args.oldProfileKey, args.binding.memoryId, args.hardware);
  const newWrap = wrappingKey(args.newProfileKey, args.binding.memoryId, args.hardware);
  let dek: Buffer | undefined;
  let fresh: Buffer | undefined;
  let plaintext: Buffer | undefined;
  try {
    dek = openEnvelope(oldWrap, args.wrappedDek, dekAd);
    if (!args.full) return { wrappedDek: sealEnvelope(newWrap, dek, dekAd) };
    const contentAd = contentAssociatedData(args.binding);
    plaintext = openEnvelope(dek, args.ciphertext, contentAd);
    if (!constantTimeEqual(sha256(plaintext), args.binding.contentHash)) {
      throw new VaultError(
        'INTEGRITY_FAILURE',
        `Memory ${args.binding.memoryId} does not match its recorded hash; rotation stopped before any change.`,
      );
    }
    fresh = randomKey();
    return { wrappedDek: sealEnvelope(newWrap, fresh, dekAd), ciphertext: sealEnvelope(fresh, plaintext, contentAd) };
  } finally {
    zeroize(dek, fresh, plaintext, oldWrap, newWrap);
  }
}
