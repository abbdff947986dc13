// A storage port held in memory, for core tests that need a repository but not SQLite (engine,
// recall pipeline, commit queue, approvals). It keeps the port's contract — the same one
// tests/support/vault-repository-contract.ts checks against the SQLite repository: a failed
// transaction (or savepoint) leaves nothing behind, constraint violations are refused as
// AUDIT_FAILURE like the SQLite driver's, returned rows are copies a caller cannot corrupt.
// Search approximates FTS5 (unicode61 folding, every quoted term required, `*` a prefix) and
// ranks with the same permitted-set BM25 as the SQLite side. Pure TypeScript: no Node import.
import { VaultError } from '../errors.js';
import { foldLikeIndex, indexTermsOf, type IndexTerm } from '../engine/fts-query.js';
import { rankPermitted, type RankTerm } from '../engine/permitted-bm25.js';
import { isLevel, LEVELS, type Level } from '../levels.js';
import type { MemoryId, MemoryRow } from '../model/memory.js';
import type * as Port from '../ports/vault-repository.port.js';

interface StoredMemory {
  readonly rowid: number;
  readonly row: MemoryRow;
  /** Tokens of the search row; null once tombstoned (the search row is dropped). */
  readonly tokens: readonly string[] | null;
  /** The indexed content text ('' for levels ≥ 3), kept so a label edit can re-index the row. */
  readonly contentText: string;
}

interface Tables {
  nextRowid: number;
  readonly memories: Map<string, StoredMemory>;
  readonly audit: Port.StoredAuditRecord[];
  readonly hashes: Map<number, Buffer>;
  readonly checkpoints: Map<number, Port.StoredCheckpoint>;
  readonly state: Map<string, string>;
}

const copyTables = (t: Tables): Tables => ({
  nextRowid: t.nextRowid,
  memories: new Map(t.memories),
  audit: [...t.audit],
  hashes: new Map(t.hashes),
  checkpoints: new Map(t.checkpoints),
  state: new Map(t.state),
});

const copyBuf = (b: Buffer): Buffer => Buffer.from(b);
const copyBufOrNull = (b: Buffer | null): Buffer | null => (b === null ? null : Buffer.from(b));

function copyRow(r: MemoryRow): MemoryRow {
  return {
    ...r,
    tags: [...r.tags],
    metadata: { ...r.metadata },
    contentHash: copyBuf(r.contentHash),
    commitSalt: copyBuf(r.commitSalt),
    wrappedDek: copyBufOrNull(r.wrappedDek),
    hwSalt: copyBufOrNull(r.hwSalt),
    ciphertext: copyBufOrNull(r.ciphertext),
  };
}

const copyAudit = (r: Port.StoredAuditRecord): Port.StoredAuditRecord => ({ ...r, leafHash: copyBuf(r.leafHash) });
const copyCheckpoint = (c: Port.StoredCheckpoint): Port.StoredCheckpoint => ({ ...c, root: copyBuf(c.root) });

/** unicode61 with remove_diacritics 2, as the memories_fts index is tokenized (the ranking's own fold). */
const tokenize = foldLikeIndex;

const termMatches = (t: IndexTerm, token: string): boolean => (t.prefix ? token.startsWith(t.term) : token === t.term);

/** The SQLite driver refuses a duplicate key inside a transaction; the port reports it so. */
function constraint(): VaultError {
  return new VaultError('AUDIT_FAILURE', 'The database refused the write; nothing was released.');
}

/** JSON path lookup for queryAudit (json_extract of '$.a.b'), without trusting the stored shape. */
function jsonField(json: string, path: readonly string[]): unknown {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return undefined;
  }
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    const next: unknown = Reflect.get(v, key);
    v = next;
  }
  return v;
}

export class InMemoryVaultRepository implements Port.VaultRepository {
  private t: Tables = { nextRowid: 1, memories: new Map(), audit: [], hashes: new Map(), checkpoints: new Map(), state: new Map() };
  private depth = 0;
  /** Committed outermost transactions by durability, for tests that check what was fsynced. */
  readonly commits: Record<Port.Durability, number> = { normal: 0, full: 0 };

  transaction<T>(fn: () => T, durability: Port.Durability): T {
    const before = copyTables(this.t);
    this.depth++;
    try {
      const result = fn();
      if (this.depth === 1) this.commits[durability]++;
      return result;
    } catch (e) {
      this.t = before;
      throw e;
    } finally {
      this.depth--;
    }
  }

