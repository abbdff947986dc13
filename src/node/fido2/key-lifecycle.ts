// Pure, storage-agnostic lifecycle of an enrolled hardware key: the record the store
// persists, how a verified registration becomes one, and how an assertion updates it.
import { VaultError } from '../../core/errors.js';
import type { VerifiedAssertion, VerifiedRegistration } from './webauthn-verify.js';

export interface Fido2KeyRecord {
  /** base64url credential id: the HardwareKeyCredential.credentialId the vault stores. */
  readonly credentialId: string;
  /** base64url COSE_Key (ES256 or EdDSA) as verified at registration. */
  readonly publicKey: string;
  readonly aaguid: string;
  readonly signCount: number;
  readonly name: string;
  /**
   * hmac-secret keeps two CredRandoms, with and without UV (CTAP 2.1 §12.5), so a key
   * enrolled with its PIN must always be asked with its PIN or the secret changes.
   */
  readonly userVerification: boolean;
  readonly createdAt: string;
  /** Set once a sign-counter regression was seen; the UI should warn the owner. */
  readonly cloneSuspected?: boolean;
  /** When the vault last verified an assertion from this key (shown to the owner). */
  readonly lastUsedAt?: string;
}

export function recordFromRegistration(reg: VerifiedRegistration, name: string, now: Date = new Date()): Fido2KeyRecord {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 64) throw new VaultError('INVALID_INPUT', 'A key name must have 1 to 64 characters.');
  if (!reg.hmacSecret) {
    throw new VaultError('FIDO2_ERROR', 'The key did not enable hmac-secret for the credential.', { reason: 'hmac-secret' });
  }
  return {
    credentialId: Buffer.from(reg.credentialId).toString('base64url'),
    publicKey: Buffer.from(reg.publicKey).toString('base64url'),
    aaguid: reg.aaguid,
    signCount: reg.signCount,
    name: trimmed,
    userVerification: reg.userVerified,
    createdAt: now.toISOString(),
  };
}

export interface SignCountUpdate {
  readonly record: Fido2KeyRecord;
  readonly cloneSuspected: boolean;
}

/** New record after a verified assertion; a regression keeps the higher count and is flagged. */
export function applyAssertion(record: Fido2KeyRecord, assertion: VerifiedAssertion): SignCountUpdate {
  if (assertion.cloneSuspected) {
    return { record: { ...record, cloneSuspected: true }, cloneSuspected: true };
  }
  return { record: { ...record, signCount: assertion.signCount }, cloneSuspected: false };
}

export function decodeRecordKey(record: Fido2KeyRecord): { id: string; publicKey: Uint8Array; signCount: number } {
  return { id: record.credentialId, publicKey: new Uint8Array(Buffer.from(record.publicKey, 'base64url')), signCount: record.signCount };
}
