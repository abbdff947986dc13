// A hardware key binds level-5 memories cryptographically: the memory's DEK is wrapped under a
// key derived from a secret only the physical token can produce (FIDO2 hmac-secret). The vault
// never sees that secret at rest; without the token the DEK cannot be unwrapped.

export interface HardwareKeyCredential {
  /** Stable id of the enrolled credential (base64url of the FIDO2 credential id). */
  readonly credentialId: string;
}

export interface HardwareSecretRequest {
  /** 32-byte per-memory salt stored with the memory. */
  readonly salt: Uint8Array;
  /** Credentials allowed to answer; the vault stores which credential wrapped which memory. */
  readonly allowCredentials: readonly HardwareKeyCredential[];
  /** Shown to the owner ("touch your key to recall <title>"); never contains plaintext. */
  readonly reason: string;
  readonly signal?: AbortSignal;
}

export interface HardwareSecretResult {
  readonly credentialId: string;
  /** 32 bytes; the caller zeroes it after use. */
  readonly secret: Uint8Array;
}

export interface HardwareKeyPort {
  /**
   * Ask the token for its hmac-secret output for `salt` with user presence.
   * Rejects with VaultError('TOKEN_REQUIRED') when no enrolled token answers,
   * VaultError('TOKEN_MISMATCH') when a token answers that is not one of allowCredentials.
   */
  deriveSecret(request: HardwareSecretRequest): Promise<HardwareSecretResult>;
  /** Credentials currently enrolled (the vault wraps new level-5 memories to one of these). */
  enrolledCredentials(): readonly HardwareKeyCredential[];
}
