// Enrolment: makeCredential with hmac-secret on an opened key, verified by
// @simplewebauthn/server, turned into a Fido2KeyRecord the store persists.
import { randomBytes } from 'node:crypto';
import { VaultError } from '../../core/errors.js';
import { ClientPin, PIN_PERMISSION } from './client-pin.js';
import { COSE_ALG } from './cose-key.js';
import type { Fido2Session } from './fido2-session.js';
import { keepaliveReporter, type Fido2StatusListener } from './fido2-status.js';
import { hmacSecretCreateExtension } from './hmac-secret.js';
import { recordFromRegistration, type Fido2KeyRecord } from './key-lifecycle.js';
import { authenticate } from './pin-uv-protocol.js';
import { VAULT_RP_ID, buildClientData, verifyRegistration } from './webauthn-verify.js';

export interface EnrollOptions {
  readonly name: string;
  /** Required when the key has a PIN set; the credential is then bound to UV. */
  readonly pin?: string;
  /** Already enrolled credential ids (base64url): the key refuses to enrol twice (excludeList). */
  readonly excludeCredentialIds?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onStatus?: Fido2StatusListener;
}

export async function enrollHardwareKey(session: Fido2Session, options: EnrollOptions): Promise<Fido2KeyRecord> {
  const { client, info } = session;
  const clientData = buildClientData('webauthn.create');
  const reason = `register security key "${options.name}"`;
  let pinAuth: { pinUvAuthParam: Uint8Array; pinUvAuthProtocol: number } | undefined;
  if (options.pin !== undefined) {
    if (info.options['clientPin'] !== true) throw new VaultError('INVALID_INPUT', 'This key has no PIN set; enrol it without a PIN.');
    const cp = new ClientPin(client, info);
    const { token } = await cp.getPinToken(options.pin, { permissions: PIN_PERMISSION.MC, rpId: VAULT_RP_ID }, { signal: options.signal });
    // CTAP 2.1 §6.1.2 step: pinUvAuthParam = authenticate(pinUvAuthToken, clientDataHash).
    pinAuth = { pinUvAuthParam: authenticate(cp.protocol, token, clientData.hash), pinUvAuthProtocol: cp.protocol };
    token.fill(0);
  }
  options.onStatus?.({ kind: 'touch-key', reason });
  const response = await client.makeCredential(
    {
      clientDataHash: clientData.hash,
      rp: { id: VAULT_RP_ID, name: 'Memory Vault' },
      user: { id: randomBytes(16), name: 'owner', displayName: 'Vault owner' },
      algorithms: [COSE_ALG.ES256, COSE_ALG.EdDSA],
      excludeList: (options.excludeCredentialIds ?? []).map((id) => ({ id: new Uint8Array(Buffer.from(id, 'base64url')) })),
      extensions: hmacSecretCreateExtension(),
      // Non-resident: the vault keeps the credential id, the key stays stateless.
      options: { rk: false },
      ...pinAuth,
    },
    { signal: options.signal, onKeepalive: keepaliveReporter(options.onStatus, reason) },
  );
  const verified = await verifyRegistration({ response, clientData, requireUserVerification: pinAuth !== undefined });
  return recordFromRegistration(verified, options.name);
}
