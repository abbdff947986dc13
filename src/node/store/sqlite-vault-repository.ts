// The vault's storage port over one encrypted SQLite connection, composed Signal-style from one
// module per table (memories.table.ts, memory-search.ts, audit-leaves.table.ts,
// checkpoints.table.ts, vault-state.table.ts) and the transaction module (transaction.ts). This
// facade only delegates: statements, row parsers and in-memory state live with their table.
import type { Level } from '../../core/levels.js';
import type { MemoryId, MemoryRow } from '../../core/model/memory.js';
import type {
  AuditRecordFilter,
  Durability,
  MemoryFilter,
  SearchText,
  StoredAuditRecord,
  StoredCheckpoint,
  VaultRepository,
} from '../../core/ports/vault-repository.port.js';
import { AuditLeavesTable } from './audit-leaves.table.js';
import { CheckpointsTable } from './checkpoints.table.js';
import type { SqliteDatabase } from './encrypted-database.js';
import { MemoriesTable } from './memories.table.js';
import { MemorySearch } from './memory-search.js';
import { SqliteTransactions } from './transaction.js';
import { VaultStateTable } from './vault-state.table.js';
import { WalFlusher } from './wal-flush.js';

export { docSizeTotal } from './memory-search.js';

export class SqliteVaultRepository implements VaultRepository {
  private readonly tx: SqliteTransactions;
  private readonly memories: MemoriesTable;
  private readonly search: MemorySearch;
  /** The audit leaves and Merkle stored hashes; also the Merkle code's HashReader. */
  readonly auditLeaves: AuditLeavesTable;
  private readonly checkpoints: CheckpointsTable;
  private readonly state: VaultStateTable;
  private readonly flusher: WalFlusher;

  constructor(db: SqliteDatabase) {
    this.flusher = new WalFlusher(db.name);
    this.tx = new SqliteTransactions(db);
    this.memories = new MemoriesTable(db);
    this.search = new MemorySearch(db, this.memories);
    this.auditLeaves = new AuditLeavesTable(db);
    this.checkpoints = new CheckpointsTable(db);
    this.state = new VaultStateTable(db);
    this.tx.enlist(this.memories);
    this.tx.enlist(this.auditLeaves);
  }

  transaction<T>(fn: () => T, durability: Durability): T {
    return this.tx.run(fn, durability);
  }

  flushCommitted(): Promise<void> {
    return this.flusher.flush();
  }

  inTransaction(): boolean {
    return this.tx.inTransaction();
  }

  insertMemory(row: MemoryRow, text: SearchText): void {
    this.memories.insertMemory(row, text);
  }

  getMemory(id: MemoryId): MemoryRow | undefined {
    return this.memories.getMemory(id);
  }

  /** For writers that change memory rows without this repository (key rotation). */
  forgetCachedMemories(): void {
    this.memories.forgetCachedMemories();
  }

  findMemoryByShortId(shortId: string): MemoryRow[] {
    return this.memories.findMemoryByShortId(shortId);
  }

  markRecalled(id: MemoryId, at: number): void {
    this.memories.markRecalled(id, at);
  }

  updateMemoryLabels(id: MemoryId, labels: Pick<MemoryRow, 'title' | 'tags' | 'metadata'>, text: Omit<SearchText, 'content'>): void {
    this.memories.updateLabels(id, labels, text);
  }

  tombstone(id: MemoryId, at: number): void {
    this.memories.tombstone(id, at);
  }

  deleteMemories(ids: readonly MemoryId[]): void {
    this.memories.deleteMemories(ids);
  }

  expiredEphemeral(now: number, limit: number): MemoryId[] {
    return this.memories.expiredEphemeral(now, limit);
  }

  listMemories(filter: MemoryFilter): MemoryRow[] {
    return this.memories.listMemories(filter);
  }

  searchMemories(ftsQuery: string, filter: MemoryFilter): MemoryRow[] {
    return this.search.searchMemories(ftsQuery, filter);
  }

  countByLevel(): Record<Level, number> {
    return this.memories.countByLevel();
  }

  appendAuditRecord(record: StoredAuditRecord, storedHashes: readonly Buffer[], firstHashIndex: number): void {
    this.auditLeaves.appendAuditRecord(record, storedHashes, firstHashIndex);
  }

  auditSize(): number {
    return this.auditLeaves.auditSize();
  }

  readAuditRecords(fromSeq: number, count: number): StoredAuditRecord[] {
    return this.auditLeaves.readAuditRecords(fromSeq, count);
  }

  queryAudit(filter: AuditRecordFilter): StoredAuditRecord[] {
    return this.auditLeaves.queryAudit(filter);
  }

  readStoredHashes(indexes: readonly number[]): Buffer[] {
    return this.auditLeaves.readHashes(indexes);
  }

  readStoredHashRange(fromIndex: number, count: number): [number, Buffer][] {
    return this.auditLeaves.readStoredHashRange(fromIndex, count);
  }

  insertCheckpoint(c: StoredCheckpoint): void {
    this.checkpoints.insertCheckpoint(c);
  }

  latestCheckpoint(): StoredCheckpoint | undefined {
    return this.checkpoints.latestCheckpoint();
  }

  checkpointAt(size: number): StoredCheckpoint | undefined {
    return this.checkpoints.checkpointAt(size);
  }

  listCheckpoints(): StoredCheckpoint[] {
    return this.checkpoints.listCheckpoints();
  }

  getState(key: string): string | undefined {
    return this.state.getState(key);
  }

  setState(key: string, value: string): void {
    this.state.setState(key, value);
  }
}
