// The vault's storage port over one encrypted SQLite connection. Statements are prepared once;
// every write runs inside `transaction`, which nests as savepoints and switches the connection
// to synchronous=FULL for durable commits.
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../core/errors.js';
import { storageDamageError } from './storage-damage.js';
import { isLevel, LEVELS, type Level } from '../../core/levels.js';
import type { MemoryId, MemoryRow, MetadataValue } from '../../core/model/memory.js';
import type {
  AuditRecordFilter,
  Durability,
  MemoryFilter,
  SearchText,
  StoredAuditRecord,
  StoredCheckpoint,
  VaultRepository,
} from '../../core/ports/vault-repository.port.js';
import type { SqliteDatabase } from './encrypted-database.js';
import { indexTermsOf, type IndexTerm } from '../../core/engine/fts-query.js';
import { rankPermitted, type RankTerm } from '../../core/engine/permitted-bm25.js';

interface MemoryDbRow {
  rowid: number;
  id: string;
  namespace: string;
  level: number;
  profile_id: string;
  title: string;
  tags: string;
  metadata: string;
  intent_ref: string | null;
  created_at: number;
  created_by: string;
  expires_at: number | null;
  cooldown_ms: number;
  last_recalled_at: number | null;
  tombstoned_at: number | null;
  format_version: number;
  content_hash: Buffer;
  commit_salt: Buffer;
  wrapped_dek: Buffer | null;
  hw_salt: Buffer | null;
  hw_credential: string | null;
  ciphertext: Buffer | null;
  size: number;
}

// Rows are read on every recall: plain type guards instead of schema objects keep that path cheap,
// and still refuse anything that is not what the vault wrote.
function parseTags(text: string): string[] {
  const v: unknown = JSON.parse(text);
  if (!Array.isArray(v) || !v.every((t) => typeof t === 'string')) throw new VaultError('VAULT_CORRUPT', 'A memory row has malformed tags.');
  return v as string[];
}

