// Owner commands while a server holds the vault: log in on its owner socket with OPAQUE (the
// passphrase or keyfile never crosses the socket) instead of opening the database a second time.
import { OwnerClient } from '../../node/agent-api/owner-client.js';
import { ownerPasswordOf } from '../../node/owner-channel/owner-secret.js';
import { isVaultError, VaultError } from '../../core/errors.js';
import { wrappingKeyFor, type Credentials } from '../../node/vault/credentials.js';
import { readVaultHeader } from '../../node/vault/vault-header.js';
import { vaultPaths } from '../../node/vault/vault-paths.js';
import { unwrapProfileKey } from '../../core/keys/profile-keys.js';
import { zeroize } from '../../core/crypto/keys.js';
import { dirname } from 'node:path';
import { readKeyfile, type GlobalOptions } from './vault-access.js';
import { readPassphrase } from './tty-prompt.js';

/**
 * The login failed without the server proving itself. Wrong credential and impostor look the
 * same on the wire, so tell them apart locally against the vault header (nothing is sent): a
 * credential that opens the header means the server is not genuine.
 */
async function explainUntrusted(socketPath: string, credentials: Credentials): Promise<VaultError> {
  const untrusted = new VaultError(
    'SERVER_UNTRUSTED',
    'The process answering on owner.sock did not prove it holds this vault; nothing was sent to it. Stop it and restart `memory-vault serve`.',
  );
  let wk: Buffer | undefined;
  try {
    const header = readVaultHeader(vaultPaths(dirname(socketPath)).header);
    const profile = header.profiles[0];
    if (!profile) return untrusted;
    wk = await wrappingKeyFor(profile.source, credentials);
    zeroize(unwrapProfileKey(wk, profile.wrappedProfileKey, header.vaultId, profile.id));
    return untrusted;
  } catch (e) {
    if (isVaultError(e) && e.code === 'BAD_CREDENTIALS') return new VaultError('BAD_CREDENTIALS', 'The passphrase (or keyfile) is wrong.');
    return untrusted;
  } finally {
    zeroize(wk);
  }
}

export async function withOwnerChannel<T>(
  g: GlobalOptions,
  socketPath: string,
  fn: (c: OwnerClient) => Promise<T>,
): Promise<{ used: true; value: T } | { used: false }> {
  // Is a server there? Ask before prompting (no server: the command opens the vault itself) but
  // connect for the login only after the prompt, so a slow typist does not hit the login deadline.
  const probe = await OwnerClient.tryConnect(socketPath);
  if (!probe) return { used: false };
  probe.close();
  const credentials: Credentials = g.keyfile
    ? { kind: 'keyfile', keyfile: readKeyfile(g.keyfile) }
    : { kind: 'passphrase', passphrase: await readPassphrase({ confirm: false }) };
  const client = await OwnerClient.tryConnect(socketPath);
  if (!client) throw new VaultError('VAULT_LOCKED', 'The vault server stopped while the passphrase was being read.');
  try {
    const password = ownerPasswordOf(credentials);
    if (password === null) throw new VaultError('UNAUTHORIZED', 'Owner commands over the socket need the passphrase or keyfile.');
    try {
      await client.login(password);
    } catch (e) {
      if (isVaultError(e) && e.code === 'SERVER_UNTRUSTED') throw await explainUntrusted(socketPath, credentials);
      throw e;
    } finally {
      if (credentials.kind === 'keyfile') zeroize(credentials.keyfile);
    }
    return { used: true, value: await fn(client) };
  } finally {
    client.close();
  }
}
