// Builds a proof bundle from the log's stored hashes. Invariant: the builder only assembles what
// the log already committed (signed checkpoints, stored hashes); it signs nothing itself, and it
// refuses (throws) inputs that could only come from a bug, such as an event beyond the checkpoint
// or events out of order. The ranges it states are the maximal runs of the events it was given, so
// the claim is never wider than what the bundle carries.
import { encodeBase64 } from './base64.js';
import type { Checkpoint } from './checkpoint.js';
import { openCheckpoint } from './checkpoint.js';
import { rangesOf, type IndexRange } from './bundle-coverage.js';
import type { ProofBundleV2 } from './bundle.schema.js';
import { BUNDLE_FORMAT, BUNDLE_VERSION } from './bundle.schema.js';
import { hashLeaf } from './merkle/hash.js';
import type { HashReader } from './merkle/hash-reader.port.js';
import { proveRecord, proveTree } from './merkle/prove.js';
import { parseVerifierKey } from './note-key.js';
import { formatTlogProof } from './tlog-proof.js';

export interface BundleEventInput {
  readonly index: number;
  readonly canonicalJson: string;
}

export interface BuildBundleInput {
  readonly verifierKey: string;
  readonly signedCheckpoint: string;
  readonly olderSignedCheckpoint?: string;
  readonly events: readonly BundleEventInput[];
  readonly reader: HashReader;
}

export class BundleBuildError extends Error {
  override readonly name = 'BundleBuildError';
}

function open(signed: string, verifierKey: string): Checkpoint {
  const verifier = parseVerifierKey(verifierKey);
  if (!verifier.ok) throw new BundleBuildError(`bad verifier key: ${verifier.error}`);
  const opened = openCheckpoint(signed, verifier.value);
  if (!opened.ok) throw new BundleBuildError(`checkpoint does not open with the verifier key: ${opened.error.kind}`);
  return opened.checkpoint;
}

/**
 * Assembles inclusion proofs (and a consistency proof) for events, given in ascending index order,
 * into a version-2 bundle whose `ranges` are the runs of consecutive indexes among them.
 */
export function buildProofBundle(input: BuildBundleInput): ProofBundleV2 {
  const latest = open(input.signedCheckpoint, input.verifierKey);
  let ranges: IndexRange[];
  try {
    ranges = rangesOf(input.events.map((e) => e.index));
  } catch (e) {
    throw new BundleBuildError(
      `events must be given once each, in ascending index order (${e instanceof Error ? e.message : 'unordered'})`,
    );
  }
  const events = input.events.map((e) => {
    if (!(e.index < latest.size)) throw new BundleBuildError(`event ${e.index} is not in the tree of size ${latest.size}`);
    const leafHash = hashLeaf(new TextEncoder().encode(e.canonicalJson)); // RFC 6962 §2.1
    const tlogProof = formatTlogProof({
      extra: leafHash, // diagnostic only: lets a verifier say "event edited" rather than "bad proof"
      index: e.index,
      inclusionProof: proveRecord(latest.size, e.index, input.reader),
      signedCheckpoint: input.signedCheckpoint,
    });
    return { index: e.index, canonicalJson: e.canonicalJson, tlogProof };
  });
  const base = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    verifierKey: input.verifierKey,
    checkpoint: input.signedCheckpoint,
    ranges,
  } as const;
  if (input.olderSignedCheckpoint === undefined) return { ...base, events };
  const older = open(input.olderSignedCheckpoint, input.verifierKey);
  if (older.size > latest.size) throw new BundleBuildError('the older checkpoint is larger than the newer one');
  // RFC 9162 §2.1.4: the empty tree is a prefix of every tree, with an empty proof.
  const proof = older.size === 0 ? [] : proveTree(latest.size, older.size, input.reader);
  return { ...base, olderCheckpoint: input.olderSignedCheckpoint, consistencyProof: proof.map(encodeBase64), events };
}
