// The storage port of the Merkle log: the only way tree code reads hashes. It is synchronous
// because the SQLite driver is; the store backs it with `tree_hashes(idx INTEGER PRIMARY KEY, hash BLOB)`.
import type { Hash } from './hash.js';

export interface HashReader {
  /**
   * The hashes stored at the given storage indexes (see storedHashIndex), in the same order.
   * Must return exactly one 32-byte hash per index, or throw (a missing row is storage corruption).
   * Indexes are requested in increasing order where the algorithm allows it.
   */
  readHashes(indexes: readonly number[]): Hash[];
}
