// Full verification of the stored audit log (DESIGN §5): recompute every leaf from the stored
// events, rebuild the tree (and compare every stored Merkle hash), check every stored checkpoint's
// signature and root, and name the first bad index and the kind of damage.
import { equalHashes, hashChildren, hashLeaf, openCheckpoint, storedHashIndex, type Hash, type NoteVerifier } from '../audit/index.js';
import type { StoredAuditRecord, StoredCheckpoint, VaultRepository } from '../ports/vault-repository.port.js';

export type DamageKind = 'edited' | 'deleted' | 'reordered' | 'truncated' | 'forged-checkpoint' | 'tree-corrupt';

export interface Damage {
  readonly index: number;
  readonly kind: DamageKind;
  readonly detail: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly events: number;
  readonly checkpoints: number;
  /** Size of the newest checkpoint whose root was recomputed and matched. */
  readonly verifiedCheckpointSize: number;
  readonly damage: Damage | null;
}

/** RFC 6962 §2.1 MTH kept as a compact range: the hashes of the maximal complete subtrees. */
export class CompactRange {
  private readonly stack: Hash[] = [];

  /** Append leaf n; returns the stored hashes it completes (leaf first), as the store writes them. */
  append(n: number, leaf: Hash): Hash[] {
    const produced = [leaf];
    let h = leaf;
    for (let m = n; m & 1; m = Math.floor(m / 2)) {
      h = hashChildren(this.stack.pop() as Hash, h);
      produced.push(h);
    }
    this.stack.push(h);
    return produced;
  }

  root(): Hash | null {
    if (this.stack.length === 0) return null;
    let h = this.stack[this.stack.length - 1] as Hash;
    for (let i = this.stack.length - 2; i >= 0; i--) h = hashChildren(this.stack[i] as Hash, h);
    return h;
  }
}

const PAGE = 4096;

// Paged reads rather than live cursors: the SQLite driver allows one active statement per connection.
function* pagedAudit(repo: AuditLogSource): Generator<StoredAuditRecord> {
  let from = 0;
  for (;;) {
    const page = repo.readAuditRecords(from, PAGE);
    yield* page;
    if (page.length < PAGE) return;
    from = (page[page.length - 1] as StoredAuditRecord).seq + 1;
  }
}

function* pagedHashes(repo: AuditLogSource): Generator<[number, Buffer]> {
  let from = 0;
  for (;;) {
    const page = repo.readStoredHashRange(from, PAGE);
    yield* page;
    if (page.length < PAGE) return;
    from = (page[page.length - 1] as [number, Buffer])[0] + 1;
  }
}

/**
 * The top-level "seq" of a stored leaf without a full JSON.parse (the hot loop of a 1M-event
 * verification). In RFC 8785 output keys are sorted and quotes inside strings are escaped, so
 * the last `"seq":` is the top-level one: only the scalar keys "ts" and "v" sort after it.
 */
function seqOf(json: string): number | null {
  const at = json.lastIndexOf('"seq":');
  if (at < 0 || json.charCodeAt(0) !== 0x7b || json.charCodeAt(json.length - 1) !== 0x7d) return null;
  let i = at + 6;
  let n = 0;
  let digits = 0;
  for (; i < json.length; i++) {
    const c = json.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
    digits++;
  }
  if (digits === 0 || digits > 15 || (json[i] !== ',' && json[i] !== '}')) return null;
  return n;
}

/** What the full check reads: the stored events, the stored Merkle hashes and the checkpoints. */
export type AuditLogSource = Pick<VaultRepository, 'listCheckpoints' | 'readAuditRecords' | 'readStoredHashRange'>;

/** Events between two progress reports of the full check. */
export const VERIFY_PROGRESS_EVERY = PAGE * 16;

export function verifyAuditLog(
  repo: AuditLogSource,
  verifier: NoteVerifier,
  origin: string,
  onProgress?: (eventsChecked: number) => void,
): AuditVerification {
  const checkpoints = repo.listCheckpoints();
  const result = (damage: Damage | null, events: number, verified: number): AuditVerification => ({
    ok: damage === null,
    events,
    checkpoints: checkpoints.length,
    verifiedCheckpointSize: verified,
    damage,
  });

  // 1. Every checkpoint must carry a valid signature, and its columns must match its note.
  for (const c of checkpoints) {
    const opened = openCheckpoint(c.note, verifier, origin);
    if (!opened.ok)
      return result(
        { index: c.size, kind: 'forged-checkpoint', detail: `checkpoint of size ${c.size} does not verify (${opened.error.kind})` },
        0,
        0,
      );
    if (opened.checkpoint.size !== c.size || !equalHashes(opened.checkpoint.rootHash, c.root)) {
      return result(
        { index: c.size, kind: 'forged-checkpoint', detail: `checkpoint of size ${c.size} disagrees with its signed note` },
        0,
        0,
      );
    }
  }

  // 2. Stream events and stored hashes together, rebuilding the tree.
  const range = new CompactRange();
  const hashes = pagedHashes(repo);
  const pendingCheckpoints: StoredCheckpoint[] = [...checkpoints];
  let verified = 0;
  let previousCheckpointSize = 0;
  let n = 0;
  const checkRoot = (): Damage | null => {
    while (pendingCheckpoints.length > 0 && (pendingCheckpoints[0] as StoredCheckpoint).size <= n) {
      const c = pendingCheckpoints.shift() as StoredCheckpoint;
      if (c.size === 0) continue;
      const root = range.root();
      if (c.size !== n || root === null || !equalHashes(root, c.root)) {
        return {
          index: previousCheckpointSize,
          kind: 'edited',
          detail: `the events in [${previousCheckpointSize}, ${c.size}) no longer hash to the root signed at size ${c.size}`,
        };
      }
      verified = c.size;
      previousCheckpointSize = c.size;
    }
    return null;
  };
  const zeroCheck = checkRoot();
  if (zeroCheck) return result(zeroCheck, 0, 0);

  for (const record of pagedAudit(repo)) {
    if (record.seq !== n) {
      return result({ index: n, kind: 'deleted', detail: `event ${n} is missing (next stored event is ${record.seq})` }, n, verified);
    }
    const claimed = seqOf(record.json);
    if (claimed === null)
      return result({ index: n, kind: 'edited', detail: `event ${n} is not valid JSON with a sequence number` }, n, verified);
    if (claimed !== n)
      return result({ index: n, kind: 'reordered', detail: `event stored at ${n} says it is event ${claimed}` }, n, verified);
    const leaf = hashLeaf(Buffer.from(record.json, 'utf8'));
    if (!equalHashes(leaf, record.leafHash))
      return result({ index: n, kind: 'edited', detail: `event ${n} does not match its recorded leaf hash` }, n, verified);
    const produced = range.append(n, leaf);
    let idx = storedHashIndex(0, n);
    for (const h of produced) {
      const next = hashes.next();
      if (next.done || next.value[0] !== idx || !equalHashes(next.value[1], h)) {
        return result(
          { index: n, kind: 'tree-corrupt', detail: `stored Merkle hash ${idx} (for event ${n}) is missing or wrong` },
          n,
          verified,
        );
      }
      idx++;
    }
    n++;
    if (onProgress && n % VERIFY_PROGRESS_EVERY === 0) onProgress(n);
    const d = checkRoot();
    if (d) return result(d, n, verified);
  }
  if (pendingCheckpoints.length > 0) {
    const c = pendingCheckpoints[0] as StoredCheckpoint;
    return result({ index: n, kind: 'truncated', detail: `a checkpoint covers ${c.size} events but only ${n} remain` }, n, verified);
  }
  return result(null, n, verified);
}
