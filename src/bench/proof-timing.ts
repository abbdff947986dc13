// Times the transparency log's proofs at its current size, for the log benchmark and the soak:
// `count` inclusion + consistency proof pairs generated (what the vault does per request), then
// checked auditor-side against the root (including the old root a consistency proof needs).
import { checkRecord, checkTree, hashLeaf, proveRecord, proveTree, treeHash } from '../core/audit/index.js';
import type { VaultRepository } from '../core/ports/vault-repository.port.js';
import { hashReaderOf } from '../core/transparency/repo-hash-reader.js';
import { performance } from 'node:perf_hooks';

export interface ProofTiming {
  readonly leaves: number;
  readonly proofs: number;
  /** Mean time to generate one inclusion and one consistency proof. */
  readonly proveMs: number;
  /** Mean time to check both, including computing the old tree's root. */
  readonly checkMs: number;
}

export function timeProofs(
  repo: Pick<VaultRepository, 'auditSize' | 'readAuditRecords' | 'readStoredHashes'>,
  proofs = 2_000,
): ProofTiming {
  const n = repo.auditSize();
  if (n < 2) throw new Error('proof timing needs at least two audit events');
  const reader = hashReaderOf(repo);
  const root = treeHash(n, reader);
  // Spread over the whole log (a multiplicative hash of i), so deep and shallow paths both count.
  const cases = Array.from({ length: proofs }, (_, i) => ({
    idx: Math.floor((i * 2654435761) % n),
    old: 1 + Math.floor((i * 40503) % (n - 1)),
  }));
  const made: { ip: Uint8Array[]; cp: Uint8Array[] }[] = [];
  const t0 = performance.now();
  for (const c of cases) made.push({ ip: proveRecord(n, c.idx, reader), cp: proveTree(n, c.old, reader) });
  const proveMs = (performance.now() - t0) / proofs;
  const t1 = performance.now();
  cases.forEach((c, i) => {
    const rec = repo.readAuditRecords(c.idx, 1)[0];
    const m = made[i];
    if (!rec || !m) throw new Error('missing event');
    if (!checkRecord(m.ip, n, root, c.idx, hashLeaf(Buffer.from(rec.json, 'utf8'))).ok) throw new Error('inclusion proof failed');
    if (!checkTree(m.cp, n, root, c.old, treeHash(c.old, reader)).ok) throw new Error('consistency proof failed');
  });
  return { leaves: n, proofs, proveMs, checkMs: (performance.now() - t1) / proofs };
}
