// CTAP2 authenticator API over CTAPHID_CBOR: command byte + canonical CBOR parameters out,
// status byte + CBOR map back (CTAP 2.1 §8.1, §8.2). Knows nothing about PINs or WebAuthn.
import type { TransactOptions } from './ctaphid-channel.js';
import { decodeCbor, encodeCanonical, type CborValue } from './ctap2-cbor.js';
import { coseKeyToMap, type CoseEc2Key } from './cose-key.js';
import { ctapStatusError } from './ctap2-status.js';
import {
  parseClientPin,
  parseGetAssertion,
  parseGetInfo,
  parseMakeCredential,
  type ClientPinResponse,
  type GetAssertionResponse,
  type GetInfoResponse,
  type MakeCredentialResponse,
} from './ctap2-responses.js';

/** CTAP 2.1 §6: command bytes. */
export const CTAP2_CMD = { MAKE_CREDENTIAL: 0x01, GET_ASSERTION: 0x02, GET_INFO: 0x04, CLIENT_PIN: 0x06 } as const;

/** Anything that can carry a CTAPHID_CBOR request (CtapHidChannel does). */
export interface CborTransport {
  cbor(request: Uint8Array, options?: TransactOptions): Promise<Uint8Array>;
}

export interface PublicKeyCredentialDescriptor {
  readonly id: Uint8Array;
}

export interface MakeCredentialRequest {
  readonly clientDataHash: Uint8Array;
  readonly rp: { readonly id: string; readonly name?: string };
  readonly user: { readonly id: Uint8Array; readonly name?: string; readonly displayName?: string };
  /** COSE algorithm ids in preference order. */
  readonly algorithms: readonly number[];
  readonly excludeList?: readonly PublicKeyCredentialDescriptor[];
  readonly extensions?: ReadonlyMap<string, CborValue>;
  readonly options?: { readonly rk?: boolean; readonly uv?: boolean };
  readonly pinUvAuthParam?: Uint8Array;
  readonly pinUvAuthProtocol?: number;
}

export interface GetAssertionRequest {
  readonly rpId: string;
  readonly clientDataHash: Uint8Array;
  readonly allowList: readonly PublicKeyCredentialDescriptor[];
  readonly extensions?: ReadonlyMap<string, CborValue>;
  readonly options?: { readonly up?: boolean; readonly uv?: boolean };
  readonly pinUvAuthParam?: Uint8Array;
  readonly pinUvAuthProtocol?: number;
}

export interface ClientPinRequest {
  readonly pinUvAuthProtocol: number;
  readonly subCommand: number;
  readonly keyAgreement?: CoseEc2Key;
  readonly pinUvAuthParam?: Uint8Array;
  readonly newPinEnc?: Uint8Array;
  readonly pinHashEnc?: Uint8Array;
  readonly permissions?: number;
  readonly rpId?: string;
}

const descriptors = (list: readonly PublicKeyCredentialDescriptor[]): CborValue => list.map((d) => ({ id: d.id, type: 'public-key' }));

function compact(entries: [number, CborValue | undefined][]): Map<number, CborValue> {
  return new Map(entries.filter((e): e is [number, CborValue] => e[1] !== undefined));
}

export class Ctap2Client {
  constructor(private readonly transport: CborTransport) {}

  async getInfo(options?: TransactOptions): Promise<GetInfoResponse> {
    return parseGetInfo(await this.call(CTAP2_CMD.GET_INFO, undefined, 'getInfo', options));
  }

  /** authenticatorMakeCredential, CTAP 2.1 §6.1: parameter keys 0x01..0x09. */
  async makeCredential(req: MakeCredentialRequest, options?: TransactOptions): Promise<MakeCredentialResponse> {
    const params = compact([
      [1, req.clientDataHash],
      [2, { id: req.rp.id, name: req.rp.name }],
      [3, { id: req.user.id, name: req.user.name, displayName: req.user.displayName }],
      [4, req.algorithms.map((alg) => ({ alg, type: 'public-key' }))],
      [5, req.excludeList && req.excludeList.length > 0 ? descriptors(req.excludeList) : undefined],
      [6, req.extensions],
      [7, req.options ? { rk: req.options.rk, uv: req.options.uv } : undefined],
      [8, req.pinUvAuthParam],
      [9, req.pinUvAuthProtocol],
    ]);
    return parseMakeCredential(await this.call(CTAP2_CMD.MAKE_CREDENTIAL, params, 'makeCredential', options));
  }

  /** authenticatorGetAssertion, CTAP 2.1 §6.2: parameter keys 0x01..0x07. */
  async getAssertion(req: GetAssertionRequest, options?: TransactOptions): Promise<GetAssertionResponse> {
    const params = compact([
      [1, req.rpId],
      [2, req.clientDataHash],
      [3, req.allowList.length > 0 ? descriptors(req.allowList) : undefined],
      [4, req.extensions],
      [5, req.options ? { up: req.options.up, uv: req.options.uv } : undefined],
      [6, req.pinUvAuthParam],
      [7, req.pinUvAuthProtocol],
    ]);
    return parseGetAssertion(await this.call(CTAP2_CMD.GET_ASSERTION, params, 'getAssertion', options));
  }

  /** authenticatorClientPIN, CTAP 2.1 §6.5.5: parameter keys 0x01..0x0A. */
  async clientPin(req: ClientPinRequest, options?: TransactOptions): Promise<ClientPinResponse> {
    const params = compact([
      [1, req.pinUvAuthProtocol],
      [2, req.subCommand],
      [3, req.keyAgreement ? coseKeyToMap(req.keyAgreement) : undefined],
      [4, req.pinUvAuthParam],
      [5, req.newPinEnc],
      [6, req.pinHashEnc],
      [9, req.permissions],
      [10, req.rpId],
    ]);
    return parseClientPin(await this.call(CTAP2_CMD.CLIENT_PIN, params, 'clientPIN', options));
  }

  private async call(cmd: number, params: CborValue | undefined, name: string, options?: TransactOptions): Promise<unknown> {
    const body = params === undefined ? new Uint8Array(0) : encodeCanonical(params);
    const request = new Uint8Array(1 + body.length);
    request[0] = cmd;
    request.set(body, 1);
    const response = await this.transport.cbor(request, options);
    if (response.length === 0) return Promise.reject(ctapStatusError(0x7f, name));
    const status = response[0]!;
    if (status !== 0) throw ctapStatusError(status, name);
    return response.length === 1 ? undefined : decodeCbor(response.subarray(1));
  }
}
