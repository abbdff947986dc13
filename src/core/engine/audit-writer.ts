// Appends audit leaves: RFC 8785 canonical JSON of the event, RFC 6962 leaf hash, and the
// Merkle tree's new stored hashes, all through the repository inside the caller's transaction.
import type { AuditEventInput, AuditLeaf } from '../events/audit-event.js';
import type { Clock } from '../ports/clock.port.js';
import type { VaultRepository } from '../ports/vault-repository.port.js';
import { canonicalJson } from '../audit/canonical-json.js';
import { hashLeaf, storedHashIndex, storedHashesForRecordHash } from '../audit/merkle/index.js';

export class AuditWriter {
  constructor(
    private readonly repo: VaultRepository,
    private readonly clock: Clock,
    private readonly onAppend: (event: AuditEventInput) => void = () => undefined,
  ) {}

  /** Must be called inside a repository transaction. Returns the new leaf's sequence number. */
  append(event: AuditEventInput): number {
    const seq = this.repo.auditSize();
    const ts = this.clock.now();
    const leaf: AuditLeaf = { v: 1, seq, ts: new Date(ts).toISOString(), ...event };
    const json = canonicalJson(leaf);
    const leafHash = Buffer.from(hashLeaf(Buffer.from(json, 'utf8')));
    const reader = { readHashes: (idx: readonly number[]) => this.repo.readStoredHashes(idx) };
    const hashes = storedHashesForRecordHash(seq, leafHash, reader).map((h) => Buffer.from(h));
    this.repo.appendAuditRecord({ seq, ts, kind: event.kind, json, leafHash }, hashes, storedHashIndex(0, seq));
    this.onAppend(event);
    return seq;
  }
}
