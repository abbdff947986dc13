// C2SP tlog-proof v1 (c2sp.org/tlog-proof §Format): a self-contained, offline-verifiable proof
// that an entry is in a log. Invariant: verifyTlogProof succeeds only if the embedded checkpoint
// is signed by the given key and the inclusion proof recomputes exactly its root.
import { decodeBase64Strict, encodeBase64 } from './base64.js';
import type { Checkpoint, OpenCheckpointResult } from './checkpoint.js';
import { openCheckpoint, parseDecimal } from './checkpoint.js';
import type { Hash } from './merkle/hash.js';
import { HASH_SIZE } from './merkle/hash.js';
import type { ProofFailure } from './merkle/proof-result.js';
import { verifyInclusion } from './merkle/verify.js';
import type { NoteVerifier } from './note-key.js';

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';
// An index below 2^53 needs at most 53 audit-path hashes; more is never a valid proof.
const MAX_PROOF_HASHES = 64;

export interface TlogProof {
  /** Opaque, unauthenticated application data (§Format: "MUST NOT implicitly trust"). */
  readonly extra?: Uint8Array;
  readonly index: number;
  /** RFC 6962 §2.1.1 audit path, from the leaf's sibling up to the root's child. */
  readonly inclusionProof: readonly Hash[];
  /** The signed checkpoint note, verbatim. */
  readonly signedCheckpoint: string;
}

export type ParseTlogProofResult =
  { readonly ok: true; readonly proof: TlogProof } | { readonly ok: false; readonly error: 'malformed-proof'; readonly detail: string };

export function formatTlogProof(p: TlogProof): string {
  if (!Number.isSafeInteger(p.index) || p.index < 0) throw new RangeError('bad index');
  if (p.inclusionProof.some((h) => h.length !== HASH_SIZE)) throw new RangeError('proof hashes must be 32 bytes');
  if (p.signedCheckpoint === '' || !p.signedCheckpoint.endsWith('\n'))
    throw new RangeError('signed checkpoint must be a note ending in a newline');
  let out = `${TLOG_PROOF_HEADER}\n`; // §Format: first line
  if (p.extra !== undefined) out += `extra ${encodeBase64(p.extra)}\n`; // §Format: optional extra line
  out += `index ${p.index}\n`; // §Format: zero-based decimal index, no leading zeroes
  for (const h of p.inclusionProof) out += `${encodeBase64(h)}\n`;
  return `${out}\n${p.signedCheckpoint}`; // §Format: an empty line, then the checkpoint verbatim
}

export function parseTlogProof(text: string): ParseTlogProofResult {
  const bad = (detail: string): ParseTlogProofResult => ({ ok: false, error: 'malformed-proof', detail });
  let rest = text;
  const nextLine = (): string | undefined => {
    const nl = rest.indexOf('\n');
    if (nl < 0) return undefined;
    const line = rest.slice(0, nl);
    rest = rest.slice(nl + 1);
    return line;
  };
  if (nextLine() !== TLOG_PROOF_HEADER) return bad('missing c2sp.org/tlog-proof@v1 header');
  let line = nextLine();
  let extra: Uint8Array | undefined;
  if (line?.startsWith('extra ')) {
    extra = decodeBase64Strict(line.slice('extra '.length));
    if (extra === undefined) return bad('extra data is not base64');
    line = nextLine();
  }
  if (line === undefined || !line.startsWith('index ')) return bad('missing index line');
  const index = parseDecimal(line.slice('index '.length));
  if (index === undefined) return bad('index is not canonical decimal');
  const inclusionProof: Hash[] = [];
  for (;;) {
    line = nextLine();
    if (line === undefined) return bad('missing empty line before the checkpoint');
    if (line === '') break;
    const h = decodeBase64Strict(line);
    if (h === undefined || h.length !== HASH_SIZE) return bad('proof line is not base64 of a 32-byte hash');
    if (inclusionProof.length >= MAX_PROOF_HASHES) return bad('too many proof hashes');
    inclusionProof.push(h);
  }
  if (rest === '') return bad('missing checkpoint');
  const proof: TlogProof =
    extra === undefined ? { index, inclusionProof, signedCheckpoint: rest } : { extra, index, inclusionProof, signedCheckpoint: rest };
  return { ok: true, proof };
}

export type TlogProofFailure =
  | { readonly kind: 'malformed-proof'; readonly detail: string }
  | { readonly kind: 'bad-checkpoint'; readonly error: (OpenCheckpointResult & { ok: false })['error'] }
  | { readonly kind: 'bad-inclusion'; readonly reason: ProofFailure };

export type VerifyTlogProofResult =
  | { readonly ok: true; readonly proof: TlogProof; readonly checkpoint: Checkpoint }
  | { readonly ok: false; readonly failure: TlogProofFailure };

/** Verifies a tlog-proof for leafHash against the log's verifier key (and origin, default the key name). */
export function verifyTlogProof(
  text: string,
  leafHash: Hash,
  verifier: NoteVerifier,
  expectedOrigin: string = verifier.name,
): VerifyTlogProofResult {
  const parsed = parseTlogProof(text);
  if (!parsed.ok) return { ok: false, failure: { kind: 'malformed-proof', detail: parsed.detail } };
  const opened = openCheckpoint(parsed.proof.signedCheckpoint, verifier, expectedOrigin);
  if (!opened.ok) return { ok: false, failure: { kind: 'bad-checkpoint', error: opened.error } };
  const { size, rootHash } = opened.checkpoint;
  const check = verifyInclusion(parsed.proof.index, size, leafHash, parsed.proof.inclusionProof, rootHash); // RFC 9162 §2.1.3.2
  if (!check.ok) return { ok: false, failure: { kind: 'bad-inclusion', reason: check.reason } };
  return { ok: true, proof: parsed.proof, checkpoint: opened.checkpoint };
}
