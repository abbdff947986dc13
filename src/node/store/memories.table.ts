// The memories table and its full-text row: inserts, reads (through a small cache of committed
// rows), recall marks, the owner's label edits, crypto-shredding tombstones and purges. Search lives in memory-search.ts.
import { isLevel, type Level } from '../../core/levels.js';
import type { MemoryId, MemoryRow } from '../../core/model/memory.js';
import type { MemoryFilter, SearchText } from '../../core/ports/vault-repository.port.js';
import type { SqliteDatabase } from './encrypted-database.js';
import { memoryWhere } from './memory-filter.js';
import { INSERT_MEMORY_SQL, memoryInsertParams, parseMemoryId, parseMemoryRow } from './memory-row.js';
import { RowReader } from './row-reader.js';
import type { TransactionParticipant } from './transaction.js';
import { Command, Query, type SqlValue } from './typed-statement.js';

/**
 * Decrypted-page reads dominate recalls; recently read memory rows are kept (rows are immutable
 * objects; every write through this table evicts the row, a rollback clears the cache, and
 * only rows read outside a transaction — i.e. committed state — are cached).
 */
const ROW_CACHE_MAX = 20_000;
/**
 * …and by bytes (issue 17 item 3: caches bounded by bytes): a row carries its ciphertext, up to
 * 1 MiB, so 20,000 large memories would otherwise pin ~20 GiB. 32 MiB keeps every small row of
 * the benchmark's working set and a handful of large ones.
 */
export const ROW_CACHE_MAX_BYTES = 32 * 1024 * 1024;
/** Object, Map entry and scalar fields of a cached row, beside its buffers and strings. */
const ROW_OVERHEAD_BYTES = 400;

/** What a cached row holds in memory, near enough to bound the cache (strings as UTF-16). */
export function cachedRowBytes(row: MemoryRow): number {
  const buffers = [row.ciphertext, row.wrappedDek, row.contentHash, row.commitSalt, row.hwSalt];
  const strings = [row.id, row.namespace, row.title, row.profileId, row.createdBy, row.intentRef ?? '', row.hwCredential ?? ''];
  const labels = JSON.stringify(row.tags).length + JSON.stringify(row.metadata).length;
  return ROW_OVERHEAD_BYTES + buffers.reduce((n, b) => n + (b?.length ?? 0), 0) + 2 * (strings.reduce((n, t) => n + t.length, 0) + labels);
}

const rowidOf = (row: unknown): number => RowReader.of(row, 'memories').int('rowid');
const idOf = (row: unknown): MemoryId => parseMemoryId(RowReader.of(row, 'memories').text('id'));
const levelCount = (row: unknown): { level: number; n: number } => {
  const r = RowReader.of(row, 'memory_counts');
  return { level: r.int('level'), n: r.int('n') };
};

