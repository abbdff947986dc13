// The Merkle code's 12-line storage port (HashReader) answered by the vault repository's stored
// node hashes. Its own module so the checkpointer, the proofs and the external checkpoint record
// can all read the tree without importing one another.
import type { HashReader } from '../audit/index.js';
import type { VaultRepository } from '../ports/vault-repository.port.js';

export function hashReaderOf(repo: Pick<VaultRepository, 'readStoredHashes'>): HashReader {
  return { readHashes: (indexes) => repo.readStoredHashes(indexes) };
}
