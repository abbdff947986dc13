// The OPAQUE password for the owner: derived from the credential the vault is unlocked with, the
// same way on the server (registration at unlock) and the client (login). A TPM-bound vault has
// no secret the owner types, so it has no owner-socket login.
import type { Credentials } from '../vault/credentials.js';

export function ownerPasswordOf(credentials: Credentials): string | null {
  switch (credentials.kind) {
    case 'passphrase':
      return credentials.passphrase;
    case 'keyfile':
      // Domain-separated so a keyfile can never equal a typed passphrase.
      return `memory-vault keyfile v1:${Buffer.from(credentials.keyfile).toString('base64')}`;
    case 'tpm2':
      return null;
  }
}
