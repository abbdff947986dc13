// Make every audit append of one event kind fail as a failing disk would (SQLITE_IOERR), the way
// tests/integration/group-commit.test.ts injects append failures. Returns the undo.
import type { VaultSession } from '../../src/node/vault/vault-session.js';

export function failAppendsOf(session: VaultSession, kind: string): () => void {
  const repo = session.repo;
  const original = repo.appendAuditRecord.bind(repo);
  repo.appendAuditRecord = (record, hashes, first) => {
    if (record.kind === kind) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    original(record, hashes, first);
  };
  return () => {
    repo.appendAuditRecord = original;
  };
}