export class MemoriesTable implements TransactionParticipant {
  private readonly rowCache = new Map<string, { readonly row: MemoryRow; readonly bytes: number }>();
  private rowCacheBytes = 0;
  private readonly insert: Command<[Record<string, SqlValue>]>;
  private readonly insertFts: Command<[number | bigint, string, string, string, string]>;
  private readonly byId: Query<[string], MemoryRow>;
  readonly byRowid: Query<[number], MemoryRow>;
  private readonly byIdRange: Query<[string, string], MemoryRow>;
  private readonly setRecalled: Command<[number, string]>;
  private readonly setTombstone: Command<[number, string]>;
  private readonly rowid: Query<[string], number>;
  private readonly deleteFts: Command<[number]>;
  private readonly setLabels: Command<[string, string, string, string]>;
  private readonly setFtsLabels: Command<[string, string, string, number]>;
  private readonly deleteRow: Command<[string]>;
  private readonly expired: Query<[number, number], MemoryId>;
  private readonly liveByLevel: Query<[], { level: number; n: number }>;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly maxCacheBytes = ROW_CACHE_MAX_BYTES,
  ) {
    this.insert = new Command(db, INSERT_MEMORY_SQL);
    this.insertFts = new Command(db, 'INSERT INTO memories_fts (rowid, title, tags, metadata, content) VALUES (?, ?, ?, ?, ?)');
    this.byId = new Query(db, 'SELECT * FROM memories WHERE id = ?', parseMemoryRow);
    this.byRowid = new Query(db, 'SELECT * FROM memories WHERE rowid = ?', parseMemoryRow);
    // A short id is the first 8 hex digits of the UUID, i.e. the prefix before its first '-':
    // a range on the unique id index finds it without an index of its own.
    this.byIdRange = new Query(db, "SELECT * FROM memories WHERE id >= ? AND id < ? AND substr(id, 9, 1) = '-'", parseMemoryRow);
    this.setRecalled = new Command(db, 'UPDATE memories SET last_recalled_at = ? WHERE id = ?');
    this.setTombstone = new Command(
      db,
      'UPDATE memories SET tombstoned_at = ?, wrapped_dek = NULL, ciphertext = NULL, hw_salt = NULL WHERE id = ?',
    );
    this.rowid = new Query(db, 'SELECT rowid FROM memories WHERE id = ?', rowidOf);
    this.deleteFts = new Command(db, 'DELETE FROM memories_fts WHERE rowid = ?');
    this.setLabels = new Command(db, 'UPDATE memories SET title = ?, tags = ?, metadata = ? WHERE id = ?');
    this.setFtsLabels = new Command(db, 'UPDATE memories_fts SET title = ?, tags = ?, metadata = ? WHERE rowid = ?');
    this.deleteRow = new Command(db, 'DELETE FROM memories WHERE id = ?');
    this.expired = new Query(db, 'SELECT id FROM memories WHERE expires_at IS NOT NULL AND expires_at <= ? AND level = 0 LIMIT ?', idOf);
    this.liveByLevel = new Query(db, 'SELECT level, count(*) AS n FROM memories WHERE tombstoned_at IS NULL GROUP BY level', levelCount);
  }

  onScopeOpen(): () => void {
    return () => this.forgetCachedMemories();
  }

  /** Bytes the row cache holds now (for tests of its bound). */
  get cachedBytes(): number {
    return this.rowCacheBytes;
  }

  private evict(id: string): void {
    const e = this.rowCache.get(id);
    if (!e) return;
    this.rowCache.delete(id);
    this.rowCacheBytes -= e.bytes;
  }

  private remember(row: MemoryRow): void {
    const bytes = cachedRowBytes(row);
    if (bytes > this.maxCacheBytes / 4) return; // one huge row must not flush the whole cache
    this.rowCache.set(row.id, { row, bytes });
    this.rowCacheBytes += bytes;
    // Map keeps insertion order: the first key is the least recently used.
    for (const oldest of this.rowCache.keys()) {
      if (this.rowCache.size <= ROW_CACHE_MAX && this.rowCacheBytes <= this.maxCacheBytes) break;
      this.evict(oldest);
    }
  }

  insertMemory(row: MemoryRow, text: SearchText): void {
    this.evict(row.id);
    const info = this.insert.run(memoryInsertParams(row));
    this.insertFts.run(info.lastInsertRowid, text.title, text.tags, text.metadata, text.content);
  }

  getMemory(id: MemoryId): MemoryRow | undefined {
    const cached = this.rowCache.get(id);
    if (cached) {
      // Refresh recency (Map keeps insertion order: the first key is the least recently used).
      this.rowCache.delete(id);
      this.rowCache.set(id, cached);
      return cached.row;
    }
    const row = this.byId.get(id);
    if (!row) return undefined;
    if (!this.db.inTransaction) this.remember(row);
    return row;
  }

  /** For writers that change memory rows without this table (key rotation). */
  forgetCachedMemories(): void {
    this.rowCache.clear();
    this.rowCacheBytes = 0;
  }

  findMemoryByShortId(shortId: string): MemoryRow[] {
    if (!/^[0-9a-f]{8}$/.test(shortId)) return [];
    return this.byIdRange.all(`${shortId}-`, `${shortId}.`);
  }

  markRecalled(id: MemoryId, at: number): void {
    this.evict(id);
    this.setRecalled.run(at, id);
  }

  updateLabels(id: MemoryId, labels: Pick<MemoryRow, 'title' | 'tags' | 'metadata'>, text: Omit<SearchText, 'content'>): void {
    this.evict(id);
    const rowid = this.rowid.get(id);
    if (rowid === undefined) return;
    this.setLabels.run(labels.title, JSON.stringify(labels.tags), JSON.stringify(labels.metadata), id);
    this.setFtsLabels.run(text.title, text.tags, text.metadata, rowid);
  }

  tombstone(id: MemoryId, at: number): void {
    this.evict(id);
    const rowid = this.rowid.get(id);
    if (rowid === undefined) return;
    this.setTombstone.run(at, id);
    this.deleteFts.run(rowid);
  }

  deleteMemories(ids: readonly MemoryId[]): void {
    for (const id of ids) {
      this.evict(id);
      const rowid = this.rowid.get(id);
      if (rowid === undefined) continue;
      this.deleteFts.run(rowid);
      this.deleteRow.run(id);
    }
  }

  expiredEphemeral(now: number, limit: number): MemoryId[] {
    return this.expired.all(now, limit);
  }

  listMemories(filter: MemoryFilter): MemoryRow[] {
    const w = memoryWhere(filter, 'm');
    // The filter decides the statement's shape, so it is prepared per call (as listing always was).
    const list = new Query<(string | number)[], MemoryRow>(
      this.db,
      `SELECT * FROM memories m WHERE ${w.sql} ORDER BY m.rowid DESC LIMIT ? OFFSET ?`,
      parseMemoryRow,
    );
    return list.all(...w.params, filter.limit, filter.offset);
  }

  countByLevel(): Record<Level, number> {
    const counts: Record<Level, number> = { 0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
    for (const r of this.liveByLevel.all()) {
      if (isLevel(r.level)) counts[r.level] = r.n;
    }
    return counts;
  }
}
