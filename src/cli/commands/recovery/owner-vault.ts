// Like withVault, but the command also receives the credentials the owner presented: key
// rotation, escrow and the dead-man recovery key need the profile key again, and re-deriving
// it from the credentials is the owner's re-authentication.
import type { Credentials } from '../../../node/vault/credentials.js';
import { resolveVaultDir } from '../../../node/vault/vault-paths.js';
import type { VaultSession } from '../../../node/vault/vault-session.js';
import { terminalApprover } from '../../io/terminal-approver.js';
import { credentialsFor, openOwnerSession, type GlobalOptions } from '../../io/vault-access.js';

export async function withOwnerVault<T>(g: GlobalOptions, fn: (session: VaultSession, credentials: Credentials) => Promise<T>): Promise<T> {
  const credentials = await credentialsFor(resolveVaultDir(g.vault), g);
  // The same composition as every owner command (boundary gate, FIDO2 key, TPM, unlock checks).
  const session = await openOwnerSession(g, { channel: 'cli', approvals: terminalApprover(), credentials });
  try {
    return await fn(session, credentials);
  } finally {
    session.close();
  }
}
