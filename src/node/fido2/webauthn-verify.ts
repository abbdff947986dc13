// We are our own WebAuthn client: the app builds clientDataJSON, the key signs its hash, and
// @simplewebauthn/server checks the result exactly as a relying party would (signature,
// rpIdHash, origin, challenge, flags). Independent of our CTAP code by construction.
import { createHash, randomBytes } from 'node:crypto';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { VaultError } from '../../core/errors.js';
import { encodeCanonical, type CborValue } from './ctap2-cbor.js';
import type { GetAssertionResponse, MakeCredentialResponse } from './ctap2-responses.js';
import { parseAuthenticatorData } from './authenticator-data.js';
import { HMAC_SECRET } from './hmac-secret.js';

export const VAULT_ORIGIN = 'memory-vault://local';
export const VAULT_RP_ID = 'memory-vault.local';

const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

export interface ClientData {
  readonly challenge: string;
  readonly json: Uint8Array;
  /** SHA-256(clientDataJSON): the only part a CTAP2 authenticator sees. */
  readonly hash: Uint8Array;
}

/** CollectedClientData (WebAuthn §5.8.1) with a fresh 32-byte challenge. */
export function buildClientData(type: 'webauthn.create' | 'webauthn.get', challenge = b64u(randomBytes(32))): ClientData {
  const json = new TextEncoder().encode(JSON.stringify({ type, challenge, origin: VAULT_ORIGIN, crossOrigin: false }));
  return { challenge, json, hash: new Uint8Array(createHash('sha256').update(json).digest()) };
}

export interface VerifiedRegistration {
  readonly credentialId: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly aaguid: string;
  readonly signCount: number;
  readonly userVerified: boolean;
  readonly fmt: string;
  readonly hmacSecret: boolean;
}

function failed(what: string, e: unknown): VaultError {
  return new VaultError('FIDO2_ERROR', `The hardware key's ${what} did not verify.`, {
    reason: 'verification',
    cause: e instanceof Error ? e.message : 'not verified',
  });
}

/** Turn the CTAP makeCredential output into a WebAuthn attestationObject and verify it. */
export async function verifyRegistration(input: {
  response: MakeCredentialResponse;
  clientData: ClientData;
  requireUserVerification: boolean;
}): Promise<VerifiedRegistration> {
  const { response, clientData } = input;
  const authData = parseAuthenticatorData(response.authData);
  const attested = authData.attestedCredentialData;
  if (!attested) throw failed('registration', new Error('no attested credential data'));
  // CTAP uses integer keys 1..3; WebAuthn's attestationObject uses text keys (WebAuthn §6.5).
  const { alg, sig, x5c } = response.attStmt;
  const attestationObject = encodeCanonical(
    new Map<string, CborValue>([
      ['fmt', response.fmt],
      ['attStmt', { alg, sig, x5c }],
      ['authData', response.authData],
    ]),
  );
  const id = b64u(attested.credentialId);
  let result;
  try {
    result = await verifyRegistrationResponse({
      response: {
        id,
        rawId: id,
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: b64u(clientData.json), attestationObject: b64u(attestationObject), transports: ['usb'] },
      },
      expectedChallenge: clientData.challenge,
      expectedOrigin: VAULT_ORIGIN,
      expectedRPID: VAULT_RP_ID,
      requireUserVerification: input.requireUserVerification,
    });
  } catch (e) {
    throw failed('registration', e);
  }
  if (!result.verified) throw failed('registration', undefined);
  const info = result.registrationInfo;
  return {
    credentialId: attested.credentialId,
    publicKey: new Uint8Array(info.credential.publicKey),
    aaguid: info.aaguid,
    signCount: info.credential.counter,
    userVerified: info.userVerified,
    fmt: info.fmt,
    hmacSecret: authData.extensions?.get(HMAC_SECRET) === true,
  };
}

export interface VerifiedAssertion {
  readonly signCount: number;
  readonly userVerified: boolean;
  /**
   * WebAuthn §6.1.1: a counter that does not increase (when either side is non-zero) means
   * the credential may exist twice, i.e. the key may have been cloned.
   */
  readonly cloneSuspected: boolean;
}

export async function verifyAssertion(input: {
  response: GetAssertionResponse;
  clientData: ClientData;
  credential: { readonly id: string; readonly publicKey: Uint8Array; readonly signCount: number };
  requireUserVerification: boolean;
}): Promise<VerifiedAssertion> {
  const { response, clientData, credential } = input;
  const newCount = parseAuthenticatorData(response.authData).signCount;
  const cloneSuspected = (newCount > 0 || credential.signCount > 0) && newCount <= credential.signCount;
  const id = b64u(response.credential.id);
  let result;
  try {
    result = await verifyAuthenticationResponse({
      response: {
        id,
        rawId: id,
        type: 'public-key',
        clientExtensionResults: {},
        response: {
          clientDataJSON: b64u(clientData.json),
          authenticatorData: b64u(response.authData),
          signature: b64u(response.signature),
          ...(response.user ? { userHandle: b64u(response.user.id) } : {}),
        },
      },
      expectedChallenge: clientData.challenge,
      expectedOrigin: VAULT_ORIGIN,
      expectedRPID: VAULT_RP_ID,
      // The counter is judged above so a regression is flagged, not turned into a thrown
      // string; the library then checks only the signature, rpIdHash, origin and flags.
      credential: { id: credential.id, publicKey: new Uint8Array(credential.publicKey), counter: 0 },
      requireUserVerification: input.requireUserVerification,
    });
  } catch (e) {
    throw failed('assertion', e);
  }
  if (!result.verified) throw failed('assertion', undefined);
  return { signCount: newCount, userVerified: result.authenticationInfo.userVerified, cloneSuspected };
}
