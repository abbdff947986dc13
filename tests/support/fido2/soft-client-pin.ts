// authenticatorClientPIN state of the test key: PIN, retries, key agreement, pinUvAuthToken
// with permissions (CTAP 2.1 §6.5). Returns CTAP status codes like a real key.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SoftKeyAgreement, softDecrypt, softEncrypt, softVerify, type SoftProtocol } from './soft-pin-protocol.js';
import { bytesOf, mapOf } from './soft-cbor.js';

export const ST = {
  OK: 0x00,
  INVALID_CBOR: 0x12,
  MISSING_PARAMETER: 0x14,
  UNSUPPORTED_ALGORITHM: 0x26,
  CREDENTIAL_EXCLUDED: 0x19,
  OPERATION_DENIED: 0x27,
  KEEPALIVE_CANCEL: 0x2d,
  NO_CREDENTIALS: 0x2e,
  USER_ACTION_TIMEOUT: 0x2f,
  PIN_INVALID: 0x31,
  PIN_BLOCKED: 0x32,
  PIN_AUTH_INVALID: 0x33,
  PIN_AUTH_BLOCKED: 0x34,
  PIN_NOT_SET: 0x35,
  PUAT_REQUIRED: 0x36,
  PIN_POLICY_VIOLATION: 0x37,
  INVALID_SUBCOMMAND: 0x3e,
  UNAUTHORIZED_PERMISSION: 0x40,
} as const;

export type PinResult = { status: number; body?: Map<number, unknown> };

interface Token {
  value: Uint8Array;
  protocol: SoftProtocol;
  permissions: number;
  rpId: string | undefined;
}

export class SoftClientPin {
  readonly keyAgreement = new SoftKeyAgreement();
  pin: Uint8Array | undefined; // SHA-256(pin)[0..16], as a real key stores it
  retries = 8;
  private consecutiveMismatches = 0;
  private token: Token | undefined;

  constructor(
    readonly protocols: readonly SoftProtocol[],
    initialPin?: string,
  ) {
    if (initialPin !== undefined) this.pin = createHash('sha256').update(initialPin).digest().subarray(0, 16);
  }

  /** Power cycle: clears the "3 wrong PINs in a row" block and the token. */
  powerCycle(): void {
    this.consecutiveMismatches = 0;
    this.token = undefined;
    this.keyAgreement.regenerate();
  }

  /** Checks a pinUvAuthParam over `message`; returns a status (OK means UV was performed). */
  checkToken(protocol: unknown, param: Uint8Array, message: Uint8Array, permission: number, rpId: string): number {
    const t = this.token;
    if (t === undefined || protocol !== t.protocol || !softVerify(t.protocol, t.value, message, param)) return ST.PIN_AUTH_INVALID;
    if ((t.permissions & permission) === 0 || (t.rpId !== undefined && t.rpId !== rpId)) return ST.UNAUTHORIZED_PERMISSION;
    return ST.OK;
  }

  handle(req: Map<unknown, unknown>): PinResult {
    const protocol = req.get(1);
    const sub = req.get(2);
    if (protocol !== 1 && protocol !== 2) return { status: ST.MISSING_PARAMETER };
    if (!this.protocols.includes(protocol)) return { status: 0x02 }; // CTAP1_ERR_INVALID_PARAMETER
    switch (sub) {
      case 0x01: // getPINRetries §6.5.5.2
        return {
          status: ST.OK,
          body: new Map<number, unknown>([
            [3, this.retries],
            [4, false],
          ]),
        };
      case 0x02: // getKeyAgreement §6.5.5.4
        return { status: ST.OK, body: new Map<number, unknown>([[1, this.keyAgreement.coseKey()]]) };
      case 0x03:
        return this.setPin(protocol, req);
      case 0x05:
      case 0x09:
        return this.getToken(protocol, req, sub === 0x09);
      default:
        return { status: ST.INVALID_SUBCOMMAND };
    }
  }

  private shared(protocol: SoftProtocol, req: Map<unknown, unknown>): Uint8Array | undefined {
    const platformKey = mapOf(req.get(3));
    return platformKey ? this.keyAgreement.sharedSecret(protocol, platformKey) : undefined;
  }

  /** setPIN §6.5.5.5. */
  private setPin(protocol: SoftProtocol, req: Map<unknown, unknown>): PinResult {
    const newPinEnc = bytesOf(req.get(5));
    const param = bytesOf(req.get(4));
    const shared = this.shared(protocol, req);
    if (!newPinEnc || !param || !shared) return { status: ST.MISSING_PARAMETER };
    if (this.pin !== undefined) return { status: ST.PIN_AUTH_INVALID };
    if (!softVerify(protocol, shared, newPinEnc, param)) return { status: ST.PIN_AUTH_INVALID };
    const padded = softDecrypt(protocol, shared, newPinEnc);
    if (!padded || padded.length !== 64) return { status: ST.PIN_POLICY_VIOLATION };
    const end = padded.indexOf(0);
    const pin = padded.subarray(0, end === -1 ? 64 : end);
    if (pin.length < 4 || pin.length > 63) return { status: ST.PIN_POLICY_VIOLATION };
    this.pin = createHash('sha256').update(pin).digest().subarray(0, 16);
    this.retries = 8;
    return { status: ST.OK };
  }

  /** getPinToken §6.5.5.7.1 / getPinUvAuthTokenUsingPinWithPermissions §6.5.5.7.2. */
  private getToken(protocol: SoftProtocol, req: Map<unknown, unknown>, withPermissions: boolean): PinResult {
    const pinHashEnc = bytesOf(req.get(6));
    const shared = this.shared(protocol, req);
    if (!pinHashEnc || !shared) return { status: ST.MISSING_PARAMETER };
    const permissions = withPermissions ? req.get(9) : 0x03;
    if (typeof permissions !== 'number' || permissions === 0) return { status: ST.MISSING_PARAMETER };
    if (this.pin === undefined) return { status: ST.PIN_NOT_SET };
    if (this.retries === 0) return { status: ST.PIN_BLOCKED };
    if (this.consecutiveMismatches >= 3) return { status: ST.PIN_AUTH_BLOCKED };
    this.retries -= 1; // decremented before the comparison, restored on success (§6.5.5.7.2)
    const pinHash = softDecrypt(protocol, shared, pinHashEnc);
    if (!pinHash || pinHash.length !== 16 || !timingSafeEqual(pinHash, this.pin)) {
      this.keyAgreement.regenerate();
      this.consecutiveMismatches += 1;
      if (this.retries === 0) return { status: ST.PIN_BLOCKED };
      if (this.consecutiveMismatches >= 3) return { status: ST.PIN_AUTH_BLOCKED };
      return { status: ST.PIN_INVALID };
    }
    this.retries = 8;
    this.consecutiveMismatches = 0;
    const rpId = req.get(10);
    this.token = { value: randomBytes(32), protocol, permissions, rpId: typeof rpId === 'string' ? rpId : undefined };
    return { status: ST.OK, body: new Map<number, unknown>([[2, softEncrypt(protocol, shared, this.token.value)]]) };
  }
}
