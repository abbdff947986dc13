// Invariant: content leaves this module only after AES-256-GCM authentication under a DEK whose
// own envelope binds id, level, profile and content hash, and after SHA-256 of the plaintext
// matches the stored hash. Level-5 DEKs are additionally wrapped under a key derived from the
// hardware token's hmac-secret output, so the token is cryptographically required.
import { randomBytesPooled } from '../crypto/random.js';
import { openEnvelope, sealEnvelope } from '../crypto/aead.js';
import { constantTimeEqual, hkdfKey, randomKey, sha256, zeroize } from '../crypto/keys.js';
import { MEMORY_FORMAT_VERSION, contentAssociatedData, dekAssociatedData, type MemoryBinding } from '../crypto/memory-binding.js';
import { VaultError } from '../errors.js';
import type { Level } from '../levels.js';

export interface SealedMemory {
  readonly contentHash: Buffer;
  readonly commitSalt: Buffer;
  readonly commitment: string;
  readonly wrappedDek: Buffer;
  readonly ciphertext: Buffer;
}

export interface HardwareBinding {
  readonly secret: Uint8Array;
  readonly salt: Uint8Array;
}

/** The key a memory's DEK is wrapped under: the profile key, or for level 5 HKDF(profile key ‖ token secret). */
export function dekWrappingKey(profileKey: Uint8Array, memoryId: string, hardware?: HardwareBinding): Buffer {
  if (!hardware) return Buffer.from(profileKey);
  const ikm = Buffer.concat([profileKey, hardware.secret]);
  try {
    return hkdfKey(ikm, hardware.salt, `memory-vault/level5-dek-wrap/v1/${memoryId}`);
  } finally {
    zeroize(ikm);
  }
}

/** Hiding commitment to the content (for the audit log and existence proofs): reveals nothing without the salt. */
export function contentCommitment(commitSalt: Uint8Array, contentHash: Uint8Array): string {
  return sha256(Buffer.concat([Buffer.from('memory-vault/commitment/v1\n'), commitSalt, contentHash])).toString('hex');
}

export function sealMemory(args: {
  memoryId: string;
  level: Level;
  profileId: string;
  profileKey: Uint8Array;
  content: Uint8Array;
  hardware?: HardwareBinding;
}): SealedMemory {
  const contentHash = sha256(args.content);
  const binding: MemoryBinding = {
    memoryId: args.memoryId,
    level: args.level,
    profileId: args.profileId,
    formatVersion: MEMORY_FORMAT_VERSION,
    contentHash,
  };
  const dek = randomKey();
  const wrapKey = dekWrappingKey(args.profileKey, args.memoryId, args.hardware);
  try {
    const ciphertext = sealEnvelope(dek, args.content, contentAssociatedData(binding));
    const wrappedDek = sealEnvelope(wrapKey, dek, dekAssociatedData(binding));
    const commitSalt = randomBytesPooled(16);
    return { contentHash, commitSalt, commitment: contentCommitment(commitSalt, contentHash), wrappedDek, ciphertext };
  } finally {
    zeroize(dek, wrapKey);
  }
}

export function openMemory(args: {
  memoryId: string;
  level: Level;
  profileId: string;
  formatVersion: number;
  profileKey: Uint8Array;
  contentHash: Uint8Array;
  wrappedDek: Uint8Array;
  ciphertext: Uint8Array;
  hardware?: HardwareBinding;
}): Buffer {
  const binding: MemoryBinding = {
    memoryId: args.memoryId,
    level: args.level,
    profileId: args.profileId,
    formatVersion: args.formatVersion,
    contentHash: args.contentHash,
  };
  const wrapKey = dekWrappingKey(args.profileKey, args.memoryId, args.hardware);
  let dek: Buffer | undefined;
  try {
    dek = openEnvelope(wrapKey, args.wrappedDek, dekAssociatedData(binding));
    const plaintext = openEnvelope(dek, args.ciphertext, contentAssociatedData(binding));
    if (!constantTimeEqual(sha256(plaintext), args.contentHash)) {
      zeroize(plaintext);
      throw new VaultError('INTEGRITY_FAILURE', 'The memory content does not match its recorded hash.');
    }
    return plaintext;
  } finally {
    zeroize(dek, wrapKey);
  }
}