function parseMetadata(text: string): Record<string, MetadataValue> {
  const v: unknown = JSON.parse(text);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new VaultError('VAULT_CORRUPT', 'A memory row has malformed metadata.');
  for (const x of Object.values(v)) {
    if (x !== null && typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') throw new VaultError('VAULT_CORRUPT', 'A memory row has malformed metadata.');
  }
  return v as Record<string, MetadataValue>;
}

function toMemoryRow(r: MemoryDbRow): MemoryRow {
  // The level column is checked, not trusted: a tampered level also fails AEAD later.
  if (!isLevel(r.level)) throw new VaultError('INTEGRITY_FAILURE', 'A memory row carries an impossible level.');
  return {
    id: r.id as MemoryId,
    namespace: r.namespace,
    level: r.level,
    profileId: r.profile_id,
    title: r.title,
    tags: r.tags === '[]' ? [] : parseTags(r.tags),
    metadata: r.metadata === '{}' ? {} : parseMetadata(r.metadata),
    intentRef: r.intent_ref,
    createdAt: r.created_at,
    createdBy: r.created_by,
    expiresAt: r.expires_at,
    cooldownMs: r.cooldown_ms,
    lastRecalledAt: r.last_recalled_at,
    tombstonedAt: r.tombstoned_at,
    formatVersion: r.format_version,
    contentHash: r.content_hash,
    commitSalt: r.commit_salt,
    wrappedDek: r.wrapped_dek,
    hwSalt: r.hw_salt,
    hwCredential: r.hw_credential,
    ciphertext: r.ciphertext,
    size: r.size,
  };
}

interface AuditDbRow {
  seq: number;
  ts: number;
  kind: string;
  json: string;
  leaf_hash: Buffer;
}

interface CheckpointDbRow {
  size: number;
  root: Buffer;
  note: string;
  created_at: number;
}

const toCheckpoint = (r: CheckpointDbRow): StoredCheckpoint => ({ size: r.size, root: r.root, note: r.note, createdAt: r.created_at });

const toAudit = (r: AuditDbRow): StoredAuditRecord => ({ seq: r.seq, ts: r.ts, kind: r.kind, json: r.json, leafHash: r.leaf_hash });

/**
 * Decrypted-page reads dominate recalls; recently read memory rows are kept (rows are immutable
 * objects; every write through this repository evicts the row, a rollback clears the cache, and
 * only rows read outside a transaction — i.e. committed state — are cached).
 */
const ROW_CACHE_MAX = 20_000;

export class SqliteVaultRepository implements VaultRepository {
  private depth = 0;
  private readonly rowCache = new Map<string, MemoryRow>();
  private cachedAuditSize: number;
  private readonly s: Record<string, Statement>;

  constructor(private readonly db: SqliteDatabase) {
    // Search's term statistics: an fts5vocab view over the live index in the connection's temp
    // schema (nothing stored). Made here, at open, outside any transaction a rollback could undo.
    db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.memories_fts_instance USING fts5vocab(main, memories_fts, instance)');
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      insertMemory: p(`INSERT INTO memories (id, namespace, level, profile_id, title, tags, metadata, intent_ref, created_at, created_by,
        expires_at, cooldown_ms, last_recalled_at, tombstoned_at, format_version, content_hash, commit_salt, wrapped_dek, hw_salt,
        hw_credential, ciphertext, size) VALUES (@id, @namespace, @level, @profile_id, @title, @tags, @metadata, @intent_ref, @created_at,
        @created_by, @expires_at, @cooldown_ms, @last_recalled_at, @tombstoned_at, @format_version, @content_hash, @commit_salt,
        @wrapped_dek, @hw_salt, @hw_credential, @ciphertext, @size)`),
      insertFts: p('INSERT INTO memories_fts (rowid, title, tags, metadata, content) VALUES (?, ?, ?, ?, ?)'),
      getMemory: p('SELECT * FROM memories WHERE id = ?'),
      memoryByRowid: p('SELECT * FROM memories WHERE rowid = ?'),
      // A short id is the first 8 hex digits of the UUID, i.e. the prefix before its first '-':
      // a range on the unique id index finds it without an index of its own.
      byShortId: p("SELECT * FROM memories WHERE id >= ? AND id < ? AND substr(id, 9, 1) = '-'"),
      markRecalled: p('UPDATE memories SET last_recalled_at = ? WHERE id = ?'),
      tombstone: p('UPDATE memories SET tombstoned_at = ?, wrapped_dek = NULL, ciphertext = NULL, hw_salt = NULL WHERE id = ?'),
      rowidOf: p('SELECT rowid FROM memories WHERE id = ?'),
      deleteFts: p('DELETE FROM memories_fts WHERE rowid = ?'),
      deleteMemory: p('DELETE FROM memories WHERE id = ?'),
      expired: p('SELECT id FROM memories WHERE expires_at IS NOT NULL AND expires_at <= ? AND level = 0 LIMIT ?'),
      countByLevel: p('SELECT level, count(*) AS n FROM memories WHERE tombstoned_at IS NULL GROUP BY level'),
      insertAudit: p('INSERT INTO audit_events (seq, ts, kind, json, leaf_hash) VALUES (?, ?, ?, ?, ?)'),
      insertHash: p('INSERT INTO tree_hashes (idx, hash) VALUES (?, ?)'),
      readHash: p('SELECT hash FROM tree_hashes WHERE idx = ?'),
      auditCount: p('SELECT coalesce(max(seq) + 1, 0) AS n FROM audit_events'),
      readAudit: p('SELECT * FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?'),
      getState: p('SELECT value FROM vault_state WHERE key = ?'),
      begin: p('BEGIN IMMEDIATE'),
      commit: p('COMMIT'),
      rollback: p('ROLLBACK'),
      savepoint: p('SAVEPOINT op'),
      release: p('RELEASE op'),
      rollbackTo: p('ROLLBACK TO op'),
      insertCheckpoint: p('INSERT INTO checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?)'),
      hashRange: p('SELECT idx, hash FROM tree_hashes WHERE idx >= ? ORDER BY idx LIMIT ?'),
      latestCheckpoint: p('SELECT * FROM checkpoints ORDER BY size DESC LIMIT 1'),
      checkpointAt: p('SELECT * FROM checkpoints WHERE size = ?'),
      setState: p('INSERT INTO vault_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
    const n = (this.s.auditCount as Statement).get() as { n: number };
    this.cachedAuditSize = n.n;
  }

  private st(name: string): Statement {
    const s = this.s[name];
    if (!s) throw new Error(`statement ${name} not prepared`);
    return s;
  }

  transaction<T>(fn: () => T, durability: Durability): T {
    // Hand-driven BEGIN/SAVEPOINT with statements prepared once: better-sqlite3's
    // db.transaction() wrapper costs more than the work itself at group-commit rates.
    const sizeBefore = this.cachedAuditSize;
    if (this.depth > 0) {
      this.st('savepoint').run();
      this.depth++;
      try {
        const result = fn();
        this.st('release').run();
        return result;
      } catch (e) {
        this.rowCache.clear();
        // SQLITE_FULL and friends may have rolled back the whole transaction already.
        if (this.db.inTransaction) {
          this.st('rollbackTo').run();
          this.st('release').run();
        }
        this.cachedAuditSize = sizeBefore;
        throw mapStorageError(e);
      } finally {
        this.depth--;
      }
    }
    const durable = durability === 'full';
    if (durable) this.db.pragma('synchronous = FULL');
    this.depth++;
    try {
      this.st('begin').run();
      const result = fn();
      this.st('commit').run();
      return result;
    } catch (e) {
      if (this.db.inTransaction) this.st('rollback').run();
      this.rowCache.clear();
      this.cachedAuditSize = sizeBefore;
      throw mapStorageError(e);
    } finally {
      this.depth--;
      if (durable) this.db.pragma('synchronous = NORMAL');
    }
  }

  inTransaction(): boolean {
    return this.db.inTransaction;
  }

  insertMemory(row: MemoryRow, text: SearchText): void {
    this.rowCache.delete(row.id);
    const info = this.st('insertMemory').run({
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
    });
    this.st('insertFts').run(info.lastInsertRowid, text.title, text.tags, text.metadata, text.content);
  }

  getMemory(id: MemoryId): MemoryRow | undefined {
    const cached = this.rowCache.get(id);
    if (cached) {
      // Refresh recency (Map keeps insertion order: the first key is the least recently used).
      this.rowCache.delete(id);
      this.rowCache.set(id, cached);
      return cached;
    }
    const r = this.st('getMemory').get(id) as MemoryDbRow | undefined;
    if (!r) return undefined;
    const row = toMemoryRow(r);
    if (!this.db.inTransaction) {
      this.rowCache.set(id, row);
      if (this.rowCache.size > ROW_CACHE_MAX) this.rowCache.delete(this.rowCache.keys().next().value as string);
    }
    return row;
  }

  /** For writers that change memory rows without this repository (key rotation). */
  forgetCachedMemories(): void {
    this.rowCache.clear();
  }

  findMemoryByShortId(shortId: string): MemoryRow[] {
    if (!/^[0-9a-f]{8}$/.test(shortId)) return [];
    return (this.st('byShortId').all(`${shortId}-`, `${shortId}.`) as MemoryDbRow[]).map(toMemoryRow);
  }

  markRecalled(id: MemoryId, at: number): void {
    this.rowCache.delete(id);
    this.st('markRecalled').run(at, id);
  }

  tombstone(id: MemoryId, at: number): void {
    this.rowCache.delete(id);
    const r = this.st('rowidOf').get(id) as { rowid: number } | undefined;
    if (!r) return;
    this.st('tombstone').run(at, id);
    this.st('deleteFts').run(r.rowid);
  }

  deleteMemories(ids: readonly MemoryId[]): void {
    for (const id of ids) {
      this.rowCache.delete(id);
      const r = this.st('rowidOf').get(id) as { rowid: number } | undefined;
      if (!r) continue;
      this.st('deleteFts').run(r.rowid);
      this.st('deleteMemory').run(id);
    }
  }

  expiredEphemeral(now: number, limit: number): MemoryId[] {
    return (this.st('expired').all(now, limit) as { id: string }[]).map((r) => r.id as MemoryId);
  }

  private whereFor(filter: MemoryFilter, alias: string): { sql: string; params: (string | number)[] } {
    const clauses: string[] = [];
    const params: (string | number)[] = [];
    const levels = filter.levels.filter((l) => LEVELS.includes(l));
    clauses.push(levels.length ? `${alias}.level IN (${levels.map(() => '?').join(',')})` : '0');
    params.push(...levels);
    if (filter.namespaces !== null) {
      clauses.push(filter.namespaces.length ? `${alias}.namespace IN (${filter.namespaces.map(() => '?').join(',')})` : '0');
      params.push(...filter.namespaces);
    }
    if (!filter.includeTombstoned) clauses.push(`${alias}.tombstoned_at IS NULL`);
    return { sql: clauses.join(' AND '), params };
  }

  listMemories(filter: MemoryFilter): MemoryRow[] {
    const w = this.whereFor(filter, 'm');
    const rows = this.db
      .prepare(`SELECT * FROM memories m WHERE ${w.sql} ORDER BY m.rowid DESC LIMIT ? OFFSET ?`)
      .all(...w.params, filter.limit, filter.offset) as MemoryDbRow[];
    return rows.map(toMemoryRow);
  }

  /**
   * Search sees only the permitted set, ranking included (issue 14 item 6): FTS5 MATCH finds the
   * candidates, and every statistic the order uses — row count, document frequencies, term
   * frequencies, lengths — is read through the same level/namespace filter, then BM25 is computed
   * in TypeScript (core/engine/permitted-bm25.ts). SQLite's bm25() is not used: its statistics
   * span the whole index. Limit and offset apply after filtering and ranking, so neither can
   * count unseen rows either. Cost is linear in the matches of each query term, as bm25() was.
   */
  searchMemories(ftsQuery: string, filter: MemoryFilter): MemoryRow[] {
    const w = this.whereFor(filter, 'm');
    // raw(): [rowid, docsize] arrays, no object per row — a term in every row yields every row.
    const candidates = (
      this.db
        .prepare(
          `SELECT m.rowid, d.sz FROM memories_fts f JOIN memories m ON m.rowid = f.rowid
           JOIN memories_fts_docsize d ON d.id = m.rowid WHERE memories_fts MATCH ? AND ${w.sql}`,
        )
        .raw(true)
        .all(ftsQuery, ...w.params) as [number, Buffer][]
    ).map(([key, sz]) => ({ key, length: docSizeTotal(sz) }));
    if (candidates.length === 0) return [];
    const ranked = rankPermitted(candidates, {
      docCount: this.permittedCount(filter),
      terms: indexTermsOf(ftsQuery).map((t) => this.termStats(t, w)),
    });
    const page = ranked.slice(filter.offset, filter.offset + filter.limit);
    return page.map((c) => {
      const r = this.st('memoryByRowid').get(c.key) as MemoryDbRow | undefined;
      if (!r) throw new VaultError('INTEGRITY_FAILURE', 'A search candidate vanished during the search.');
      return toMemoryRow(r);
    });
  }

  /** Live rows in the permitted set, from the trigger-kept per-namespace/level counts (migration 7). */
  private permittedCount(filter: MemoryFilter): number {
    const w = this.whereFor({ ...filter, includeTombstoned: true }, 'c');
    const r = this.db.prepare(`SELECT coalesce(sum(c.live), 0) AS n FROM memory_counts c WHERE ${w.sql}`).get(...w.params) as { n: number };
    return r.n;
  }

  /** Document frequency and per-row frequency of one index term, over permitted rows only. */
  private termStats(t: IndexTerm, w: { sql: string; params: (string | number)[] }): RankTerm {
    // A prefix term covers every indexed term from `t` up to `t` followed by the highest code point.
    const range = t.prefix ? 'v.term >= ? AND v.term < ?' : 'v.term = ?';
    const bounds = t.prefix ? [t.term, `${t.term}\u{10FFFF}`] : [t.term];
    const rows = this.db
      .prepare(
        `SELECT v.doc, v.n FROM (SELECT v.doc AS doc, count(*) AS n FROM temp.memories_fts_instance v WHERE ${range} GROUP BY v.doc) v
         JOIN memories m ON m.rowid = v.doc WHERE ${w.sql}`,
      )
      .raw(true)
      .all(...bounds, ...w.params) as [number, number][];
    return { docFreq: rows.length, freq: new Map(rows) };
  }

  countByLevel(): Record<Level, number> {
    const counts: Record<Level, number> = { 0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
    for (const r of this.st('countByLevel').all() as { level: number; n: number }[]) {
      if (isLevel(r.level)) counts[r.level] = r.n;
    }
    return counts;
  }

  appendAuditRecord(record: StoredAuditRecord, storedHashes: readonly Buffer[], firstHashIndex: number): void {
    if (record.seq !== this.cachedAuditSize) throw new Error(`audit append out of order: ${record.seq} != ${this.cachedAuditSize}`);
    this.st('insertAudit').run(record.seq, record.ts, record.kind, record.json, record.leafHash);
    storedHashes.forEach((h, i) => this.st('insertHash').run(firstHashIndex + i, h));
    this.cachedAuditSize++;
  }

  auditSize(): number {
    return this.cachedAuditSize;
  }

  readAuditRecords(fromSeq: number, count: number): StoredAuditRecord[] {
    return (this.st('readAudit').all(fromSeq, count) as AuditDbRow[]).map(toAudit);
  }

  queryAudit(filter: AuditRecordFilter): StoredAuditRecord[] {
    const clauses: string[] = ['1'];
    const params: (string | number)[] = [];
    const add = (sql: string, value: string | number | undefined): void => {
      if (value === undefined) return;
      clauses.push(sql);
      params.push(value);
    };
    add('kind = ?', filter.kind);
    add('seq > ?', filter.afterSeq);
    add('ts >= ?', filter.fromTs);
    add('ts <= ?', filter.toTs);
    add("json_extract(json, '$.memory.id') = ?", filter.memoryId);
    add("json_extract(json, '$.actor.id') = ?", filter.actorId);
    add("json_extract(json, '$.outcome') = ?", filter.outcome);
    const rows = this.db.prepare(`SELECT * FROM audit_events WHERE ${clauses.join(' AND ')} ORDER BY seq LIMIT ?`).all(...params, filter.limit) as AuditDbRow[];
    return rows.map(toAudit);
  }

  readStoredHashes(indexes: readonly number[]): Buffer[] {
    return indexes.map((i) => {
      const r = this.st('readHash').get(i) as { hash: Buffer } | undefined;
      if (!r) throw new VaultError('INTEGRITY_FAILURE', `The audit tree is missing stored hash ${i}.`);
      return r.hash;
    });
  }

  readStoredHashRange(fromIndex: number, count: number): [number, Buffer][] {
    // raw(): rows come back as [idx, hash] arrays, without an object per row (full verification reads millions).
    return this.st('hashRange').raw(true).all(fromIndex, count) as [number, Buffer][];
  }

  insertCheckpoint(c: StoredCheckpoint): void {
    this.st('insertCheckpoint').run(c.size, c.root, c.note, c.createdAt);
  }

  latestCheckpoint(): StoredCheckpoint | undefined {
    const r = this.st('latestCheckpoint').get() as CheckpointDbRow | undefined;
    return r ? toCheckpoint(r) : undefined;
  }

  checkpointAt(size: number): StoredCheckpoint | undefined {
    const r = this.st('checkpointAt').get(size) as CheckpointDbRow | undefined;
    return r ? toCheckpoint(r) : undefined;
  }

  listCheckpoints(): StoredCheckpoint[] {
    return (this.db.prepare('SELECT * FROM checkpoints ORDER BY size').all() as CheckpointDbRow[]).map(toCheckpoint);
  }

  getState(key: string): string | undefined {
    const r = this.st('getState').get(key) as { value: string } | undefined;
    return r?.value;
  }

  setState(key: string, value: string): void {
    this.st('setState').run(key, value);
  }
}

function mapStorageError(e: unknown): unknown {
  if (e instanceof VaultError) return e;
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
  if (code === 'SQLITE_FULL') return new VaultError('STORAGE_FULL', 'The disk is full; nothing was written.');
  const damage = storageDamageError(e, 'writing to the vault database');
  if (damage) return damage;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return new VaultError('VAULT_BUSY', 'The vault database is busy.');
  if (code.startsWith('SQLITE_')) return new VaultError('AUDIT_FAILURE', 'The database refused the write; nothing was released.');
  return e;
}

/**
 * Tokens in one FTS5 row, all columns: the docsize shadow table stores one SQLite varint per
 * column (fts5_storage.c), which is what FTS5's own bm25() reads for |D|.
 */
export function docSizeTotal(sz: Buffer): number {
  let total = 0;
  let i = 0;
  while (i < sz.length) {
    let v = 0;
    for (let n = 0; i < sz.length; n++) {
      const byte = sz[i++] ?? 0;
      if (n === 8) {
        v = v * 256 + byte;
        break;
      }
      v = v * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) break;
    }
    total += v;
  }
  return total;
}
