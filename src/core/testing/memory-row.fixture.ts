// A stored memory row for core tests that only care about its id, namespace, title and level.
import { memoryIdSchema } from '../common/ids.schema.js';
import type { Level } from '../levels.js';
import type { MemoryRow } from '../model/memory.js';

export function memoryRowFixture(f: { id: string; namespace: string; title?: string; level?: Level }): MemoryRow {
  return {
    id: memoryIdSchema.parse(f.id),
    namespace: f.namespace,
    level: f.level ?? 1,
    title: f.title ?? 't',
    tags: [],
    metadata: {},
    intentRef: null,
    createdBy: 'owner:cli',
    size: 1,
    profileId: 'p',
    createdAt: 0,
    expiresAt: null,
    cooldownMs: 0,
    lastRecalledAt: null,
    tombstonedAt: null,
    formatVersion: 1,
    contentHash: Buffer.alloc(32),
    commitSalt: Buffer.alloc(16),
    wrappedDek: null,
    hwSalt: null,
    hwCredential: null,
    ciphertext: null,
  };
}
