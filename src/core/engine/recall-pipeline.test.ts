// The recall pipeline on an EngineContext over the in-memory repository. The invariant under
// test (see the header of recall-pipeline.ts): every gate runs again at delivery, inside the
// transaction that appends the recall's leaf, so a change that lands while the recall waited for
// the owner is refused there — with its code, audited, and without plaintext.
import { noGovernance } from '../ports/governance.port.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Level } from '../levels.js';
import type { MemoryId, MemoryRow } from '../model/memory.js';
import type { Requester } from '../model/requester.js';
import type { ApprovalDecision, ApprovalGate } from '../ports/approval-gate.port.js';
import { noBoundaryProvider } from '../ports/environment-gate.port.js';
import { noRequesterRegistry } from '../ports/requester-status.port.js';
import { InMemoryVaultRepository } from '../testing/in-memory-vault-repository.js';
import { DEFAULT_CHECKPOINT_POLICY } from '../transparency/checkpointer.js';
import { MEMORY_FORMAT_VERSION } from '../crypto/memory-binding.js';
import { EngineContext } from './engine-context.js';
import { DEFAULT_ANOMALY_RULE } from './lockdown.js';
import { sealMemory } from './memory-sealer.js';
import { RecallPipeline } from './recall-pipeline.js';

const T0 = Date.UTC(2030, 0, 1);
const agent: Requester = { kind: 'agent', agentId: 'agent-a', name: 'a', maxLevel: 5, namespaces: ['work'] };
const approved: ApprovalDecision = { outcome: 'approved', channel: 'test-owner', grantMinutes: 0 };

let contexts: EngineContext[] = [];
afterEach(() => {
  contexts.forEach((c) => c.auditLog.checkpointer.stop());
  contexts = [];
});

function setup(approvals: ApprovalGate = { requestApproval: () => Promise.resolve(approved) }) {
  const repo = new InMemoryVaultRepository();
  let now = T0;
  const ctx = new EngineContext(
    repo,
    'vault-test',
    { now: () => now },
    'p1',
    randomBytes(32),
    {
      approvals,
      environment: noBoundaryProvider,
      hardwareKey: null,
      agentSuspender: null,
      requesterStatus: noRequesterRegistry,
      governance: noGovernance,
    },
    { approvalTimeoutMs: 60_000, anomaly: DEFAULT_ANOMALY_RULE, maxPendingApprovalsPerAgent: 4, checkpoints: DEFAULT_CHECKPOINT_POLICY },
  );
  contexts.push(ctx);
  const seed = (content: string, level: Level, over: Partial<MemoryRow> = {}): MemoryRow => {
    const id: MemoryId = randomUUID() as MemoryId; // minted here as the engine mints it
    const sealed = sealMemory({ memoryId: id, level, profileId: 'p1', profileKey: ctx.profileKey(), content: Buffer.from(content) });
    const row: MemoryRow = {
      id,
      namespace: 'work',
      level,
      profileId: 'p1',
      title: 'seeded',
      tags: [],
      metadata: {},
      intentRef: null,
      createdAt: now,
      createdBy: 'owner:cli',
      expiresAt: null,
      cooldownMs: 0,
      lastRecalledAt: null,
      tombstonedAt: null,
      formatVersion: MEMORY_FORMAT_VERSION,
      contentHash: sealed.contentHash,
      commitSalt: sealed.commitSalt,
      wrappedDek: sealed.wrappedDek,
      hwSalt: null,
      hwCredential: null,
      ciphertext: sealed.ciphertext,
      size: content.length,
      ...over,
    };
    repo.transaction(() => repo.insertMemory(row, { title: row.title, tags: '', metadata: '', content: '' }), 'normal');
    return row;
  };
  const lastLeaf = () => {
    const r = repo.readAuditRecords(repo.auditSize() - 1, 1)[0];
    const json: unknown = r ? JSON.parse(r.json) : null;
    return { kind: r?.kind, json };
  };
  return { repo, ctx, pipeline: new RecallPipeline(ctx), seed, lastLeaf, advance: (ms: number) => (now += ms) };
}

describe('RecallPipeline', () => {
  it('delivers an approved level-3 recall after its leaf has committed', async () => {
    const { repo, pipeline, seed, lastLeaf } = setup();
    const m = seed('alarm code 4711', 3);
    const r = await pipeline.recall({ memoryId: m.id, justification: 'door' }, agent);
    expect(r.content.toString()).toBe('alarm code 4711');
    expect(r.auditSeq).toBe(repo.auditSize() - 1);
    expect(lastLeaf()).toMatchObject({ kind: 'memory.recall', json: { outcome: 'ok' } });
  });

  it('a tombstone that lands while the owner is deciding is refused at delivery (TOMBSTONED), audited, no plaintext', async () => {
    const target: { id?: MemoryId } = {};
    const { repo, pipeline, seed, lastLeaf } = setup({
      requestApproval: () => {
        const id = target.id;
        if (id) repo.transaction(() => repo.tombstone(id, T0), 'full');
        return Promise.resolve(approved);
      },
    });
    const memoryId = seed('alarm code 4711', 3).id;
    target.id = memoryId;
    await expect(pipeline.recall({ memoryId, justification: 'door' }, agent)).rejects.toMatchObject({ code: 'TOMBSTONED' });
    expect(lastLeaf().kind).toBe('memory.recall');
    expect(lastLeaf().json).not.toMatchObject({ outcome: 'ok' });
    expect(repo.getMemory(memoryId)?.lastRecalledAt).toBeNull();
  });

  it('a memory outside the agent namespaces is NOT_FOUND (no existence oracle), and the refusal is audited', async () => {
    const { pipeline, seed, lastLeaf } = setup();
    const m = seed('home stuff', 1, { namespace: 'home' });
    await expect(pipeline.recall({ memoryId: m.id }, agent)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(lastLeaf().kind).toBe('memory.recall');
  });

  it('holds a cooldown between recalls (injected clock) and lets the next one through after it', async () => {
    const { pipeline, seed, advance } = setup();
    const m = seed('rate limited', 1, { cooldownMs: 10_000 });
    await pipeline.recall({ memoryId: m.id }, agent);
    await expect(pipeline.recall({ memoryId: m.id }, agent)).rejects.toMatchObject({ code: 'COOLDOWN' });
    advance(10_001);
    expect((await pipeline.recall({ memoryId: m.id }, agent)).content.toString()).toBe('rate limited');
  });

  it('a ciphertext that fails authentication is INTEGRITY_FAILURE, audited, and never delivered', async () => {
    const { repo, pipeline, seed, lastLeaf } = setup();
    const m = seed('tamper me', 1);
    const bad = Buffer.from(m.ciphertext ?? Buffer.alloc(0));
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1;
    repo.transaction(() => {
      repo.deleteMemories([m.id]);
      repo.insertMemory({ ...m, ciphertext: bad }, { title: m.title, tags: '', metadata: '', content: '' });
    }, 'normal');
    await expect(pipeline.recall({ memoryId: m.id }, agent)).rejects.toMatchObject({ code: 'INTEGRITY_FAILURE' });
    expect(
      repo
        .readAuditRecords(0, 100)
        .some((r) => r.kind === 'integrity.failure' || (r.kind === 'memory.recall' && r.json.includes('INTEGRITY_FAILURE'))),
    ).toBe(true);
    expect(lastLeaf().json).not.toMatchObject({ outcome: 'ok' });
  });
});
