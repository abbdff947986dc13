// The audit log as a transparency log (DESIGN §5): RFC 6962 Merkle tree over RFC 8785 leaves,
// C2SP checkpoints in C2SP signed notes, C2SP tlog-proofs, and exportable proof bundles.
export * from './merkle/index.js';
export { CanonicalJsonError, canonicalJson, canonicalJsonBytes, isCanonicalJson } from './canonical-json.js';
export type { JsonValue } from './canonical-json.js';
export { decodeBase64Strict, encodeBase64 } from './base64.js';
export {
  ALG_ED25519,
  encodeSignerKey,
  encodeVerifierKey,
  generateNoteKey,
  isValidKeyName,
  noteKeyHash,
  parseSignerKey,
  parseVerifierKey,
} from './note-key.js';
export type { NoteKeyError, NoteKeyResult, NoteSigner, NoteVerifier, ParsedNoteSigner } from './note-key.js';
export { MAX_SIGNATURES, NoteFormatError, SIGNATURE_PREFIX, isValidNoteText, openNote, signNote } from './signed-note.js';
export type { NoteError, NoteSignature, OpenNoteResult, OpenedNote } from './signed-note.js';
export { formatCheckpoint, isTreeSize, openCheckpoint, parseCheckpoint, signCheckpoint, toTreeSize } from './checkpoint.js';
export type { Checkpoint, OpenCheckpointResult, ParseCheckpointResult, TreeSize } from './checkpoint.js';
export { TLOG_PROOF_HEADER, formatTlogProof, parseTlogProof, verifyTlogProof } from './tlog-proof.js';
export type { ParseTlogProofResult, TlogProof, TlogProofFailure, VerifyTlogProofResult } from './tlog-proof.js';
export {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  LEGACY_BUNDLE_VERSION,
  bundleEventSchema,
  bundleRangeSchema,
  proofBundleSchema,
} from './bundle.schema.js';
export type { BundleEvent, BundleRange, ProofBundle, ProofBundleV2 } from './bundle.schema.js';
export { verifyBundle } from './bundle.js';
export { checkCoverage, checkOrder, describeRanges, rangesOf } from './bundle-coverage.js';
export type { CoverageFailure, IndexRange } from './bundle-coverage.js';
export type { BundleFailure, BundleVerification, CheckpointRole } from './bundle.js';
export { BundleBuildError, buildProofBundle } from './bundle-builder.js';
export type { BuildBundleInput, BundleEventInput } from './bundle-builder.js';
