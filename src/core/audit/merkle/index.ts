// The Merkle log: RFC 6962 / RFC 9162 hashing over Go sumdb/tlog's stored-hash layout.
export { HASH_SIZE, emptyTreeHash, equalHashes, hashChildren, hashLeaf } from './hash.js';
export type { Hash } from './hash.js';
export { MerkleAssertionError } from './assert.js';
export type { HashReader } from './hash-reader.port.js';
export { splitStoredHashIndex, storedHashCount, storedHashIndex } from './stored-hash-index.js';
export { storedHashesForRecordHash, treeHash } from './tree.js';
export { checkRecord, checkTree, proveRecord, proveTree } from './prove.js';
export { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './verify.js';
export type { ProofCheck, ProofFailure } from './proof-result.js';
export { MemoryHashStore } from './memory-hash-store.js';
