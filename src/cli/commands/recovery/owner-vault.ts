// Like withVault, but the command also receives the credentials the owner presented: key
// rotation, escrow and the dead-man recovery key need the profile key again, and re-deriving
// it from the credentials is the owner's re-authentication.
import type { Credentials } from '../../../node/vault/credentials.js';
import { resolveVaultDir } from '../../../node/vault/vault-paths.js';
import { unlockVault } from '../../../node/composition/vault-sessions.js';
import { type VaultSession } from '../../../node/vault/vault-session.js';
import { VaultBoundaryGate } from '../../../node/integrations/vault-boundary-gate.js';
import { terminalApprover } from '../../io/terminal-approver.js';
import { credentialsFor, type GlobalOptions } from '../../io/vault-access.js';
import { terminalHardwareKey } from '../../io/terminal-hardware-key.js';

export async function withOwnerVault<T>(g: GlobalOptions, fn: (session: VaultSession, credentials: Credentials) => Promise<T>): Promise<T> {
  const dir = resolveVaultDir(g.vault);
  const credentials = await credentialsFor(dir, g);
  const environment = new VaultBoundaryGate();
  const session = await unlockVault({
    dir,
    credentials,
    channel: 'cli',
    gates: { approvals: terminalApprover(), environment },
    hardwareKey: terminalHardwareKey(),
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
  });
  environment.attach(session.repo);
  try {
    return await fn(session, credentials);
  } finally {
    session.close();
  }
}
