// The audit log's rows: one audit_events row per leaf and the Merkle stored hashes in
// tree_hashes. Implements the Merkle code's HashReader port directly, so the transparency code
// reads the tree from here without knowing SQL. Appends are in order only (seq = current size).
import type { HashReader } from '../../core/audit/index.js';
import { VaultError } from '../../core/errors.js';
import type { AuditRecordFilter, StoredAuditRecord } from '../../core/ports/vault-repository.port.js';
import type { SqliteDatabase } from './encrypted-database.js';
import { RowReader, TupleReader } from './row-reader.js';
import type { TransactionParticipant } from './transaction.js';
import { Command, Query } from './typed-statement.js';

function parseAuditRow(row: unknown): StoredAuditRecord {
  const r = RowReader.of(row, 'audit_events');
  return { seq: r.int('seq'), ts: r.int('ts'), kind: r.text('kind'), json: r.text('json'), leafHash: r.blob('leaf_hash') };
}
const hashOf = (row: unknown): Buffer => RowReader.of(row, 'tree_hashes').blob('hash');
const indexedHash = (row: unknown): [number, Buffer] => {
  const t = TupleReader.of(row, 'tree_hashes');
  return [t.int(0), t.blob(1)];
};
const countOf = (row: unknown): number => RowReader.of(row, 'audit_events').int('n');

export class AuditLeavesTable implements HashReader, TransactionParticipant {
  private size: number;
  private readonly insertEvent: Command<[number, number, string, string, Buffer]>;
  private readonly insertHash: Command<[number, Buffer]>;
  private readonly hashAt: Query<[number], Buffer>;
  private readonly hashesFrom: Query<[number, number], [number, Buffer]>;
  private readonly eventsFrom: Query<[number, number], StoredAuditRecord>;

  constructor(private readonly db: SqliteDatabase) {
    this.insertEvent = new Command(db, 'INSERT INTO audit_events (seq, ts, kind, json, leaf_hash) VALUES (?, ?, ?, ?, ?)');
    this.insertHash = new Command(db, 'INSERT INTO tree_hashes (idx, hash) VALUES (?, ?)');
    this.hashAt = new Query(db, 'SELECT hash FROM tree_hashes WHERE idx = ?', hashOf);
    // raw(): rows come back as [idx, hash] arrays, without an object per row (full verification reads millions).
    this.hashesFrom = new Query(db, 'SELECT idx, hash FROM tree_hashes WHERE idx >= ? ORDER BY idx LIMIT ?', indexedHash, { raw: true });
    this.eventsFrom = new Query(db, 'SELECT * FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?', parseAuditRow);
    this.size = new Query<[], number>(db, 'SELECT coalesce(max(seq) + 1, 0) AS n FROM audit_events', countOf).get() ?? 0;
  }

  onScopeOpen(): () => void {
    const before = this.size;
    return () => {
      this.size = before;
    };
  }

  /** Append one audit record at `seq` (= current size) together with its Merkle stored hashes. */
  appendAuditRecord(record: StoredAuditRecord, storedHashes: readonly Buffer[], firstHashIndex: number): void {
    // A bug, not a bad input: the writer computes seq from auditSize().
    if (record.seq !== this.size) throw new Error(`audit append out of order: ${record.seq} != ${this.size}`);
    this.insertEvent.run(record.seq, record.ts, record.kind, record.json, record.leafHash);
    storedHashes.forEach((h, i) => this.insertHash.run(firstHashIndex + i, h));
    this.size++;
  }

  auditSize(): number {
    return this.size;
  }

  readAuditRecords(fromSeq: number, count: number): StoredAuditRecord[] {
    return this.eventsFrom.all(fromSeq, count);
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
    add('seq < ?', filter.beforeSeq);
    add('ts >= ?', filter.fromTs);
    add('ts <= ?', filter.toTs);
    add("json_extract(json, '$.memory.id') = ?", filter.memoryId);
    add("json_extract(json, '$.actor.id') = ?", filter.actorId);
    add("json_extract(json, '$.outcome') = ?", filter.outcome);
    const q = new Query<(string | number)[], StoredAuditRecord>(
      this.db,
      `SELECT * FROM audit_events WHERE ${clauses.join(' AND ')} ORDER BY seq ${filter.newestFirst ? 'DESC' : 'ASC'} LIMIT ?`,
      parseAuditRow,
    );
    return q.all(...params, filter.limit);
  }

  /** HashReader (core/audit/merkle/hash-reader.port.ts): a missing row is storage corruption. */
  readHashes(indexes: readonly number[]): Buffer[] {
    return indexes.map((i) => {
      const h = this.hashAt.get(i);
      if (!h) throw new VaultError('INTEGRITY_FAILURE', `The audit tree is missing stored hash ${i}.`);
      return h;
    });
  }

  /** Stored Merkle hashes with index >= fromIndex, in index order (full verification pages through). */
  readStoredHashRange(fromIndex: number, count: number): [number, Buffer][] {
    return this.hashesFrom.all(fromIndex, count);
  }
}
