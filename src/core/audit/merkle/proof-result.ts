// Checking a proof never throws on bad input from outside: it returns one of these reasons.

export type ProofFailure =
  /** Sizes or index out of range (e.g. index >= tree size, old size > new size). */
  | 'invalid-input'
  /** A hash in the proof, or a root or leaf hash, is not 32 bytes. */
  | 'malformed-hash'
  /** The proof has too few or too many hashes for the claimed sizes. */
  | 'wrong-proof-length'
  /** The proof recomputes a different root. */
  | 'root-mismatch';

export type ProofCheck = { readonly ok: true } | { readonly ok: false; readonly reason: ProofFailure };

export const PROOF_OK: ProofCheck = Object.freeze({ ok: true });

export function proofFailed(reason: ProofFailure): ProofCheck {
  return { ok: false, reason };
}
