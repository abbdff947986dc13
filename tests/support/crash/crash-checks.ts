// The crash harness's checks on a reopened vault, against what the journal saw acknowledged and
// against the vault's own tables. Two rules:
//   1. every acknowledged operation left both its state change and its audit leaf;
//   2. for every operation at all, state and leaf are both present or both absent (a memory row
//      without its memory.store leaf, a tombstone without memory.tombstone, a dead-man check-in
//      time no deadman.checkin leaf states, a decision leaf with no request: each is a finding).
// Key rotations too: the key the vault opens with is the one its last key.rotation leaf names.
// Each check returns findings as sentences, so a failing round says what is missing where.
import { z } from 'zod';
import { keyFingerprint, zeroize } from '../../../src/core/crypto/keys.js';
import type { Credentials } from '../../../src/node/vault/credentials.js';
import { readDeadmanState } from '../../../src/node/deadman/deadman.service.js';
import type { VaultSession } from '../../../src/node/vault/vault-session.js';
import type { CrashJournal } from './crash-journal.js';

/** An audit leaf as read back from the database: parsed, not cast. */
const leafSchema = z
  .object({
    seq: z.number().int(),
    kind: z.string(),
    outcome: z.string(),
    code: z.string().optional(),
    actor: z.object({ type: z.string(), id: z.string() }).passthrough(),
    memory: z.object({ id: z.string(), level: z.number().int() }).passthrough().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();
type Leaf = z.infer<typeof leafSchema>;

export function readLeaves(session: VaultSession): Leaf[] {
  const rows = session.engine.auditLog.list({ limit: Number.MAX_SAFE_INTEGER });
  return rows.map((r) => leafSchema.parse(JSON.parse(r.json)));
}

const memoryRowSchema = z.object({ id: z.string(), tombstoned_at: z.number().int().nullable() });

function countBy<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) {
    const k = key(i);
    if (k !== undefined) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Stores and tombstones: acknowledged ones complete; every row and every leaf matched by the other. */
export function checkMemories(session: VaultSession, leaves: readonly Leaf[], journal: CrashJournal): string[] {
  const findings: string[] = [];
  const rows = z.array(memoryRowSchema).parse(session.database.prepare('SELECT id, tombstoned_at FROM memories').all());
  const byId = new Map(rows.map((r) => [r.id, r]));
  const storeLeaves = countBy(
    leaves.filter((l) => l.kind === 'memory.store' && l.outcome === 'ok'),
    (l) => l.memory?.id,
  );
  const tombstoneLeaves = countBy(
    leaves.filter((l) => l.kind === 'memory.tombstone' && l.outcome === 'ok'),
    (l) => l.memory?.id,
  );
  for (const ack of [...journal.stores, ...journal.ownerStores]) {
    if (!byId.has(ack.id)) findings.push(`acknowledged store ${ack.id} has no memory row`);
    if (!storeLeaves.has(ack.id)) findings.push(`acknowledged store ${ack.id} has no memory.store leaf`);
  }
  for (const id of journal.tombstones) {
    if (byId.get(id)?.tombstoned_at == null) findings.push(`acknowledged tombstone ${id}: memory is not tombstoned`);
    if (!tombstoneLeaves.has(id)) findings.push(`acknowledged tombstone ${id} has no memory.tombstone leaf`);
  }
  for (const r of rows) {
    const stored = storeLeaves.get(r.id) ?? 0;
    if (stored !== 1) findings.push(`memory ${r.id} has ${stored} memory.store leaves (expected exactly 1)`);
    const tombstoned = tombstoneLeaves.get(r.id) ?? 0;
    if (r.tombstoned_at !== null && tombstoned !== 1)
      findings.push(`memory ${r.id} is tombstoned with ${tombstoned} memory.tombstone leaves`);
    if (r.tombstoned_at === null && tombstoned > 0) findings.push(`memory ${r.id} has a memory.tombstone leaf but is not tombstoned`);
  }
  for (const id of storeLeaves.keys()) if (!byId.has(id)) findings.push(`memory.store leaf for ${id} but no memory row`);
  for (const id of tombstoneLeaves.keys()) if (!byId.has(id)) findings.push(`memory.tombstone leaf for ${id} but no memory row`);
  return findings;
}

/**
 * Dead-man check-ins: each acknowledged one has its leaf (by the deadline it returned) and the
 * state is at least that recent; and the state's last check-in is exactly the one the latest
 * leaf of this switch states (or the arming time when there is none) — never ahead, never behind.
 */
export function checkDeadman(session: VaultSession, leaves: readonly Leaf[], journal: CrashJournal): string[] {
  const findings: string[] = [];
  const state = readDeadmanState(session);
  if (!state) return journal.checkIns.length > 0 ? ['dead-man state is gone though check-ins were acknowledged'] : [];
  const mine = leaves.filter((l) => l.kind === 'deadman.checkin' && l.outcome === 'ok' && l.details?.['switchId'] === state.id);
  const deadlines = new Set(mine.map((l) => str(l.details?.['deadline'])));
  for (const d of journal.checkIns) {
    if (!deadlines.has(new Date(d).toISOString()))
      findings.push(`acknowledged check-in (deadline ${new Date(d).toISOString()}) has no deadman.checkin leaf`);
    if (state.lastCheckIn < d - state.intervalMs)
      findings.push(`acknowledged check-in (deadline ${new Date(d).toISOString()}) is not in the dead-man state`);
  }
  const latest = mine[mine.length - 1];
  const leafTime = latest ? Date.parse(str(latest.details?.['deadline']) ?? '') - state.intervalMs : state.armedAt;
  if (state.lastCheckIn !== leafTime) {
    findings.push(
      `dead-man state says last check-in ${new Date(state.lastCheckIn).toISOString()} but the log's last ${latest ? `deadman.checkin (seq ${latest.seq})` : 'deadman.arm'} says ${new Date(leafTime).toISOString()}: state and leaf disagree`,
    );
  }
  return findings;
}

/**
 * Approvals and grants: each acknowledged decision has its approval.granted/denied leaf and the
 * recall leaf that followed it; each acknowledged grant use has a recall leaf approved via the
 * grant; every decision leaf answers a request leaf logged before it, at most once.
 */
export function checkApprovals(leaves: readonly Leaf[], journal: CrashJournal): string[] {
  const findings: string[] = [];
  const requested = new Map<string, number>();
  const decided = new Map<string, { kind: string; seq: number }[]>();
  for (const l of leaves) {
    const id = str(l.details?.['requestId']);
    if (id === undefined) continue;
    if (l.kind === 'approval.requested') requested.set(id, l.seq);
    else if (
      l.kind === 'approval.granted' ||
      l.kind === 'approval.denied' ||
      l.kind === 'approval.expired' ||
      l.kind === 'approval.cancelled'
    ) {
      decided.set(id, [...(decided.get(id) ?? []), { kind: l.kind, seq: l.seq }]);
    }
  }
  for (const [id, ds] of decided) {
    const req = requested.get(id);
    if (req === undefined || ds.some((d) => d.seq < req))
      findings.push(`${ds.map((d) => d.kind).join('+')} for request ${id} without an earlier approval.requested leaf`);
    if (ds.length > 1) findings.push(`request ${id} was decided ${ds.length} times (${ds.map((d) => d.kind).join(', ')})`);
  }
  const recalls = leaves.filter((l) => l.kind === 'memory.recall');
  const viaOwner = countBy(
    recalls.filter((l) => l.outcome === 'ok' && l.details?.['approvedVia'] !== undefined && l.details['approvedVia'] !== 'grant'),
    (l) => l.memory?.id,
  );
  const viaGrant = countBy(
    recalls.filter((l) => l.outcome === 'ok' && l.details?.['approvedVia'] === 'grant'),
    (l) => l.memory?.id,
  );
  const deniedRecalls = countBy(
    recalls.filter((l) => l.outcome === 'refused' && l.code === 'APPROVAL_DENIED'),
    (l) => l.memory?.id,
  );
  for (const a of journal.approvals) {
    const kinds = (decided.get(a.requestId) ?? []).map((d) => d.kind);
    const want = a.approved ? 'approval.granted' : 'approval.denied';
    if (!kinds.includes(want))
      findings.push(
        `acknowledged ${a.approved ? 'approval' : 'denial'} of request ${a.requestId} has no ${want} leaf (found: ${kinds.join(', ') || 'none'})`,
      );
  }
  const ackApproved = countBy(
    journal.approvals.filter((a) => a.approved),
    (a) => a.memoryId,
  );
  const ackDenied = countBy(
    journal.approvals.filter((a) => !a.approved),
    (a) => a.memoryId,
  );
  for (const [m, n] of ackApproved)
    if ((viaOwner.get(m) ?? 0) < n)
      findings.push(`memory ${m}: ${n} approved recalls acknowledged, ${viaOwner.get(m) ?? 0} owner-approved memory.recall leaves`);
  for (const [m, n] of ackDenied)
    if ((deniedRecalls.get(m) ?? 0) < n)
      findings.push(`memory ${m}: ${n} denials acknowledged, ${deniedRecalls.get(m) ?? 0} refused (APPROVAL_DENIED) memory.recall leaves`);
  for (const [m, n] of countBy(journal.grantUses, (id) => id)) {
    if ((viaGrant.get(m) ?? 0) < n)
      findings.push(`memory ${m}: ${n} grant uses acknowledged, ${viaGrant.get(m) ?? 0} memory.recall leaves approved via a grant`);
  }
  return findings;
}

/** The fingerprint of the profile key the vault opens with now (rotation leaves name keys this way). */
export async function currentKeyFingerprint(session: VaultSession, credentials: Credentials): Promise<string> {
  const keys = await session.openKeys(credentials);
  try {
    return keyFingerprint(keys.profileKey);
  } finally {
    zeroize(keys.wrappingKey, keys.profileKey);
  }
}

/**
 * Key rotations: each acknowledged one has its key.rotation leaf, and the key the vault opens
 * with is the one the latest key.rotation leaf moved to (the first key when there is none): a
 * rotation that changed the keys without its leaf, or a leaf whose rotation was rolled back, is
 * a finding.
 */
export function checkRotations(leaves: readonly Leaf[], journal: CrashJournal, keys: { initial: string; current: string }): string[] {
  const findings: string[] = [];
  const rotations = leaves.filter((l) => l.kind === 'key.rotation' && l.outcome === 'ok');
  const ids = new Set(rotations.map((l) => str(l.details?.['rotationId'])));
  for (const r of journal.rotations)
    if (!ids.has(r.rotationId)) findings.push(`acknowledged key rotation ${r.rotationId} has no key.rotation leaf`);
  const latest = rotations[rotations.length - 1];
  const expected = latest ? str(latest.details?.['to']) : keys.initial;
  if (keys.current !== expected) {
    findings.push(
      `the vault opens with key ${keys.current} but the log's ${latest ? `last key.rotation (seq ${latest.seq}) moved to` : 'rotations (none) leave it at'} ${expected ?? '?'}`,
    );
  }
  return findings;
}

/** Every check over one reopened vault; an empty list means the round is clean. */
export function crashFindings(
  session: VaultSession,
  journal: CrashJournal,
  opts: { deadman: boolean; leaves?: readonly Leaf[] },
): string[] {
  const leaves = opts.leaves ?? readLeaves(session);
  return [
    ...journal.problems,
    ...checkMemories(session, leaves, journal),
    ...checkApprovals(leaves, journal),
    ...(opts.deadman ? checkDeadman(session, leaves, journal) : []),
  ];
}
