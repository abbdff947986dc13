// Verifies an exported proof bundle. Invariant: `valid` is true only when every check passed —
// checkpoint signatures, origin, every event's canonical form, leaf hash and inclusion, and the
// consistency of the older checkpoint, and completeness: the events of a version-2 bundle are
// exactly the stated ranges, each once, in order — and `failures` names each check that did not.
// A version-1 bundle states no ranges: its events are proven one by one and must still be unique
// and ascending, but `ranges` is null, so no caller can present it as complete.
import { decodeBase64Strict } from './base64.js';
import type { Checkpoint } from './checkpoint.js';
import { openCheckpoint } from './checkpoint.js';
import { isCanonicalJson } from './canonical-json.js';
import type { Hash } from './merkle/hash.js';
import { equalHashes, hashLeaf } from './merkle/hash.js';
import type { ProofFailure } from './merkle/proof-result.js';
import { verifyConsistency, verifyInclusion } from './merkle/verify.js';
import type { NoteVerifier } from './note-key.js';
import { parseVerifierKey } from './note-key.js';
import type { CoverageFailure, IndexRange } from './bundle-coverage.js';
import { checkCoverage, checkOrder } from './bundle-coverage.js';
import type { ProofBundle } from './bundle.schema.js';
import { proofBundleSchema } from './bundle.schema.js';
import { parseTlogProof } from './tlog-proof.js';

export type CheckpointRole = 'checkpoint' | 'olderCheckpoint';

export type BundleFailure =
  | { readonly kind: 'malformed'; readonly path: string; readonly message: string }
  | { readonly kind: 'untrusted-key'; readonly message: string }
  | { readonly kind: 'bad-signature'; readonly which: CheckpointRole; readonly message: string }
  | { readonly kind: 'origin-mismatch'; readonly which: CheckpointRole; readonly message: string }
  | { readonly kind: 'non-canonical-event'; readonly index: number }
  | { readonly kind: 'index-mismatch'; readonly index: number; readonly message: string }
  | { readonly kind: 'checkpoint-mismatch'; readonly index: number; readonly message: string }
  | { readonly kind: 'leaf-hash-mismatch'; readonly index: number; readonly message: string }
  | { readonly kind: 'bad-inclusion'; readonly index: number; readonly reason: ProofFailure }
  | { readonly kind: 'bad-consistency'; readonly reason: ProofFailure }
  | CoverageFailure;

export interface BundleVerification {
  readonly valid: boolean;
  readonly failures: readonly BundleFailure[];
  /** True when the checks used a caller-supplied trusted key rather than the bundle's own claim. */
  readonly keyTrusted: boolean;
  readonly checkpoint?: Checkpoint;
  readonly eventsVerified: number;
  /**
   * The index ranges the bundle states and, when `valid`, proves complete; null when the bundle
   * claims no completeness (version 1) or could not be read.
   */
  readonly ranges: readonly IndexRange[] | null;
  /** True when the ranges are the single range 0..size-1 of the checkpoint: the whole log. */
  readonly wholeLog: boolean;
}

type OpenFailure = (ReturnType<typeof openCheckpoint> & { ok: false })['error'];

function describeOpenFailure(e: OpenFailure): string {
  if ('detail' in e) return `${e.kind}: ${e.detail}`;
  if (e.kind === 'unverified-note') return 'no valid signature by the verifier key';
  return `${e.kind} for key ${e.name}+${e.keyHash.toString(16).padStart(8, '0')}`;
}

function openRole(text: string, verifier: NoteVerifier, which: CheckpointRole, failures: BundleFailure[]): Checkpoint | undefined {
  const opened = openCheckpoint(text, verifier);
  if (opened.ok) return opened.checkpoint;
  const kind = opened.error.kind === 'origin-mismatch' ? 'origin-mismatch' : 'bad-signature';
  failures.push({ kind, which, message: describeOpenFailure(opened.error) });
  return undefined;
}

