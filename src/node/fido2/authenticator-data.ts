// authenticatorData layout (WebAuthn §6.1, used verbatim by CTAP 2.1 §6.1/§6.2):
// rpIdHash(32) | flags(1) | signCount(4, BE) | [attestedCredentialData] | [extensions CBOR]
import { VaultError } from '../../core/errors.js';
import { cborItemLength, decodeCbor } from './ctap2-cbor.js';

export const AUTH_DATA_FLAGS = { UP: 0x01, UV: 0x04, AT: 0x40, ED: 0x80 } as const;

export interface AttestedCredentialData {
  readonly aaguid: Uint8Array;
  readonly credentialId: Uint8Array;
  /** COSE_Key bytes exactly as the authenticator encoded them. */
  readonly credentialPublicKey: Uint8Array;
}

export interface AuthenticatorData {
  readonly rpIdHash: Uint8Array;
  readonly flags: number;
  readonly userPresent: boolean;
  readonly userVerified: boolean;
  readonly signCount: number;
  readonly attestedCredentialData?: AttestedCredentialData;
  readonly extensions?: ReadonlyMap<string, unknown>;
}

function truncated(): VaultError {
  return new VaultError('FIDO2_ERROR', 'The hardware key sent truncated authenticator data.', { reason: 'authdata' });
}

export function parseAuthenticatorData(data: Uint8Array): AuthenticatorData {
  if (data.length < 37) throw truncated();
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const flags = data[32]!;
  let offset = 37;
  let attested: AttestedCredentialData | undefined;
  if (flags & AUTH_DATA_FLAGS.AT) {
    if (data.length < offset + 18) throw truncated();
    const aaguid = data.slice(offset, offset + 16);
    const idLength = view.getUint16(offset + 16);
    offset += 18;
    if (data.length < offset + idLength) throw truncated();
    const credentialId = data.slice(offset, offset + idLength);
    offset += idLength;
    const keyLength = cborItemLength(data, offset);
    attested = { aaguid, credentialId, credentialPublicKey: data.slice(offset, offset + keyLength) };
    offset += keyLength;
  }
  let extensions: ReadonlyMap<string, unknown> | undefined;
  if (flags & AUTH_DATA_FLAGS.ED) {
    const length = cborItemLength(data, offset);
    const decoded = decodeCbor(data.subarray(offset, offset + length));
    if (!(decoded instanceof Map)) throw new VaultError('FIDO2_ERROR', 'Extension data is not a map.', { reason: 'authdata' });
    extensions = decoded as ReadonlyMap<string, unknown>;
    offset += length;
  }
  if (offset !== data.length) throw new VaultError('FIDO2_ERROR', 'Trailing bytes after authenticator data.', { reason: 'authdata' });
  return {
    rpIdHash: data.slice(0, 32),
    flags,
    userPresent: (flags & AUTH_DATA_FLAGS.UP) !== 0,
    userVerified: (flags & AUTH_DATA_FLAGS.UV) !== 0,
    signCount: view.getUint32(33),
    ...(attested ? { attestedCredentialData: attested } : {}),
    ...(extensions ? { extensions } : {}),
  };
}

/** AAGUID bytes as the canonical UUID string simplewebauthn and the FIDO MDS use. */
export function formatAaguid(aaguid: Uint8Array): string {
  const h = Buffer.from(aaguid).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
