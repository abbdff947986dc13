// Schema versions, applied in order inside one transaction each; PRAGMA user_version records
// the newest applied. A database newer than this code is refused rather than guessed at.
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../core/errors.js';
import { DAMAGE_HINT } from './storage-damage.js';

const MIGRATIONS: readonly string[] = [
  // 1: memories, full-text index, audit log with Merkle stored hashes, vault state
  `
  CREATE TABLE memories (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    namespace TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 5),
    profile_id TEXT NOT NULL,
    title TEXT NOT NULL,
    tags TEXT NOT NULL,
    metadata TEXT NOT NULL,
    intent_ref TEXT,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    expires_at INTEGER,
    cooldown_ms INTEGER NOT NULL DEFAULT 0,
    last_recalled_at INTEGER,
    tombstoned_at INTEGER,
    format_version INTEGER NOT NULL,
    content_hash BLOB NOT NULL,
    commit_salt BLOB NOT NULL,
    wrapped_dek BLOB,
    hw_salt BLOB,
    hw_credential TEXT,
    ciphertext BLOB,
    size INTEGER NOT NULL
  );
  CREATE INDEX memories_short_id ON memories (substr(replace(id, '-', ''), 1, 8));
  CREATE INDEX memories_expiry ON memories (expires_at) WHERE expires_at IS NOT NULL;
  CREATE INDEX memories_level_created ON memories (level, created_at);
  CREATE VIRTUAL TABLE memories_fts USING fts5 (title, tags, metadata, content, tokenize = 'unicode61 remove_diacritics 2');
  CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    kind TEXT NOT NULL,
    json TEXT NOT NULL,
    leaf_hash BLOB NOT NULL
  );
  CREATE INDEX audit_kind ON audit_events (kind, seq);
  CREATE INDEX audit_ts ON audit_events (ts);
  CREATE TABLE tree_hashes (idx INTEGER PRIMARY KEY, hash BLOB NOT NULL);
  CREATE TABLE vault_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // 2: every signed checkpoint of the audit log (C2SP signed-note text, verbatim)
  `
  CREATE TABLE checkpoints (
    size INTEGER PRIMARY KEY,
    root BLOB NOT NULL,
    note TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  `,
  // 3: agent identities (bearer tokens stored as SHA-256 only) and enrolled hardware keys
  `
  CREATE TABLE agents (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    max_level INTEGER NOT NULL CHECK (max_level BETWEEN 0 AND 5),
    namespaces TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER,
    last_used_at INTEGER
  );
  CREATE TABLE hardware_keys (
    credential_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    record TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  `,
  // 4: integrations (IntentLog links, anchor receipts, MP-02 effort receipts) and key escrow
  `
  CREATE TABLE memory_intents (
    memory_id TEXT NOT NULL,
    intent_ref TEXT NOT NULL,
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (memory_id, intent_ref)
  );
  CREATE INDEX memory_intents_ref ON memory_intents (intent_ref);
  CREATE TABLE anchor_receipts (
    id INTEGER PRIMARY KEY,
    anchor TEXT NOT NULL,
    checkpoint_size INTEGER NOT NULL,
    status TEXT NOT NULL,
    receipt TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE effort_segments (id TEXT PRIMARY KEY, state TEXT NOT NULL, data TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE TABLE effort_receipts (id TEXT PRIMARY KEY, memory_id TEXT, segment_id TEXT NOT NULL, receipt TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE TABLE escrows (id TEXT PRIMARY KEY, label TEXT NOT NULL, threshold INTEGER NOT NULL, shares INTEGER NOT NULL, data TEXT NOT NULL, created_at INTEGER NOT NULL, deleted_at INTEGER);
  `,
  // 5: fewer page writes per stored memory. Short ids are a range on the unique id index, and
  // listing in insertion order uses the rowid; both indexes cost a write on every store.
  `
  DROP INDEX memories_short_id;
  DROP INDEX memories_level_created;
  `,
  // 6: agent suspension — a burst of refusals from one agent suspends that agent (not the vault)
  // until the owner resumes it; kept across restarts so a restart is not a way out.
  `
  ALTER TABLE agents ADD COLUMN suspended_at INTEGER;
  ALTER TABLE agents ADD COLUMN suspended_reason TEXT;
  `,
  // 7: live-memory counts per namespace and level, kept by triggers so every writer (stores,
  // tombstones, purges, restore, rotation) updates them in its own transaction. Search ranks over
  // the caller's permitted set only and needs that set's size without a pass over every row.
  `
  CREATE TABLE memory_counts (
    namespace TEXT NOT NULL,
    level INTEGER NOT NULL,
    live INTEGER NOT NULL,
    PRIMARY KEY (namespace, level)
  ) WITHOUT ROWID;
  INSERT INTO memory_counts (namespace, level, live)
    SELECT namespace, level, count(*) FROM memories WHERE tombstoned_at IS NULL GROUP BY namespace, level;
  CREATE TRIGGER memory_counts_insert AFTER INSERT ON memories WHEN NEW.tombstoned_at IS NULL BEGIN
    INSERT INTO memory_counts (namespace, level, live) VALUES (NEW.namespace, NEW.level, 1)
      ON CONFLICT (namespace, level) DO UPDATE SET live = live + 1;
  END;
  CREATE TRIGGER memory_counts_delete AFTER DELETE ON memories WHEN OLD.tombstoned_at IS NULL BEGIN
    UPDATE memory_counts SET live = live - 1 WHERE namespace = OLD.namespace AND level = OLD.level;
  END;
  CREATE TRIGGER memory_counts_update_old AFTER UPDATE OF namespace, level, tombstoned_at ON memories WHEN OLD.tombstoned_at IS NULL BEGIN
    UPDATE memory_counts SET live = live - 1 WHERE namespace = OLD.namespace AND level = OLD.level;
  END;
  CREATE TRIGGER memory_counts_update_new AFTER UPDATE OF namespace, level, tombstoned_at ON memories WHEN NEW.tombstoned_at IS NULL BEGIN
    INSERT INTO memory_counts (namespace, level, live) VALUES (NEW.namespace, NEW.level, 1)
      ON CONFLICT (namespace, level) DO UPDATE SET live = live + 1;
  END;
  `, // 8: per-agent command allowlist (issue 19): what each agent may run with secrets in its
  // environment. args and env_names are JSON arrays, parsed with zod on every read.
  `
  CREATE TABLE agent_commands (
    id TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL,
    exec TEXT NOT NULL,
    args TEXT NOT NULL,
    cwd TEXT NOT NULL,
    timeout_ms INTEGER NOT NULL CHECK (timeout_ms > 0),
    env_names TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX agent_commands_agent ON agent_commands (agent_id, created_at);
  `,
  // 9: search's permission filter (level, namespace, tombstone) per matching row, from a narrow
  // trigger-kept copy keyed by the memories rowid (issue 17 item 2). Reading it from memories
  // itself cost one ~440-byte row — mostly ciphertext — per match: at 1M memories a common word's
  // ~4,000 matches were ~4,000 random pages, decrypted on every page-cache miss; this table is
  // ~20 bytes a row and stays in the cache. Derived on restore (the memories inserts fill it).
  `
  CREATE TABLE memory_scope (
    id INTEGER PRIMARY KEY,
    level INTEGER NOT NULL,
    namespace TEXT NOT NULL,
    tombstoned_at INTEGER
  );
  INSERT INTO memory_scope (id, level, namespace, tombstoned_at) SELECT rowid, level, namespace, tombstoned_at FROM memories;
  CREATE TRIGGER memory_scope_insert AFTER INSERT ON memories BEGIN
    INSERT OR REPLACE INTO memory_scope (id, level, namespace, tombstoned_at) VALUES (NEW.rowid, NEW.level, NEW.namespace, NEW.tombstoned_at);
  END;
  CREATE TRIGGER memory_scope_delete AFTER DELETE ON memories BEGIN
    DELETE FROM memory_scope WHERE id = OLD.rowid;
  END;
  CREATE TRIGGER memory_scope_update AFTER UPDATE OF rowid, namespace, level, tombstoned_at ON memories BEGIN
    DELETE FROM memory_scope WHERE id = OLD.rowid;
    INSERT OR REPLACE INTO memory_scope (id, level, namespace, tombstoned_at) VALUES (NEW.rowid, NEW.level, NEW.namespace, NEW.tombstoned_at);
  END;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true });
  if (typeof current !== 'number') throw new VaultError('VAULT_CORRUPT', 'The database has no readable schema version.');
  if (current > SCHEMA_VERSION) {
    throw new VaultError('VAULT_CORRUPT', `The database schema (v${current}) is newer than this program understands (v${SCHEMA_VERSION}).`);
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    const sql = MIGRATIONS[v];
    if (sql === undefined) throw new Error(`missing migration ${v + 1}`);
    try {
      db.transaction(() => {
        db.exec(sql);
        db.pragma(`user_version = ${v + 1}`);
      })();
    } catch (e) {
      // Rolled back: the database is still at v${v}; say so instead of a bare SQLite message.
      throw new VaultError(
        'VAULT_CORRUPT',
        `Upgrading the vault database to schema v${v + 1} failed and was rolled back (it stays at v${v}). ${DAMAGE_HINT}`,
        {
          schemaVersion: v,
          failedMigration: v + 1,
          sqlite: typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : 'unknown',
          hint: DAMAGE_HINT,
        },
      );
    }
  }
}
