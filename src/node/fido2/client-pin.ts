// authenticatorClientPIN (CTAP 2.1 §6.5): retries, key agreement, setPIN, and obtaining a
// pinUvAuthToken. The PIN itself never leaves this module in clear: only SHA-256(pin)[0..16]
// or the padded PIN, both encrypted under the ECDH shared secret.
import { createHash } from 'node:crypto';
import { VaultError, isVaultError } from '../../core/errors.js';
import type { TransactOptions } from './ctaphid-channel.js';
import type { Ctap2Client } from './ctap2-client.js';
import type { GetInfoResponse } from './ctap2-responses.js';
import { CTAP2_STATUS } from './ctap2-status.js';
import { authenticate, decrypt, encapsulate, encrypt, type PinUvProtocolVersion, type SharedSecret } from './pin-uv-protocol.js';

/** subCommand values, CTAP 2.1 §6.5.5. */
export const CLIENT_PIN_SUB = {
  GET_PIN_RETRIES: 0x01,
  GET_KEY_AGREEMENT: 0x02,
  SET_PIN: 0x03,
  CHANGE_PIN: 0x04,
  GET_PIN_TOKEN: 0x05,
  GET_PIN_UV_AUTH_TOKEN_USING_PIN_WITH_PERMISSIONS: 0x09,
} as const;

/** pinUvAuthToken permissions, CTAP 2.1 §6.5.5.7: mc = makeCredential, ga = getAssertion. */
export const PIN_PERMISSION = { MC: 0x01, GA: 0x02 } as const;

export interface PinToken {
  readonly token: Uint8Array;
  /** The shared secret the token was delivered under; reusable for hmac-secret salts. */
  readonly shared: SharedSecret;
}

/** Protocol Two when offered (§6.5.7 is the CTAP 2.1 default), else One. */
export function selectPinProtocol(info: GetInfoResponse): PinUvProtocolVersion {
  if (info.pinUvAuthProtocols.includes(2)) return 2;
  if (info.pinUvAuthProtocols.includes(1) || info.pinUvAuthProtocols.length === 0) return 1;
  throw new VaultError('FIDO2_ERROR', 'The hardware key offers no supported PIN protocol.', { reason: 'pin-protocol' });
}

/** §6.5.1: at least 4 code points, at most 63 bytes of UTF-8. */
export function validatePin(pin: string): Uint8Array {
  const utf8 = new TextEncoder().encode(pin.normalize('NFC'));
  if ([...pin].length < 4 || utf8.length > 63) {
    throw new VaultError('INVALID_INPUT', 'A PIN must have 4 to 63 bytes (at least 4 characters).');
  }
  return utf8;
}

export class ClientPin {
  readonly protocol: PinUvProtocolVersion;

  constructor(
    private readonly client: Ctap2Client,
    private readonly info: GetInfoResponse,
  ) {
    this.protocol = selectPinProtocol(info);
  }

  /** getPINRetries (§6.5.5.2). */
  async getRetries(options?: TransactOptions): Promise<number> {
    const r = await this.client.clientPin({ pinUvAuthProtocol: this.protocol, subCommand: CLIENT_PIN_SUB.GET_PIN_RETRIES }, options);
    if (r.pinRetries === undefined)
      throw new VaultError('FIDO2_ERROR', 'The hardware key did not report PIN retries.', { reason: 'response' });
    return r.pinRetries;
  }

  /** getKeyAgreement (§6.5.5.4) followed by encapsulate: a fresh shared secret each call. */
  async sharedSecret(options?: TransactOptions): Promise<SharedSecret> {
    const r = await this.client.clientPin({ pinUvAuthProtocol: this.protocol, subCommand: CLIENT_PIN_SUB.GET_KEY_AGREEMENT }, options);
    if (!r.keyAgreement) throw new VaultError('FIDO2_ERROR', 'The hardware key sent no key agreement key.', { reason: 'response' });
    return encapsulate(this.protocol, r.keyAgreement);
  }

  /** setPIN (§6.5.5.5): newPinEnc = encrypt(paddedPin to 64 bytes), authenticated with the secret. */
  async setPin(pin: string, options?: TransactOptions): Promise<void> {
    const utf8 = validatePin(pin);
    const padded = new Uint8Array(64);
    padded.set(utf8);
    const shared = await this.sharedSecret(options);
    const newPinEnc = encrypt(shared, padded);
    padded.fill(0);
    await this.client.clientPin(
      {
        pinUvAuthProtocol: this.protocol,
        subCommand: CLIENT_PIN_SUB.SET_PIN,
        keyAgreement: shared.platformKey,
        newPinEnc,
        pinUvAuthParam: authenticate(this.protocol, shared.secret, newPinEnc),
      },
      options,
    );
  }

  /**
   * A pinUvAuthToken for `permissions` on `rpId`. CTAP 2.1 keys advertise option
   * "pinUvAuthToken" and take getPinUvAuthTokenUsingPinWithPermissions (§6.5.5.7.2); 2.0 keys
   * only know getPinToken (§6.5.5.7.1). A wrong PIN is reported with the retries left.
   */
  async getPinToken(pin: string, scope: { permissions: number; rpId: string }, options?: TransactOptions): Promise<PinToken> {
    validatePin(pin);
    const shared = await this.sharedSecret(options);
    const pinHash = createHash('sha256').update(pin.normalize('NFC'), 'utf8').digest().subarray(0, 16);
    const withPermissions = this.info.options['pinUvAuthToken'] === true;
    try {
      const r = await this.client.clientPin(
        {
          pinUvAuthProtocol: this.protocol,
          subCommand: withPermissions ? CLIENT_PIN_SUB.GET_PIN_UV_AUTH_TOKEN_USING_PIN_WITH_PERMISSIONS : CLIENT_PIN_SUB.GET_PIN_TOKEN,
          keyAgreement: shared.platformKey,
          pinHashEnc: encrypt(shared, pinHash),
          ...(withPermissions ? { permissions: scope.permissions, rpId: scope.rpId } : {}),
        },
        options,
      );
      if (!r.pinUvAuthToken) throw new VaultError('FIDO2_ERROR', 'The hardware key sent no PIN token.', { reason: 'response' });
      return { token: decrypt(shared, r.pinUvAuthToken), shared };
    } catch (e) {
      if (isVaultError(e) && e.details['ctapStatus'] === CTAP2_STATUS.CTAP2_ERR_PIN_INVALID) {
        const retries = await this.getRetries(options);
        throw new VaultError('FIDO2_ERROR', `The PIN is wrong; ${retries} attempt(s) left before the key locks.`, {
          reason: 'pin-invalid',
          ctapStatus: CTAP2_STATUS.CTAP2_ERR_PIN_INVALID,
          pinRetries: retries,
        });
      }
      throw e;
    } finally {
      pinHash.fill(0);
    }
  }
}