  inTransaction(): boolean {
    return this.depth > 0;
  }

  insertMemory(row: MemoryRow, text: Port.SearchText): void {
    if (this.t.memories.has(row.id)) throw constraint();
    const tokens = tokenize([text.title, text.tags, text.metadata, text.content].join(' '));
    this.t.memories.set(row.id, { rowid: this.t.nextRowid++, row: copyRow(row), tokens, contentText: text.content });
  }

  getMemory(id: MemoryId): MemoryRow | undefined {
    const m = this.t.memories.get(id);
    return m ? copyRow(m.row) : undefined;
  }

  findMemoryByShortId(shortId: string): MemoryRow[] {
    if (!/^[0-9a-f]{8}$/.test(shortId)) return [];
    return [...this.t.memories.values()].filter((m) => m.row.id.startsWith(`${shortId}-`)).map((m) => copyRow(m.row));
  }

  markRecalled(id: MemoryId, at: number): void {
    const m = this.t.memories.get(id);
    if (m) this.t.memories.set(id, { ...m, row: { ...m.row, lastRecalledAt: at } });
  }

  updateMemoryLabels(id: MemoryId, labels: Pick<MemoryRow, 'title' | 'tags' | 'metadata'>, text: Omit<Port.SearchText, 'content'>): void {
    const m = this.t.memories.get(id);
    if (!m || m.tokens === null) return;
    const tokens = tokenize([text.title, text.tags, text.metadata, m.contentText].join(' '));
    this.t.memories.set(id, { ...m, tokens, row: copyRow({ ...m.row, ...labels }) });
  }

  tombstone(id: MemoryId, at: number): void {
    const m = this.t.memories.get(id);
    if (!m) return;
    this.t.memories.set(id, { ...m, tokens: null, row: { ...m.row, tombstonedAt: at, wrappedDek: null, ciphertext: null, hwSalt: null } });
  }

  deleteMemories(ids: readonly MemoryId[]): void {
    for (const id of ids) this.t.memories.delete(id);
  }

  expiredEphemeral(now: number, limit: number): MemoryId[] {
    return this.byRowid()
      .filter((m) => m.row.level === 0 && m.row.expiresAt !== null && m.row.expiresAt <= now)
      .slice(0, limit)
      .map((m) => m.row.id);
  }

  listMemories(filter: Port.MemoryFilter): MemoryRow[] {
    return this.byRowid()
      .reverse()
      .filter((m) => this.permitted(m, filter))
      .slice(filter.offset, filter.offset + filter.limit)
      .map((m) => copyRow(m.row));
  }

  searchMemories(ftsQuery: string, filter: Port.MemoryFilter): MemoryRow[] {
    const terms = indexTermsOf(ftsQuery);
    if (terms.length === 0) return [];
    // Tombstoned rows have no search row, whatever the filter says (as in memories_fts).
    const indexed = this.byRowid().filter((m) => m.tokens !== null && this.permitted(m, filter));
    const countOf = (m: StoredMemory, t: IndexTerm) => (m.tokens ?? []).filter((tok) => termMatches(t, tok)).length;
    const candidates = indexed
      .filter((m) => terms.every((t) => countOf(m, t) > 0))
      .map((m) => ({ key: m.rowid, length: m.tokens?.length ?? 0 }));
    if (candidates.length === 0) return [];
    const stats: RankTerm[] = terms.map((t) => {
      const freq = new Map<number, number>();
      for (const m of indexed) {
        const n = countOf(m, t);
        if (n > 0) freq.set(m.rowid, n);
      }
      return { docFreq: freq.size, freq };
    });
    const live = this.byRowid().filter(
      (m) => m.row.tombstonedAt === null && this.permitted(m, { ...filter, includeTombstoned: true }),
    ).length;
    const byKey = new Map(indexed.map((m) => [m.rowid, m.row]));
    return rankPermitted(candidates, { docCount: live, terms: stats })
      .slice(filter.offset, filter.offset + filter.limit)
      .flatMap((c) => {
        const row = byKey.get(c.key);
        return row ? [copyRow(row)] : [];
      });
  }

