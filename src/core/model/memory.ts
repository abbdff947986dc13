import type { MemoryId } from '../common/ids.schema.js';
import type { Level } from '../levels.js';

/** Branded by parsing (core/common/ids.schema.ts), never by a cast. */
export type { MemoryId };

export type MetadataValue = string | number | boolean | null;

/** What the stored row and the outside summary both say of a memory: its labels, never content or keys. */
export interface MemoryLabels {
  readonly id: MemoryId;
  readonly namespace: string;
  readonly level: Level;
  readonly title: string;
  readonly tags: readonly string[];
  readonly metadata: Readonly<Record<string, MetadataValue>>;
  readonly intentRef: string | null;
  readonly createdBy: string;
  readonly size: number;
}

export interface MemoryRow extends MemoryLabels {
  readonly profileId: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly cooldownMs: number;
  readonly lastRecalledAt: number | null;
  readonly tombstonedAt: number | null;
  readonly formatVersion: number;
  readonly contentHash: Buffer;
  readonly commitSalt: Buffer;
  readonly wrappedDek: Buffer | null;
  readonly hwSalt: Buffer | null;
  readonly hwCredential: string | null;
  readonly ciphertext: Buffer | null;
}

/** What callers outside the main process may see about a memory: never content or keys. */
export interface MemorySummary extends MemoryLabels {
  readonly shortId: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly cooldownSeconds: number;
  readonly tombstoned: boolean;
}

export const SHORT_ID_LENGTH = 8;

export function shortIdOf(id: string): string {
  return id.replace(/-/g, '').slice(0, SHORT_ID_LENGTH);
}

export function summarize(row: MemoryRow): MemorySummary {
  return {
    id: row.id,
    shortId: shortIdOf(row.id),
    namespace: row.namespace,
    level: row.level,
    title: row.title,
    tags: row.tags,
    metadata: row.metadata,
    intentRef: row.intentRef,
    createdAt: new Date(row.createdAt).toISOString(),
    createdBy: row.createdBy,
    expiresAt: row.expiresAt === null ? null : new Date(row.expiresAt).toISOString(),
    cooldownSeconds: Math.round(row.cooldownMs / 1000),
    tombstoned: row.tombstonedAt !== null,
    size: row.size,
  };
}
