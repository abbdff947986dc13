// Builds existence proofs from an open vault (owner only). The proof uses the earliest stored
// checkpoint that covers the memory's store event — the tightest "existed before checkpoint N"
// bound — and adds every anchored checkpoint covering it, each with its own inclusion proof.
// The optional disclosure (content + salt) is produced separately, through a normal owner recall.
import { VaultError } from '../../core/errors.js';
import {
  EXISTENCE_DISCLOSURE_FORMAT,
  EXISTENCE_PROOF_FORMAT,
  EXISTENCE_STATEMENT,
  type AnchorEvidence,
  type ExistenceDisclosure,
  type ExistenceProof,
} from '../../core/integrations/existence/existence-proof.js';
import { parseMemoryId } from '../../core/common/ids.schema.js';
import type { MemoryRow } from '../../core/model/memory.js';
import type { Requester } from '../../core/model/requester.js';
import type { StoredCheckpoint } from '../../core/ports/vault-repository.port.js';
import { proveEvent } from '../../core/transparency/audit-proofs.js';
import type { VaultSession } from '../vault/vault-session.js';
import { AnchorStore } from './anchor-store.js';

/** Checkpoints are listed in size order: the first one larger than `index` covers it most tightly. */
function earliestCovering(session: VaultSession, index: number): StoredCheckpoint | undefined {
  return session.reads.listCheckpoints().find((c) => c.size > index);
}

/** The CLI hands over what the owner typed: only a string that parses as a full id is looked up. */
function memoryById(session: VaultSession, memoryId: string): MemoryRow | undefined {
  const id = parseMemoryId(memoryId);
  return id === undefined ? undefined : session.reads.getMemory(id);
}

function storeEventIndex(session: VaultSession, memoryId: string): number {
  const found = session.reads.queryAudit({ kind: 'memory.store', memoryId, outcome: 'ok', limit: 1 })[0];
  if (!found) throw new VaultError('NOT_FOUND', 'This memory has no store event in the audit log.');
  return found.seq;
}

export async function proveExistence(session: VaultSession, memoryId: string): Promise<ExistenceProof> {
  const row = memoryById(session, memoryId);
  if (!row) throw new VaultError('NOT_FOUND', 'No such memory.');
  const index = storeEventIndex(session, row.id);
  const log = session.engine.auditLog;
  const checkpoint = earliestCovering(session, index) ?? (await log.checkpointNow());
  const proof = proveEvent(session.reads, index, checkpoint);
  const event = JSON.parse(proof.canonicalJson) as { memory?: { commitment?: unknown } };
  const commitment = event.memory?.commitment;
  if (typeof commitment !== 'string') throw new VaultError('INTEGRITY_FAILURE', 'The store event carries no commitment.');

  const anchors: AnchorEvidence[] = [];
  for (const a of new AnchorStore(session.tables.anchorReceipts).covering(index)) {
    const anchored = session.reads.checkpointAt(a.checkpointSize);
    if (!anchored || a.status === 'pending') continue;
    anchors.push({
      anchor: a.anchor,
      checkpointSize: a.checkpointSize,
      status: a.status,
      receipt: { ...a.receipt },
      tlogProof: proveEvent(session.reads, index, anchored).tlogProof,
    });
  }
  await session.engine.recordEvent({
    kind: 'existence.export',
    actor: { type: 'owner', id: session.ownerProof().channel },
    outcome: 'ok',
    memory: { id: row.id, level: row.level },
    details: { checkpointSize: checkpoint.size, anchors: anchors.length },
  });
  return {
    format: EXISTENCE_PROOF_FORMAT,
    version: 1,
    statement: EXISTENCE_STATEMENT.replace('{id}', row.id),
    memoryId: row.id,
    commitment,
    event: { index, canonicalJson: proof.canonicalJson },
    tlogProof: proof.tlogProof,
    checkpointSize: checkpoint.size,
    verifierKey: log.verifierKey,
    anchors,
    createdAt: new Date().toISOString(),
  };
}

/**
 * Content and salt that open the commitment. The content comes from an owner recall, so every
 * gate (approval, environment, security key) applies and the disclosure is audited as a recall.
 */
export async function discloseExistence(session: VaultSession, memoryId: string, owner: Requester): Promise<ExistenceDisclosure> {
  const row = memoryById(session, memoryId);
  if (!row) throw new VaultError('NOT_FOUND', 'No such memory.');
  const recalled = await session.engine.recall({ memoryId: row.id, justification: 'existence proof disclosure' }, owner);
  try {
    const event = session.reads.queryAudit({ kind: 'memory.store', memoryId: row.id, outcome: 'ok', limit: 1 })[0];
    const commitment = event ? (JSON.parse(event.json) as { memory: { commitment: string } }).memory.commitment : '';
    return {
      format: EXISTENCE_DISCLOSURE_FORMAT,
      version: 1,
      memoryId: row.id,
      commitment,
      salt: row.commitSalt.toString('hex'),
      contentBase64: recalled.content.toString('base64'),
    };
  } finally {
    recalled.content.fill(0);
  }
}
