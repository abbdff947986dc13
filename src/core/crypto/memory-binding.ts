// Invariant: a memory's level, id, profile, format version and content hash are bound into the
// associated data of both its wrapped DEK and its content envelope, so editing any of them in
// the database makes decryption fail instead of silently relabelling the memory.
import type { Level } from '../levels.js';

export const MEMORY_FORMAT_VERSION = 1;

export interface MemoryBinding {
  readonly memoryId: string;
  readonly level: Level;
  readonly profileId: string;
  readonly formatVersion: number;
  readonly contentHash: Uint8Array;
}

function encode(purpose: 'content' | 'dek', b: MemoryBinding): Buffer {
  // Length-prefixed fields: no two distinct bindings can encode to the same bytes.
  const fields = [
    Buffer.from(`memory-vault/${purpose}/v${b.formatVersion}`, 'utf8'),
    Buffer.from(b.memoryId, 'utf8'),
    Buffer.from([b.level]),
    Buffer.from(b.profileId, 'utf8'),
    Buffer.from(b.contentHash),
  ];
  const parts: Buffer[] = [];
  for (const f of fields) {
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32BE(f.length);
    parts.push(len, f);
  }
  return Buffer.concat(parts);
}

export function contentAssociatedData(b: MemoryBinding): Buffer {
  return encode('content', b);
}

export function dekAssociatedData(b: MemoryBinding): Buffer {
  return encode('dek', b);
}
