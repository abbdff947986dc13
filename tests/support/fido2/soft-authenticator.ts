// A CTAP2 authenticator in software, for tests only: GetInfo, MakeCredential (packed
// self-attestation, ES256 or EdDSA), GetAssertion, ClientPIN and hmac-secret with two
// CredRandoms per credential (CTAP 2.1 §12.5). It is never a usable vault factor.
import { createHash, createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { SoftClientPin, ST } from './soft-client-pin.js';
import { bytesOf, isCanonical, mapOf, softDecode, softEncode } from './soft-cbor.js';
import { softDecrypt, softEncrypt, softVerify, type SoftProtocol } from './soft-pin-protocol.js';

export interface SoftAuthenticatorOptions {
  readonly aaguid?: Uint8Array;
  readonly pin?: string;
  readonly pinUvAuthProtocols?: readonly SoftProtocol[];
  /** COSE algorithms this key can make, in its own preference order. */
  readonly algorithms?: readonly number[];
}

/** 'auto': present at once (after upDelayMs); 'manual': waits for touch(); 'deny': times out. */
export type UserPresenceMode = 'auto' | 'manual' | 'deny';

export interface CommandContext {
  readonly signal: AbortSignal;
  /** Sets the KEEPALIVE status the HID layer reports while this command runs. */
  setStatus(status: 1 | 2): void;
}

interface StoredCredential {
  readonly rpIdHash: Buffer;
  readonly privateKey: KeyObject;
  readonly alg: number;
  readonly credRandom?: { readonly withUv: Buffer; readonly withoutUv: Buffer };
}

const sha256 = (b: Uint8Array | string): Buffer => createHash('sha256').update(b).digest();

export class SoftAuthenticator {
  readonly aaguid: Uint8Array;
  readonly clientPin: SoftClientPin;
  signCount = 0;
  userPresence: UserPresenceMode = 'auto';
  upDelayMs = 0;
  private readonly algorithms: readonly number[];
  private readonly credentials = new Map<string, StoredCredential>();
  private touchWaiters: (() => void)[] = [];

  constructor(options: SoftAuthenticatorOptions = {}) {
    this.aaguid = options.aaguid ?? randomBytes(16);
    this.algorithms = options.algorithms ?? [-7, -8];
    this.clientPin = new SoftClientPin(options.pinUvAuthProtocols ?? [2, 1], options.pin);
  }

  /** The owner touches the key (for userPresence 'manual'). */
  touch(): void {
    const waiters = this.touchWaiters;
    this.touchWaiters = [];
    for (const w of waiters) w();
  }

  /** Test oracle: the CredRandom the key would use, to check hmac-secret independently. */
  credRandom(credentialId: Uint8Array, uv: boolean): Buffer | undefined {
    const c = this.credentials.get(Buffer.from(credentialId).toString('hex'))?.credRandom;
    return c ? (uv ? c.withUv : c.withoutUv) : undefined;
  }

  get credentialCount(): number {
    return this.credentials.size;
  }

  /** One CTAPHID_CBOR request in, status byte + CBOR out. */
  async handle(request: Uint8Array, ctx: CommandContext): Promise<Uint8Array> {
    const cmd = request[0];
    const body = request.subarray(1);
    if (body.length > 0 && !isCanonical(body)) return Uint8Array.of(ST.INVALID_CBOR);
    const params = body.length > 0 ? mapOf(softDecode(body)) : new Map<unknown, unknown>();
    if (params === undefined) return Uint8Array.of(ST.INVALID_CBOR);
    let result: { status: number; body?: Map<number, unknown> };
    switch (cmd) {
      case 0x04:
        result = { status: ST.OK, body: this.info() };
        break;
      case 0x01:
        result = await this.makeCredential(params, ctx);
        break;
      case 0x02:
        result = await this.getAssertion(params, ctx);
        break;
      case 0x06:
        result = this.clientPin.handle(params);
        break;
      default:
        return Uint8Array.of(0x01); // CTAP1_ERR_INVALID_COMMAND
    }
    if (result.status !== ST.OK || result.body === undefined) return Uint8Array.of(result.status);
    return Buffer.concat([Uint8Array.of(ST.OK), softEncode(result.body)]);
  }

  private info(): Map<number, unknown> {
    const options = new Map<string, boolean>([
      ['rk', false],
      ['up', true],
      ['plat', false],
      ['clientPin', this.clientPin.pin !== undefined],
      ['pinUvAuthToken', true],
    ]);
    return new Map<number, unknown>([
      [1, ['FIDO_2_0', 'FIDO_2_1']],
      [2, ['hmac-secret']],
      [3, this.aaguid],
      [4, options],
      [5, 1200],
      [6, [...this.clientPin.protocols]],
    ]);
  }

  private async waitForUser(ctx: CommandContext): Promise<number> {
    if (this.userPresence === 'auto' && this.upDelayMs === 0) return ST.OK;
    ctx.setStatus(2); // KEEPALIVE UPNEEDED
    return new Promise<number>((resolve) => {
      const finish = (status: number): void => {
        clearTimeout(timer);
        ctx.signal.removeEventListener('abort', onAbort);
        ctx.setStatus(1);
        resolve(status);
      };
      const onAbort = (): void => finish(ST.KEEPALIVE_CANCEL);
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      const timer =
        this.userPresence === 'auto'
          ? setTimeout(() => finish(ST.OK), this.upDelayMs)
          : this.userPresence === 'deny'
            ? setTimeout(() => finish(ST.USER_ACTION_TIMEOUT), this.upDelayMs)
            : undefined;
      if (this.userPresence === 'manual') this.touchWaiters.push(() => finish(ST.OK));
    });
  }

  private uvStatus(
    params: Map<unknown, unknown>,
    paramKey: number,
    protoKey: number,
    clientDataHash: Uint8Array,
    permission: number,
    rpId: string,
  ): number | 'uv' | 'none' {
    const param = bytesOf(params.get(paramKey));
    if (param === undefined) return this.clientPin.pin !== undefined && permission === 0x01 ? ST.PUAT_REQUIRED : 'none';
    const status = this.clientPin.checkToken(params.get(protoKey), param, clientDataHash, permission, rpId);
    return status === ST.OK ? 'uv' : status;
  }

  private authData(rpIdHash: Buffer, flags: number, rest: Uint8Array[]): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.signCount >>> 0);
    return Buffer.concat([rpIdHash, Uint8Array.of(flags), counter, ...rest]);
  }

  /** authenticatorMakeCredential, CTAP 2.1 §6.1.2 (non-resident credentials only). */
  private async makeCredential(p: Map<unknown, unknown>, ctx: CommandContext): Promise<{ status: number; body?: Map<number, unknown> }> {
    const clientDataHash = bytesOf(p.get(1));
    const rpId = mapOf(p.get(2))?.get('id');
    const user = mapOf(p.get(3));
    const algs = p.get(4);
    if (!clientDataHash || typeof rpId !== 'string' || !user || !Array.isArray(algs)) return { status: ST.MISSING_PARAMETER };
    const wanted = algs.map((a: unknown) => mapOf(a)?.get('alg'));
    const alg = wanted.find((a): a is number => typeof a === 'number' && this.algorithms.includes(a));
    if (alg === undefined) return { status: ST.UNSUPPORTED_ALGORITHM };
    const uv = this.uvStatus(p, 8, 9, clientDataHash, 0x01, rpId);
    if (typeof uv === 'number') return { status: uv };
    const rpIdHash = sha256(rpId);
    const exclude = Array.isArray(p.get(5)) ? (p.get(5) as unknown[]) : [];
    for (const d of exclude) {
      const id = bytesOf(mapOf(d)?.get('id'));
      if (id && this.credentials.get(Buffer.from(id).toString('hex'))?.rpIdHash.equals(rpIdHash)) {
        const up = await this.waitForUser(ctx);
        return { status: up === ST.OK ? ST.CREDENTIAL_EXCLUDED : up };
      }
    }
    const wantsHmac = mapOf(p.get(6))?.get('hmac-secret') === true;
    const up = await this.waitForUser(ctx);
    if (up !== ST.OK) return { status: up };

    const { privateKey, publicKey } = alg === -8 ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const x = Buffer.from(jwk.x ?? '', 'base64url');
    const cose =
      alg === -8
        ? new Map<number, unknown>([
            [1, 1],
            [3, -8],
            [-1, 6],
            [-2, x],
          ])
        : new Map<number, unknown>([
            [1, 2],
            [3, -7],
            [-1, 1],
            [-2, x],
            [-3, Buffer.from(jwk.y ?? '', 'base64url')],
          ]);
    const credentialId = randomBytes(48);
    this.credentials.set(credentialId.toString('hex'), {
      rpIdHash,
      privateKey,
      alg,
      ...(wantsHmac ? { credRandom: { withUv: randomBytes(32), withoutUv: randomBytes(32) } } : {}),
    });
    this.signCount += 1;
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(credentialId.length);
    const ext = wantsHmac ? [softEncode(new Map([['hmac-secret', true]]))] : [];
    const flags = 0x01 | (uv === 'uv' ? 0x04 : 0) | 0x40 | (wantsHmac ? 0x80 : 0);
    const authData = this.authData(rpIdHash, flags, [this.aaguid, idLen, credentialId, softEncode(cose), ...ext]);
    const sig = this.signWith(alg, privateKey, Buffer.concat([authData, clientDataHash]));
    // attStmt 'packed' self attestation (WebAuthn §8.2): alg + sig, no x5c.
    return {
      status: ST.OK,
      body: new Map<number, unknown>([
        [1, 'packed'],
        [2, authData],
        [
          3,
          new Map<string, unknown>([
            ['alg', alg],
            ['sig', sig],
          ]),
        ],
      ]),
    };
  }

  private signWith(alg: number, key: KeyObject, data: Buffer): Buffer {
    return alg === -8 ? sign(null, data, key) : sign('sha256', data, key); // ES256: DER signature
  }

  /** authenticatorGetAssertion, CTAP 2.1 §6.2.2, with hmac-secret (§12.5). */
  private async getAssertion(p: Map<unknown, unknown>, ctx: CommandContext): Promise<{ status: number; body?: Map<number, unknown> }> {
    const rpId = p.get(1);
    const clientDataHash = bytesOf(p.get(2));
    if (typeof rpId !== 'string' || !clientDataHash) return { status: ST.MISSING_PARAMETER };
    const rpIdHash = sha256(rpId);
    const allow = Array.isArray(p.get(3)) ? (p.get(3) as unknown[]) : [];
    let found: { id: Uint8Array; cred: StoredCredential } | undefined;
    for (const d of allow) {
      const id = bytesOf(mapOf(d)?.get('id'));
      const cred = id ? this.credentials.get(Buffer.from(id).toString('hex')) : undefined;
      if (id && cred?.rpIdHash.equals(rpIdHash)) {
        found = { id, cred };
        break;
      }
    }
    const uv = this.uvStatus(p, 6, 7, clientDataHash, 0x02, rpId);
    if (typeof uv === 'number') return { status: uv };
    if (!found) return { status: ST.NO_CREDENTIALS };
    const wantUp = mapOf(p.get(5))?.get('up') !== false;

    let extOut: Uint8Array[] = [];
    const hmacIn = mapOf(mapOf(p.get(4))?.get('hmac-secret'));
    if (hmacIn) {
      const out = this.hmacSecret(hmacIn, found.cred, uv === 'uv');
      if (typeof out === 'number') return { status: out };
      extOut = [softEncode(new Map([['hmac-secret', out]]))];
    }
    if (wantUp) {
      const up = await this.waitForUser(ctx);
      if (up !== ST.OK) return { status: up };
    }
    this.signCount += 1;
    const flags = (wantUp ? 0x01 : 0) | (uv === 'uv' ? 0x04 : 0) | (extOut.length > 0 ? 0x80 : 0);
    const authData = this.authData(rpIdHash, flags, extOut);
    const signature = this.signWith(found.cred.alg, found.cred.privateKey, Buffer.concat([authData, clientDataHash]));
    const credential = new Map<string, unknown>([
      ['id', found.id],
      ['type', 'public-key'],
    ]);
    return {
      status: ST.OK,
      body: new Map<number, unknown>([
        [1, credential],
        [2, authData],
        [3, signature],
      ]),
    };
  }

  private hmacSecret(input: Map<unknown, unknown>, cred: StoredCredential, uv: boolean): Uint8Array | number {
    const protocolRaw = input.get(4) ?? 1;
    if (protocolRaw !== 1 && protocolRaw !== 2) return 0x02;
    const protocol: SoftProtocol = protocolRaw;
    const platformKey = mapOf(input.get(1));
    const saltEnc = bytesOf(input.get(2));
    const saltAuth = bytesOf(input.get(3));
    if (!platformKey || !saltEnc || !saltAuth || !cred.credRandom) return ST.MISSING_PARAMETER;
    const shared = this.clientPin.keyAgreement.sharedSecret(protocol, platformKey);
    if (!shared || !softVerify(protocol, shared, saltEnc, saltAuth)) return 0x02; // INVALID_PARAMETER
    const salts = softDecrypt(protocol, shared, saltEnc);
    if (!salts || (salts.length !== 32 && salts.length !== 64)) return 0x02;
    const key = uv ? cred.credRandom.withUv : cred.credRandom.withoutUv;
    const outputs = [salts.subarray(0, 32), ...(salts.length === 64 ? [salts.subarray(32)] : [])].map((s) =>
      createHmac('sha256', key).update(s).digest(),
    );
    return softEncrypt(protocol, shared, Buffer.concat(outputs));
  }
}
