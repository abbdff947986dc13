// What feature code may read from the vault's own tables (memories, audit leaves, checkpoints,
// vault_state) — the read half of the storage port, with no write and no transaction, so a
// feature holding it can change nothing; changes go through `engine.runAudited`.
import type { VaultRepository } from '../../core/ports/vault-repository.port.js';

export type VaultReads = Pick<
  VaultRepository,
  | 'getState'
  | 'getMemory'
  | 'queryAudit'
  | 'auditSize'
  | 'readAuditRecords'
  | 'readStoredHashes'
  | 'checkpointAt'
  | 'latestCheckpoint'
  | 'listCheckpoints'
>;
