// HardwareKeyPort over FIDO2: the secret that wraps level-5 memories is the hmac-secret output
// of an enrolled credential for the memory's salt, obtained with the owner's touch.
import { VaultError, isVaultError } from '../../core/errors.js';
import type {
  HardwareKeyCredential,
  HardwareKeyPort,
  HardwareSecretRequest,
  HardwareSecretResult,
} from '../../core/ports/hardware-key.port.js';
import type { HidDeviceDescriptor, HidTransport } from './hid-device.port.js';
import type { CtapHidChannelOptions } from './ctaphid-channel.js';
import { cancelledError } from './ctaphid-channel.js';
import { ClientPin, PIN_PERMISSION } from './client-pin.js';
import { CTAP2_STATUS } from './ctap2-status.js';
import { parseAuthenticatorData } from './authenticator-data.js';
import { openSession, type Fido2Session } from './fido2-session.js';
import { keepaliveReporter, type Fido2StatusListener, type PinProvider } from './fido2-status.js';
import { HMAC_SECRET, hmacSecretGetExtension, hmacSecretOutput } from './hmac-secret.js';
import { applyAssertion, decodeRecordKey, type Fido2KeyRecord, type SignCountUpdate } from './key-lifecycle.js';
import { authenticate, type SharedSecret } from './pin-uv-protocol.js';
import { VAULT_RP_ID, buildClientData, verifyAssertion } from './webauthn-verify.js';

export interface Fido2HardwareKeyOptions {
  readonly transport: HidTransport;
  /** The enrolled keys, as the store currently holds them. */
  readonly records: () => readonly Fido2KeyRecord[];
  /** Needed for keys enrolled with their PIN (record.userVerification). */
  readonly pin?: PinProvider;
  readonly onStatus?: Fido2StatusListener;
  /** Persist the new sign counter; `cloneSuspected` asks the UI to warn the owner. */
  readonly onRecordUpdate?: (update: SignCountUpdate) => void;
  /** How long to wait for a key to be plugged in before TOKEN_REQUIRED; 0 fails at once. */
  readonly insertTimeoutMs?: number;
  readonly devicePollMs?: number;
  readonly channel?: Omit<CtapHidChannelOptions, 'signal'>;
}

const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
const isNoCredentials = (e: unknown): boolean => isVaultError(e) && e.details['ctapStatus'] === CTAP2_STATUS.CTAP2_ERR_NO_CREDENTIALS;

function mismatch(): VaultError {
  return new VaultError('TOKEN_MISMATCH', 'The security key that answered is not one enrolled for this memory.');
}

export class Fido2HardwareKey implements HardwareKeyPort {
  constructor(private readonly options: Fido2HardwareKeyOptions) {}

  enrolledCredentials(): readonly HardwareKeyCredential[] {
    return this.options.records().map((r) => ({ credentialId: r.credentialId }));
  }

  async deriveSecret(request: HardwareSecretRequest): Promise<HardwareSecretResult> {
    if (request.salt.length !== 32) throw new VaultError('INVALID_INPUT', 'The hardware-key salt must be 32 bytes.');
    const enrolled = new Map(this.options.records().map((r) => [r.credentialId, r]));
    const allowed = request.allowCredentials.flatMap((c) => enrolled.get(c.credentialId) ?? []);
    if (allowed.length === 0) throw new VaultError('INVALID_INPUT', 'None of the allowed credentials is enrolled.');
    const devices = await this.waitForDevices(request);
    let lastError: unknown = mismatch();
    for (const descriptor of devices) {
      let session: Fido2Session;
      try {
        session = await openSession(await this.options.transport.open(descriptor.path), {
          ...this.options.channel,
          signal: request.signal,
        });
      } catch (e) {
        if (request.signal?.aborted) throw cancelledError();
        lastError = e;
        continue;
      }
      try {
        const record = await this.findCredential(session, allowed, request.signal);
        if (record === undefined) {
          lastError = mismatch();
          continue;
        }
        return await this.assert(session, record, request);
      } finally {
        await session.close().catch(() => undefined);
      }
    }
    throw lastError;
  }

