// Who decides that an OwnerProof is genuine: the node shell's owner verifier, which alone mints
// them. Invariant: the engine accepts a proof only when this port says its verifier issued it —
// shape is not enough, so a proof cannot be forged by writing `{ __ownerProof: true, … }`.
export interface OwnerProofCheck {
  /** Whether `proof` is one this vault's owner verifier issued (identity, not shape). */
  accepts(proof: unknown): boolean;
}

/** Fail closed when the shell gave no verifier: no owner-only action can be proven. */
export const noOwnerVerifier: OwnerProofCheck = { accepts: () => false };