  countByLevel(): Record<Level, number> {
    const counts: Record<Level, number> = { 0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
    for (const m of this.t.memories.values()) if (m.row.tombstonedAt === null && isLevel(m.row.level)) counts[m.row.level]++;
    return counts;
  }

  appendAuditRecord(record: Port.StoredAuditRecord, storedHashes: readonly Buffer[], firstHashIndex: number): void {
    // A bug, not a bad input (as in the SQLite table): the writer computes seq from auditSize().
    if (record.seq !== this.t.audit.length) throw new Error(`audit append out of order: ${record.seq} != ${this.t.audit.length}`);
    if (storedHashes.some((_, i) => this.t.hashes.has(firstHashIndex + i))) throw constraint();
    this.t.audit.push(copyAudit(record));
    storedHashes.forEach((h, i) => this.t.hashes.set(firstHashIndex + i, copyBuf(h)));
  }

  auditSize(): number {
    return this.t.audit.length;
  }

  readAuditRecords(fromSeq: number, count: number): Port.StoredAuditRecord[] {
    return this.t.audit.slice(Math.max(0, fromSeq), Math.max(0, fromSeq) + Math.max(0, count)).map(copyAudit);
  }

  queryAudit(filter: Port.AuditRecordFilter): Port.StoredAuditRecord[] {
    const eq = (json: string, path: string[], want: string | undefined) => want === undefined || jsonField(json, path) === want;
    const matching = this.t.audit.filter(
      (r) =>
        (filter.kind === undefined || r.kind === filter.kind) &&
        (filter.afterSeq === undefined || r.seq > filter.afterSeq) &&
        (filter.beforeSeq === undefined || r.seq < filter.beforeSeq) &&
        (filter.fromTs === undefined || r.ts >= filter.fromTs) &&
        (filter.toTs === undefined || r.ts <= filter.toTs) &&
        eq(r.json, ['memory', 'id'], filter.memoryId) &&
        eq(r.json, ['actor', 'id'], filter.actorId) &&
        eq(r.json, ['outcome'], filter.outcome),
    );
    return (filter.newestFirst ? matching.reverse() : matching).slice(0, filter.limit).map(copyAudit);
  }

  readStoredHashes(indexes: readonly number[]): Buffer[] {
    return indexes.map((i) => {
      const h = this.t.hashes.get(i);
      if (!h) throw new VaultError('INTEGRITY_FAILURE', `The audit tree is missing stored hash ${i}.`);
      return copyBuf(h);
    });
  }

  readStoredHashRange(fromIndex: number, count: number): [number, Buffer][] {
    return [...this.t.hashes.entries()]
      .filter(([i]) => i >= fromIndex)
      .sort(([a], [b]) => a - b)
      .slice(0, count)
      .map(([i, h]) => [i, copyBuf(h)]);
  }

  insertCheckpoint(c: Port.StoredCheckpoint): void {
    if (this.t.checkpoints.has(c.size)) throw constraint();
    this.t.checkpoints.set(c.size, copyCheckpoint(c));
  }

  latestCheckpoint(): Port.StoredCheckpoint | undefined {
    const all = this.listCheckpoints();
    return all[all.length - 1];
  }

  checkpointAt(size: number): Port.StoredCheckpoint | undefined {
    const c = this.t.checkpoints.get(size);
    return c ? copyCheckpoint(c) : undefined;
  }

  listCheckpoints(): Port.StoredCheckpoint[] {
    return [...this.t.checkpoints.values()].sort((a, b) => a.size - b.size).map(copyCheckpoint);
  }

  getState(key: string): string | undefined {
    return this.t.state.get(key);
  }

  setState(key: string, value: string): void {
    this.t.state.set(key, value);
  }

  private byRowid(): StoredMemory[] {
    return [...this.t.memories.values()].sort((a, b) => a.rowid - b.rowid);
  }

  /** The same narrowing as the SQLite WHERE clause (store/memory-filter.ts). */
  private permitted(m: StoredMemory, filter: Port.MemoryFilter): boolean {
    const levels = filter.levels.filter((l) => LEVELS.includes(l));
    if (!levels.includes(m.row.level)) return false;
    if (filter.namespaces !== null && !filter.namespaces.includes(m.row.namespace)) return false;
    return filter.includeTombstoned || m.row.tombstonedAt === null;
  }
}
