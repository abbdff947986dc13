// Every table the schema creates is either carried by a backup or derived on restore, so a new
// table (like migration 8's agent_commands) cannot silently be left out of backups again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEncryptedDatabase } from './encrypted-database.js';
import { BACKUP_TABLES } from './vault-copy.js';

/** Rebuilt on restore, not copied: the trigger-kept live counts and scopes, and FTS5's own shadow tables. */
const DERIVED = new Set([
  'memory_counts',
  'memory_scope',
  'memories_fts_data',
  'memories_fts_idx',
  'memories_fts_content',
  'memories_fts_docsize',
  'memories_fts_config',
]);

describe('BACKUP_TABLES', () => {
  it('names every table of the current schema that is not derived', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mv-vault-copy-'));
    const db = createEncryptedDatabase(join(dir, 'vault.db'), Buffer.alloc(32, 3));
    try {
      const names = z
        .array(z.object({ name: z.string() }))
        .parse(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all())
        .map((r) => r.name);
      const carried: string[] = [...BACKUP_TABLES];
      expect(names.filter((n) => !DERIVED.has(n)).sort()).toEqual([...carried].sort());
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
