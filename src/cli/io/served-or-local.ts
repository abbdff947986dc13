// Owner commands that keep working while `serve` or the desktop holds the vault (issue 16: they
// answered VAULT_BUSY): when a server answers on the vault's owner socket, log in there (OPAQUE,
// the credential never crosses) and ask it; otherwise open the vault in this process.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { OwnerClient } from '../../node/agent-api/owner-client.js';
import { resolveVaultDir } from '../../node/vault/vault-paths.js';
import { OWNER_SOCKET } from '../../node/agent-api/socket-names.js';
import type { VaultSession } from '../../node/vault/vault-session.js';
import { withVault, type GlobalOptions } from './vault-access.js';

export async function servedOrLocal<T>(
  g: GlobalOptions,
  served: (client: OwnerClient) => Promise<T>,
  local: (session: VaultSession) => Promise<T>,
): Promise<T> {
  const socket = join(resolveVaultDir(g.vault), OWNER_SOCKET);
  // No socket file, no server: skip loading the OPAQUE client (its WebAssembly costs memory a
  // large local backup would rather keep).
  if (existsSync(socket)) {
    const { withOwnerChannel } = await import('./owner-channel.js');
    const viaServer = await withOwnerChannel(g, socket, served);
    if (viaServer.used) return viaServer.value;
  }
  return withVault(g, local);
}
