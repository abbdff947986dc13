// The `memory_intents` table and the memory rows a link reads. Writers are called only from
// inside `engine.runAudited` work (intent-links.ts), so each link or unlink commits with its
// `intent.*` leaf. Rows are parsed, never cast: a damaged row is VAULT_CORRUPT.
import { z } from 'zod';
import type { SqliteDatabase } from './encrypted-database.js';
import { parseRow } from './row-parse.js';

const memoryRowSchema = z.object({ id: z.string(), level: z.number().int(), intent_ref: z.string().nullable() });
export type LinkedMemoryRow = z.infer<typeof memoryRowSchema>;

const linkRowSchema = z.object({
  memory_id: z.string(),
  intent_ref: z.string(),
  level: z.number().int(),
  title: z.string(),
  tombstoned_at: z.number().nullable(),
  source: z.enum(['store', 'link']),
  linked_at: z.number(),
});
export type LinkRow = z.infer<typeof linkRowSchema>;

export interface MemoryIntentsTable {
  memory(memoryId: string): LinkedMemoryRow | undefined;
  /** Returns whether a row was added (false: the link already existed). */
  insert(memoryId: string, intentRef: string, at: number): boolean;
  /** Returns whether a row was removed (false: there was no such link). */
  delete(memoryId: string, intentRef: string): boolean;
  linksOfIntent(intentRef: string): LinkRow[];
  linksOfMemory(memoryId: string): LinkRow[];
}

// Both kinds of link in one shape: explicit rows, plus the memories' own store-time references.
const LINKS = `
  SELECT l.memory_id, l.intent_ref, m.level, m.title, m.tombstoned_at, 'link' AS source, l.linked_at
    FROM memory_intents l JOIN memories m ON m.id = l.memory_id
  UNION ALL
  SELECT m.id, m.intent_ref, m.level, m.title, m.tombstoned_at, 'store' AS source, m.created_at
    FROM memories m WHERE m.intent_ref IS NOT NULL`;

export function memoryIntentsTable(db: SqliteDatabase): MemoryIntentsTable {
  const memory = db.prepare('SELECT id, level, intent_ref FROM memories WHERE id = ?');
  const insert = db.prepare('INSERT OR IGNORE INTO memory_intents (memory_id, intent_ref, linked_at) VALUES (?, ?, ?)');
  const remove = db.prepare('DELETE FROM memory_intents WHERE memory_id = ? AND intent_ref = ?');
  const ofIntent = db.prepare(`SELECT * FROM (${LINKS}) WHERE intent_ref = ? ORDER BY linked_at, memory_id`);
  const ofMemory = db.prepare(`SELECT * FROM (${LINKS}) WHERE memory_id = ? ORDER BY linked_at, intent_ref`);
  const link = (raw: unknown): LinkRow => parseRow(linkRowSchema, raw, 'An intent link row');
  return {
    memory: (memoryId) => {
      const raw: unknown = memory.get(memoryId);
      return raw === undefined ? undefined : parseRow(memoryRowSchema, raw, 'A memory row');
    },
    insert: (memoryId, intentRef, at) => insert.run(memoryId, intentRef, at).changes > 0,
    delete: (memoryId, intentRef) => remove.run(memoryId, intentRef).changes > 0,
    linksOfIntent: (intentRef) => ofIntent.all(intentRef).map(link),
    linksOfMemory: (memoryId) => ofMemory.all(memoryId).map(link),
  };
}
