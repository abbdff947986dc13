import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeVaultRepositoryContract } from '../../../tests/support/vault-repository-contract.js';
import { createEncryptedDatabase } from './encrypted-database.js';
import { SqliteVaultRepository } from './sqlite-vault-repository.js';

describeVaultRepositoryContract('SqliteVaultRepository', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mv-repo-contract-'));
  const db = createEncryptedDatabase(join(dir, 'vault.db'), Buffer.alloc(32, 7));
  return {
    repo: new SqliteVaultRepository(db),
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
