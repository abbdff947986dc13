// The memories table's row format: the parser from a stored row to a MemoryRow (which refuses
// anything the vault did not write) and the named parameters an insert binds.
import { VaultError } from '../../core/errors.js';
import { isLevel } from '../../core/levels.js';
import type { MemoryId, MemoryRow, MetadataValue } from '../../core/model/memory.js';
import { RowReader } from './row-reader.js';
import type { SqlValue } from './typed-statement.js';

const TABLE = 'memories';

// Ids are minted by randomUUID() in the engine; anything else in the column was not written by us.
const MEMORY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function isStoredMemoryId(s: string): s is MemoryId {
  return MEMORY_ID.test(s);
}

export function parseMemoryId(s: string): MemoryId {
  if (!isStoredMemoryId(s)) throw new VaultError('VAULT_CORRUPT', 'A memory row has a malformed id.');
  return s;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((t) => typeof t === 'string');
}

function isMetadataValue(v: unknown): v is MetadataValue {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function parseTags(text: string): string[] {
  const v: unknown = JSON.parse(text);
  if (!isStringArray(v)) throw new VaultError('VAULT_CORRUPT', 'A memory row has malformed tags.');
  return v;
}

function parseMetadata(text: string): Record<string, MetadataValue> {
  const v: unknown = JSON.parse(text);
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new VaultError('VAULT_CORRUPT', 'A memory row has malformed metadata.');
  const entries: [string, MetadataValue][] = [];
  for (const [k, x] of Object.entries(v)) {
    if (!isMetadataValue(x)) throw new VaultError('VAULT_CORRUPT', 'A memory row has malformed metadata.');
    entries.push([k, x]);
  }
  // fromEntries defines own properties, so a stored "__proto__" key stays a key.
  return Object.fromEntries(entries);
}

/** One `SELECT * FROM memories` row as a MemoryRow. */
export function parseMemoryRow(row: unknown): MemoryRow {
  const r = RowReader.of(row, TABLE);
  const level = r.int('level');
  // The level column is checked, not trusted: a tampered level also fails AEAD later.
  if (!isLevel(level)) throw new VaultError('INTEGRITY_FAILURE', 'A memory row carries an impossible level.');
  const tags = r.text('tags');
  const metadata = r.text('metadata');
  return {
    id: parseMemoryId(r.text('id')),
    namespace: r.text('namespace'),
    level,
    profileId: r.text('profile_id'),
    title: r.text('title'),
    tags: tags === '[]' ? [] : parseTags(tags),
    metadata: metadata === '{}' ? {} : parseMetadata(metadata),
    intentRef: r.textOrNull('intent_ref'),
    createdAt: r.int('created_at'),
    createdBy: r.text('created_by'),
    expiresAt: r.intOrNull('expires_at'),
    cooldownMs: r.int('cooldown_ms'),
    lastRecalledAt: r.intOrNull('last_recalled_at'),
    tombstonedAt: r.intOrNull('tombstoned_at'),
    formatVersion: r.int('format_version'),
    contentHash: r.blob('content_hash'),
    commitSalt: r.blob('commit_salt'),
    wrappedDek: r.blobOrNull('wrapped_dek'),
    hwSalt: r.blobOrNull('hw_salt'),
    hwCredential: r.textOrNull('hw_credential'),
    ciphertext: r.blobOrNull('ciphertext'),
    size: r.int('size'),
  };
}

export const INSERT_MEMORY_SQL = `INSERT INTO memories (id, namespace, level, profile_id, title, tags, metadata, intent_ref, created_at,
  created_by, expires_at, cooldown_ms, last_recalled_at, tombstoned_at, format_version, content_hash, commit_salt, wrapped_dek, hw_salt,
  hw_credential, ciphertext, size) VALUES (@id, @namespace, @level, @profile_id, @title, @tags, @metadata, @intent_ref, @created_at,
  @created_by, @expires_at, @cooldown_ms, @last_recalled_at, @tombstoned_at, @format_version, @content_hash, @commit_salt,
  @wrapped_dek, @hw_salt, @hw_credential, @ciphertext, @size)`;

/** The named parameters of INSERT_MEMORY_SQL for one row. */
export function memoryInsertParams(row: MemoryRow): Record<string, SqlValue> {
  return {
    id: row.id,
    namespace: row.namespace,
    level: row.level,
    profile_id: row.profileId,
    title: row.title,
    tags: JSON.stringify(row.tags),
    metadata: JSON.stringify(row.metadata),
    intent_ref: row.intentRef,
    created_at: row.createdAt,
    created_by: row.createdBy,
    expires_at: row.expiresAt,
    cooldown_ms: row.cooldownMs,
    last_recalled_at: row.lastRecalledAt,
    tombstoned_at: row.tombstonedAt,
    format_version: row.formatVersion,
    content_hash: row.contentHash,
    commit_salt: row.commitSalt,
    wrapped_dek: row.wrappedDek,
    hw_salt: row.hwSalt,
    hw_credential: row.hwCredential,
    ciphertext: row.ciphertext,
    size: row.size,
  };
}
