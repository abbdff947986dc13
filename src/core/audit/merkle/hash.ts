// RFC 6962 / RFC 9162 Merkle hashing. Invariant: a leaf hash and an interior-node hash can never
// collide, because they are domain-separated by a one-byte prefix (0x00 leaf, 0x01 node).
import { createHash } from 'node:crypto';

/** SHA-256 output size in bytes (RFC 9162 §2.1.1: HASH is SHA-256 for this log). */
export const HASH_SIZE = 32;

/** A 32-byte SHA-256 value: a leaf hash, a node hash or a tree root. */
export type Hash = Uint8Array;

const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

/** MTH({d(0)}) = SHA-256(0x00 || d(0)) — RFC 6962 §2.1, RFC 9162 §2.1.1. */
export function hashLeaf(data: Uint8Array): Hash {
  return new Uint8Array(createHash('sha256').update(LEAF_PREFIX).update(data).digest());
}

/** SHA-256(0x01 || MTH(left) || MTH(right)) — RFC 6962 §2.1, RFC 9162 §2.1.1. */
export function hashChildren(left: Hash, right: Hash): Hash {
  return new Uint8Array(createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest());
}

/** MTH({}) = SHA-256() — the hash of an empty tree, RFC 9162 §2.1.1. */
export function emptyTreeHash(): Hash {
  return new Uint8Array(createHash('sha256').digest());
}

export function isHash(value: Uint8Array): boolean {
  return value.length === HASH_SIZE;
}

/** Equality on hashes; not constant-time, because every hash compared here is public. */
export function equalHashes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
