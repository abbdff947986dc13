// An in-memory HashReader plus append, for tests and for tools that hold a small log in memory.
// It follows the same write discipline as the SQLite store: rows are only ever appended.
import { assert } from './assert.js';
import type { Hash } from './hash.js';
import { HASH_SIZE } from './hash.js';
import type { HashReader } from './hash-reader.port.js';
import { storedHashCount, storedHashIndex } from './stored-hash-index.js';
import { storedHashesForRecordHash } from './tree.js';

export class MemoryHashStore implements HashReader {
  private readonly hashes: Hash[] = [];
  private records = 0;
  /** Every index ever requested, so tests can assert how much a call read. */
  readonly reads: number[] = [];

  get size(): number {
    return this.records;
  }

  readHashes(indexes: readonly number[]): Hash[] {
    return indexes.map((i) => {
      this.reads.push(i);
      const h = this.hashes[i];
      if (h === undefined) throw new Error(`MemoryHashStore: no hash at index ${i}`);
      return h;
    });
  }

  /** Appends the record whose leaf hash is leafHash; returns its index. */
  appendLeafHash(leafHash: Hash): number {
    assert(leafHash.length === HASH_SIZE, 'appendLeafHash: leaf hash must be 32 bytes');
    const n = this.records;
    const fresh = storedHashesForRecordHash(n, leafHash, this);
    assert(this.hashes.length === storedHashIndex(0, n), 'MemoryHashStore: layout out of step');
    this.hashes.push(...fresh);
    this.records = n + 1;
    assert(this.hashes.length === storedHashCount(this.records), 'MemoryHashStore: count out of step');
    return n;
  }
}
