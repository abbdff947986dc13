// Storage port: the engine's only way to the database. Implementations must make every write
// inside `transaction` atomic (memory row, search row and audit leaf commit together) and honour
// the durability asked for (DESIGN §4: owner/security events and level ≥ 3 recalls are fsynced).
import type { Level } from '../levels.js';
import type { MemoryId, MemoryRow } from '../model/memory.js';

export type Durability = 'normal' | 'full';

export interface SearchText {
  readonly title: string;
  readonly tags: string;
  readonly metadata: string;
  /** '' for levels ≥ 3: their content is never indexed. */
  readonly content: string;
}

export interface MemoryFilter {
  readonly levels: readonly Level[];
  /** null = all namespaces */
  readonly namespaces: readonly string[] | null;
  readonly includeTombstoned: boolean;
  readonly limit: number;
  readonly offset: number;
}

export interface StoredAuditRecord {
  readonly seq: number;
  readonly ts: number;
  readonly kind: string;
  readonly json: string;
  readonly leafHash: Buffer;
}

export interface AuditRecordFilter {
  readonly kind?: string;
  readonly memoryId?: string;
  readonly actorId?: string;
  readonly outcome?: string;
  readonly fromTs?: number;
  readonly toTs?: number;
  readonly afterSeq?: number;
  /** Only records with seq below this (the cursor of a newest-first listing). */
  readonly beforeSeq?: number;
  /** Newest first (descending seq): the audit browser's default order. */
  readonly newestFirst?: boolean;
  readonly limit: number;
}

export interface StoredCheckpoint {
  readonly size: number;
  readonly root: Buffer;
  /** The signed note, verbatim. */
  readonly note: string;
  readonly createdAt: number;
}

/** Atomic scopes: every write of the parts below runs inside one. */
export interface TransactionPort {
  /** Run `fn` in one write transaction; nested calls become savepoints. */
  transaction<T>(fn: () => T, durability: Durability): T;
  /** False when the storage engine aborted the enclosing transaction (e.g. disk full). */
  inTransaction(): boolean;
  /**
   * Optional: make every commit so far durable off the event loop (the node store fsyncs the
   * WAL file in the file system's threads). Where it exists the commit queue commits its 'full'
   * batches without the in-line fsync and acknowledges them only once this resolves.
   */
  flushCommitted?(): Promise<void>;
}

/** The memories table and its search index. */
export interface MemoryStorePort {
  insertMemory(row: MemoryRow, text: SearchText): void;
  getMemory(id: MemoryId): MemoryRow | undefined;
  findMemoryByShortId(shortId: string): MemoryRow[];
  markRecalled(id: MemoryId, at: number): void;
  /** Crypto-shred: drop wrapped DEK, ciphertext and search row; keep metadata for the audit trail. */
  tombstone(id: MemoryId, at: number): void;
  /** The owner's edit of a memory's title, tags and metadata, and their search columns (content's stays). */
  updateMemoryLabels(id: MemoryId, labels: Pick<MemoryRow, 'title' | 'tags' | 'metadata'>, text: Omit<SearchText, 'content'>): void;
  deleteMemories(ids: readonly MemoryId[]): void;
  expiredEphemeral(now: number, limit: number): MemoryId[];
  listMemories(filter: MemoryFilter): MemoryRow[];
  searchMemories(ftsQuery: string, filter: MemoryFilter): MemoryRow[];
  countByLevel(): Record<Level, number>;
}

/** The audit log's leaves and Merkle stored hashes. */
export interface AuditLeafStorePort {
  /** Append one audit record at `seq` (= current size) together with its Merkle stored hashes. */
  appendAuditRecord(record: StoredAuditRecord, storedHashes: readonly Buffer[], firstHashIndex: number): void;
  auditSize(): number;
  readAuditRecords(fromSeq: number, count: number): StoredAuditRecord[];
  queryAudit(filter: AuditRecordFilter): StoredAuditRecord[];
  readStoredHashes(indexes: readonly number[]): Buffer[];

  /** Stored Merkle hashes with index >= fromIndex, in index order (full verification pages through). */
  readStoredHashRange(fromIndex: number, count: number): [number, Buffer][];
}

/** Signed checkpoints, keyed by tree size. */
export interface CheckpointStorePort {
  insertCheckpoint(c: StoredCheckpoint): void;
  latestCheckpoint(): StoredCheckpoint | undefined;
  checkpointAt(size: number): StoredCheckpoint | undefined;
  listCheckpoints(): StoredCheckpoint[];
}

/** Named vault state (one text value per key). */
export interface VaultStatePort {
  getState(key: string): string | undefined;
  setState(key: string, value: string): void;
}

/**
 * The whole port, composed from its per-table parts (as the SQLite side is split by table).
 * Engine code takes the whole; a consumer that needs one table can name just that part.
 */
export interface VaultRepository extends TransactionPort, MemoryStorePort, AuditLeafStorePort, CheckpointStorePort, VaultStatePort {}
