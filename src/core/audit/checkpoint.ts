// C2SP tlog-checkpoint note text (c2sp.org/tlog-checkpoint §Note text): origin, tree size, root
// hash, optional extension lines. Invariant: parseCheckpoint accepts exactly the texts that
// formatCheckpoint can produce, so a checkpoint has one spelling and signatures cannot be replayed
// onto a differently-parsed body.
import { decodeBase64Strict, encodeBase64 } from './base64.js';
import type { Hash } from './merkle/hash.js';
import { HASH_SIZE } from './merkle/hash.js';
import type { NoteSigner, NoteVerifier } from './note-key.js';
import type { NoteError } from './signed-note.js';
import { openNote, signNote } from './signed-note.js';

declare const treeSizeBrand: unique symbol;
/** A number of leaves, 0 <= size < 2^53. */
export type TreeSize = number & { readonly [treeSizeBrand]: 'TreeSize' };

export function isTreeSize(value: number): value is TreeSize {
  return Number.isSafeInteger(value) && value >= 0;
}

export function toTreeSize(value: number): TreeSize {
  if (!isTreeSize(value)) throw new RangeError(`not a tree size: ${value}`);
  return value;
}

export interface Checkpoint {
  readonly origin: string;
  readonly size: TreeSize;
  readonly rootHash: Hash;
  readonly extensions: readonly string[];
}

export type CheckpointError = 'malformed-checkpoint' | 'origin-mismatch';
export type ParseCheckpointResult =
  | { readonly ok: true; readonly checkpoint: Checkpoint }
  | { readonly ok: false; readonly error: 'malformed-checkpoint'; readonly detail: string };

// Sizes are ASCII decimal without leading zeroes (§Note text 2).
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/** Parses canonical ASCII decimal into a safe integer, or undefined. */
export function parseDecimal(text: string): number | undefined {
  if (!DECIMAL.test(text) || text.length > 16) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

function isValidLine(line: string): boolean {
  return line.length > 0 && !line.includes('\n');
}

/** The note text of a checkpoint; every line ends in a newline (§Note text). */
export function formatCheckpoint(c: Checkpoint): string {
  if (!isValidLine(c.origin)) throw new RangeError('checkpoint origin must be one non-empty line'); // §Note text 1
  if (!isTreeSize(c.size)) throw new RangeError('bad tree size');
  if (c.rootHash.length !== HASH_SIZE) throw new RangeError('root hash must be 32 bytes');
  if (!c.extensions.every(isValidLine)) throw new RangeError('extension lines must be non-empty'); // §Note text 4
  const lines = [c.origin, String(c.size), encodeBase64(c.rootHash), ...c.extensions];
  return lines.map((l) => `${l}\n`).join('');
}

/** Strictly parses checkpoint note text (already separated from its signatures). */
export function parseCheckpoint(text: string): ParseCheckpointResult {
  const bad = (detail: string): ParseCheckpointResult => ({ ok: false, error: 'malformed-checkpoint', detail });
  if (!text.endsWith('\n')) return bad('text must end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) return bad('need origin, size and root hash lines'); // §Note text: at least three lines
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '') return bad('empty origin'); // §Note text 1
  const size = parseDecimal(sizeText); // §Note text 2
  if (size === undefined) return bad('tree size is not canonical decimal');
  const rootHash = decodeBase64Strict(rootText); // §Note text 3
  if (rootHash === undefined || rootHash.length !== HASH_SIZE) return bad('root hash is not base64 of 32 bytes');
  if (extensions.some((l) => l === '')) return bad('empty extension line'); // §Note text 4
  return { ok: true, checkpoint: { origin, size: toTreeSize(size), rootHash, extensions } };
}

/** Signs a checkpoint as a signed note. The log's key name SHOULD match the origin (§Signatures). */
export function signCheckpoint(c: Checkpoint, signer: NoteSigner): string {
  return signNote(formatCheckpoint(c), [signer]);
}

export type OpenCheckpointResult =
  | { readonly ok: true; readonly checkpoint: Checkpoint; readonly text: string }
  | { readonly ok: false; readonly error: NoteError | { readonly kind: CheckpointError; readonly detail: string } };

/**
 * Opens a signed checkpoint: the note must carry a valid signature from verifier, and its origin
 * must equal expectedOrigin (by default the verifier's key name, our log's convention).
 */
export function openCheckpoint(
  signed: string | Uint8Array,
  verifier: NoteVerifier,
  expectedOrigin: string = verifier.name,
): OpenCheckpointResult {
  const opened = openNote(signed, [verifier]);
  if (!opened.ok) return { ok: false, error: opened.error };
  const parsed = parseCheckpoint(opened.note.text);
  if (!parsed.ok) return { ok: false, error: { kind: 'malformed-checkpoint', detail: parsed.detail } };
  if (parsed.checkpoint.origin !== expectedOrigin) {
    return {
      ok: false,
      error: {
        kind: 'origin-mismatch',
        detail: `origin ${JSON.stringify(parsed.checkpoint.origin)} is not ${JSON.stringify(expectedOrigin)}`,
      },
    };
  }
  return { ok: true, checkpoint: parsed.checkpoint, text: opened.note.text };
}