/** Verifies a bundle given as parsed JSON (unknown). Never throws on hostile input. */
export function verifyBundle(input: unknown, options: { readonly trustedKey?: string } = {}): BundleVerification {
  const failures: BundleFailure[] = [];
  const done = (
    keyTrusted: boolean,
    eventsVerified = 0,
    checkpoint?: Checkpoint,
    ranges: readonly IndexRange[] | null = null,
  ): BundleVerification => {
    const only = ranges?.length === 1 ? ranges[0] : undefined;
    const wholeLog = checkpoint !== undefined && only !== undefined && only.from === 0 && only.to === checkpoint.size - 1;
    const common = { valid: failures.length === 0, failures, keyTrusted, eventsVerified, ranges, wholeLog };
    return checkpoint === undefined ? common : { ...common, checkpoint };
  };

  const shape = proofBundleSchema.safeParse(input);
  if (!shape.success) {
    for (const issue of shape.error.issues) failures.push({ kind: 'malformed', path: issue.path.join('.'), message: issue.message });
    return done(false);
  }
  const bundle: ProofBundle = shape.data;
  const keyTrusted = options.trustedKey !== undefined;
  if (keyTrusted && options.trustedKey !== bundle.verifierKey) {
    failures.push({ kind: 'untrusted-key', message: 'the bundle names a verifier key other than the trusted one' });
  }
  const verifier = parseVerifierKey(options.trustedKey ?? bundle.verifierKey);
  if (!verifier.ok) {
    failures.push({ kind: 'malformed', path: keyTrusted ? '(trusted key)' : 'verifierKey', message: verifier.error });
    return done(keyTrusted);
  }

  const checkpoint = openRole(bundle.checkpoint, verifier.value, 'checkpoint', failures);
  if (bundle.olderCheckpoint !== undefined && bundle.consistencyProof !== undefined) {
    const older = openRole(bundle.olderCheckpoint, verifier.value, 'olderCheckpoint', failures);
    if (older !== undefined && checkpoint !== undefined) {
      const proof = bundle.consistencyProof.map((h) => decodeBase64Strict(h) ?? new Uint8Array(0));
      const c = verifyConsistency(older.size, checkpoint.size, older.rootHash, checkpoint.rootHash, proof); // RFC 9162 §2.1.4.2
      if (!c.ok) failures.push({ kind: 'bad-consistency', reason: c.reason });
    }
  }

  let eventsVerified = 0;
  for (const event of bundle.events) {
    const before = failures.length;
    if (!isCanonicalJson(event.canonicalJson)) failures.push({ kind: 'non-canonical-event', index: event.index });
    const leafHash: Hash = hashLeaf(new TextEncoder().encode(event.canonicalJson)); // RFC 6962 §2.1 leaf
    const parsed = parseTlogProof(event.tlogProof);
    if (!parsed.ok) {
      failures.push({ kind: 'malformed', path: `events.${event.index}.tlogProof`, message: parsed.detail });
      continue;
    }
    if (parsed.proof.index !== event.index) {
      failures.push({ kind: 'index-mismatch', index: event.index, message: `the proof is for index ${parsed.proof.index}` });
      continue;
    }
    if (parsed.proof.signedCheckpoint !== bundle.checkpoint) {
      failures.push({ kind: 'checkpoint-mismatch', index: event.index, message: 'the proof embeds a different checkpoint' });
      continue;
    }
    // The proof's `extra` carries the leaf hash the log committed (unauthenticated, so only a
    // diagnostic): it tells an edited event apart from a broken proof.
    const { extra } = parsed.proof;
    if (extra !== undefined && !equalHashes(extra, leafHash)) {
      failures.push({ kind: 'leaf-hash-mismatch', index: event.index, message: 'the event does not hash to the leaf the log committed' });
    }
    if (checkpoint === undefined) continue; // already reported as a bad signature
    const inc = verifyInclusion(event.index, checkpoint.size, leafHash, parsed.proof.inclusionProof, checkpoint.rootHash); // RFC 9162 §2.1.3.2
    if (!inc.ok) failures.push({ kind: 'bad-inclusion', index: event.index, reason: inc.reason });
    if (failures.length === before) eventsVerified++;
  }
  const indexes = bundle.events.map((e) => e.index);
  if (bundle.version === 2) {
    failures.push(...checkCoverage(bundle.ranges, indexes, checkpoint?.size));
    return done(keyTrusted, eventsVerified, checkpoint, bundle.ranges);
  }
  failures.push(...checkOrder(indexes));
  return done(keyTrusted, eventsVerified, checkpoint);
}