  /** Plugged-in FIDO devices; while none, say "insert your key" and poll until the deadline. */
  private async waitForDevices(request: HardwareSecretRequest): Promise<readonly HidDeviceDescriptor[]> {
    const deadline = Date.now() + (this.options.insertTimeoutMs ?? 0);
    let announced = false;
    for (;;) {
      if (request.signal?.aborted) throw cancelledError();
      let found: readonly HidDeviceDescriptor[];
      try {
        found = await this.options.transport.list();
      } catch (e) {
        throw new VaultError('FIDO2_ERROR', 'USB HID access is unavailable on this system.', {
          reason: 'hid-unavailable',
          cause: e instanceof Error ? e.message : 'unknown',
        });
      }
      if (found.length > 0) return found;
      if (Date.now() >= deadline) throw new VaultError('TOKEN_REQUIRED', 'Insert the security key enrolled for this memory.');
      if (!announced) this.options.onStatus?.({ kind: 'insert-key', reason: request.reason });
      announced = true;
      await new Promise((r) => setTimeout(r, this.options.devicePollMs ?? 250));
    }
  }

  /**
   * Silent probe (getAssertion with up=false, CTAP 2.1 §6.2) so that with several keys
   * plugged in only the right one asks for a touch. NO_CREDENTIALS means "not this key".
   */
  private async findCredential(
    session: Fido2Session,
    allowed: readonly Fido2KeyRecord[],
    signal?: AbortSignal,
  ): Promise<Fido2KeyRecord | undefined> {
    try {
      const probe = await session.client.getAssertion(
        {
          rpId: VAULT_RP_ID,
          clientDataHash: buildClientData('webauthn.get').hash,
          allowList: allowed.map((r) => ({ id: new Uint8Array(Buffer.from(r.credentialId, 'base64url')) })),
          options: { up: false },
        },
        { signal },
      );
      return allowed.find((r) => r.credentialId === b64u(probe.credential.id));
    } catch (e) {
      if (isNoCredentials(e)) return undefined;
      throw e;
    }
  }

  private async assert(session: Fido2Session, record: Fido2KeyRecord, request: HardwareSecretRequest): Promise<HardwareSecretResult> {
    const { client, info } = session;
    const signal = request.signal;
    const clientData = buildClientData('webauthn.get');
    const pinClient = new ClientPin(client, info);
    let shared: SharedSecret;
    let pinAuth: { pinUvAuthParam: Uint8Array; pinUvAuthProtocol: number } | undefined;
    if (record.userVerification) {
      // The secret enrolled with UV comes from CredRandomWithUV (§12.5): without the PIN the
      // key would answer with a different, useless secret, so refuse clearly instead.
      if (this.options.pin === undefined) {
        throw new VaultError('FIDO2_ERROR', `Security key "${record.name}" needs its PIN, but no PIN prompt is available.`, {
          reason: 'pin-required',
        });
      }
      this.options.onStatus?.({ kind: 'enter-pin', reason: request.reason, keyName: record.name });
      const pin = await this.options.pin({ reason: request.reason, keyName: record.name });
      if (pin === undefined || signal?.aborted) throw cancelledError();
      const token = await pinClient.getPinToken(pin, { permissions: PIN_PERMISSION.GA, rpId: VAULT_RP_ID }, { signal });
      shared = token.shared;
      pinAuth = { pinUvAuthParam: authenticate(pinClient.protocol, token.token, clientData.hash), pinUvAuthProtocol: pinClient.protocol };
      token.token.fill(0);
    } else {
      shared = await pinClient.sharedSecret({ signal });
    }
    this.options.onStatus?.({ kind: 'touch-key', reason: request.reason });
    let response;
    try {
      response = await client.getAssertion(
        {
          rpId: VAULT_RP_ID,
          clientDataHash: clientData.hash,
          allowList: [{ id: new Uint8Array(Buffer.from(record.credentialId, 'base64url')) }],
          extensions: hmacSecretGetExtension(shared, request.salt),
          options: { up: true },
          ...pinAuth,
        },
        { signal, onKeepalive: keepaliveReporter(this.options.onStatus, request.reason) },
      );
    } catch (e) {
      if (isNoCredentials(e)) throw mismatch();
      throw e;
    }
    if (b64u(response.credential.id) !== record.credentialId) throw mismatch();
    const authData = parseAuthenticatorData(response.authData);
    const secret = hmacSecretOutput(shared, authData.extensions?.get(HMAC_SECRET));
    try {
      const verified = await verifyAssertion({
        response,
        clientData,
        credential: decodeRecordKey(record),
        requireUserVerification: record.userVerification,
      });
      this.options.onRecordUpdate?.(applyAssertion(record, verified));
    } catch (e) {
      secret.fill(0);
      throw e;
    }
    return { credentialId: record.credentialId, secret };
  }
}
