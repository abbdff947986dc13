// The audit log's Ed25519 signing key (C2SP signed-note key named after the log's origin).
// Invariant: the private key exists on disk only inside the encrypted database, and there only
// sealed under the profile key; the verifier key is public by design.
import { openEnvelope, sealEnvelope } from '../crypto/aead.js';
import { VaultError } from '../errors.js';
import { generateNoteKey, parseSignerKey, parseVerifierKey, type NoteVerifier, type ParsedNoteSigner } from '../audit/index.js';
import type { VaultRepository } from '../ports/vault-repository.port.js';

const SIGNER_STATE = 'audit.signer';
const VERIFIER_STATE = 'audit.verifier';

export function logOrigin(vaultId: string): string {
  return `memory-vault/${vaultId}`;
}

/** Associated data sealing the signer key under the profile key (also used by key rotation). */
export function signerAd(origin: string): Buffer {
  return Buffer.from(`memory-vault/audit-signer/v1\n${origin}`, 'utf8');
}

export interface AuditKeys {
  readonly origin: string;
  readonly signer: ParsedNoteSigner;
  readonly verifier: NoteVerifier;
  /** Standard `name+hash+base64` verifier key string. */
  readonly verifierKey: string;
}

/** Create the signing key on first use (inside the caller's transaction); load it afterwards. */
export function loadOrCreateAuditKeys(repo: VaultRepository, origin: string, profileKey: Uint8Array): AuditKeys {
  let sealed = repo.getState(SIGNER_STATE);
  if (sealed === undefined) {
    const fresh = generateNoteKey(origin);
    sealed = sealEnvelope(profileKey, Buffer.from(fresh.signerKey, 'utf8'), signerAd(origin)).toString('base64');
    repo.setState(SIGNER_STATE, sealed);
    repo.setState(VERIFIER_STATE, fresh.verifierKey);
  }
  const verifierKey = repo.getState(VERIFIER_STATE);
  if (verifierKey === undefined) throw new VaultError('INTEGRITY_FAILURE', 'The audit log verifier key is missing.');
  const signerText = openEnvelope(profileKey, Buffer.from(sealed, 'base64'), signerAd(origin));
  const signer = parseSignerKey(signerText.toString('utf8'));
  signerText.fill(0);
  const verifier = parseVerifierKey(verifierKey);
  if (!signer.ok || !verifier.ok) throw new VaultError('INTEGRITY_FAILURE', 'The audit log keys are damaged.');
  if (signer.value.keyHash !== verifier.value.keyHash || signer.value.name !== origin) {
    throw new VaultError('INTEGRITY_FAILURE', 'The audit log signing key does not match its verifier key.');
  }
  return { origin, signer: signer.value, verifier: verifier.value, verifierKey };
}
