// A key sealer protects a profile key with something outside the vault files (a TPM bound to
// platform state). Sealed blobs are opaque to the vault and stored in the vault header.

export interface SealedBlob {
  readonly kind: string;
  /** base64 fields, opaque to the core (for a TPM: the sealed object's public and private parts). */
  readonly fields: Readonly<Record<string, string>>;
}

export interface KeySealerPort {
  readonly kind: string;
  /** Seal `secret` (≤ 64 bytes). The secret never touches a file on disk. */
  seal(secret: Uint8Array, options?: { pin?: string }): Promise<SealedBlob>;
  /** Rejects with TPM_UNAVAILABLE / TPM_POLICY_MISMATCH / TPM_AUTH_FAILED / TPM_LOCKOUT. */
  unseal(blob: SealedBlob, options?: { pin?: string }): Promise<Uint8Array>;
}
