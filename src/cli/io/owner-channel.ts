// Owner commands while a server holds the vault: log in on its owner socket with the owner's
// credentials instead of opening the database a second time.
import { readFileSync } from 'node:fs';
import { OwnerClient } from '../../node/agent-api/owner-client.js';
import { readPassphrase } from './tty-prompt.js';
import type { GlobalOptions } from './vault-access.js';

export async function withOwnerChannel<T>(g: GlobalOptions, socketPath: string, fn: (c: OwnerClient) => Promise<T>): Promise<{ used: true; value: T } | { used: false }> {
  const client = await OwnerClient.tryConnect(socketPath);
  if (!client) return { used: false };
  try {
    const login = g.keyfile ? { keyfileBase64: readFileSync(g.keyfile).toString('base64') } : { passphrase: await readPassphrase({ confirm: false }) };
    await client.call('owner.login', login);
    return { used: true, value: await fn(client) };
  } finally {
    client.close();
  }
}
