// The memory_intents table and the memory rows links read. Store layer: the writers are called
// only from inside `engine.runAudited` work (intent-links.ts), so each link or unlink commits
// with its `intent.*` leaf. Rows are parsed, never cast: a damaged row is VAULT_CORRUPT.
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import type { SqliteDatabase } from '../store/encrypted-database.js';

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

function parse<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const r = schema.safeParse(raw);
  if (!r.success) throw new VaultError('VAULT_CORRUPT', `${what} is malformed.`);
  return r.data;
}

// Both kinds of link in one shape: explicit rows, plus the memories' own store-time references.
const LINKS = `
  SELECT l.memory_id, l.intent_ref, m.level, m.title, m.tombstoned_at, 'link' AS source, l.linked_at
    FROM memory_intents l JOIN memories m ON m.id = l.memory_id
  UNION ALL
  SELECT m.id, m.intent_ref, m.level, m.title, m.tombstoned_at, 'store' AS source, m.created_at
    FROM memories m WHERE m.intent_ref IS NOT NULL`;

export function getLinkedMemory(db: SqliteDatabase, memoryId: string): LinkedMemoryRow | undefined {
  const raw: unknown = db.prepare('SELECT id, level, intent_ref FROM memories WHERE id = ?').get(memoryId);
  return raw === undefined ? undefined : parse(memoryRowSchema, raw, 'A memory row');
}

/** Returns whether a row was added (false: the link already existed). */
export function insertIntentLink(db: SqliteDatabase, memoryId: string, intentRef: string, at: number): boolean {
  return db.prepare('INSERT OR IGNORE INTO memory_intents (memory_id, intent_ref, linked_at) VALUES (?, ?, ?)').run(memoryId, intentRef, at).changes > 0;
}

/** Returns whether a row was removed (false: there was no such link). */
export function deleteIntentLink(db: SqliteDatabase, memoryId: string, intentRef: string): boolean {
  return db.prepare('DELETE FROM memory_intents WHERE memory_id = ? AND intent_ref = ?').run(memoryId, intentRef).changes > 0;
}

export function linksOfIntent(db: SqliteDatabase, intentRef: string): LinkRow[] {
  return db
    .prepare(`SELECT * FROM (${LINKS}) WHERE intent_ref = ? ORDER BY linked_at, memory_id`)
    .all(intentRef)
    .map((r: unknown) => parse(linkRowSchema, r, 'An intent link row'));
}

export function linksOfMemory(db: SqliteDatabase, memoryId: string): LinkRow[] {
  return db
    .prepare(`SELECT * FROM (${LINKS}) WHERE memory_id = ? ORDER BY linked_at, intent_ref`)
    .all(memoryId)
    .map((r: unknown) => parse(linkRowSchema, r, 'An intent link row'));
}
