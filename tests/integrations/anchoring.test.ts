// Anchoring signed checkpoints at a (fake, real-HTTP) NatLangChain: checkpoint text only, retried
// with backoff when the server is down, verified, and carried into existence-proof bundles.
import { afterEach, describe, expect, it } from 'vitest';
import { anchorRetryDelayMs } from '../../src/core/integrations/anchoring/backoff.js';
import { verifyExistenceProof } from '../../src/core/integrations/existence/verify-existence.js';
import type { Requester } from '../../src/core/model/requester.js';
import { AnchorStore } from '../../src/node/integrations/anchor-store.js';
import { installAnchoring } from '../../src/node/integrations/anchoring-setup.js';
import { proveExistence } from '../../src/node/integrations/existence-prover.js';
import { NatLangChainAnchor } from '../../src/node/integrations/natlangchain-client.js';
import { newVault } from '../support/vault-fixture.js';
import { startFakeChain } from './support/fake-natlangchain.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
const CANARY = 'mv-canary-anchor-93be';
let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

describe('anchoring checkpoints at NatLangChain', () => {
  it('posts the signed checkpoint only, retries after the server comes back, verifies, and shows up in existence proofs', async () => {
    const chain = await startFakeChain();
    cleanups.push(() => chain.stop());
    const v = await newVault();
    cleanups.push(() => {
      v.session.close();
      v.remove();
    });
    const s = v.session;
    const anchor = new NatLangChainAnchor(chain.url);
    expect((await anchor.health()).reachable).toBe(true);
    const witness = installAnchoring(s, anchor);
    cleanups.push(() => witness.stop());

    // Server down: the checkpoint is queued and the failed attempt scheduled for later.
    await chain.stop();
    const m = await s.engine.store({ content: `anchored ${CANARY}`, level: 2, title: `t ${CANARY}` }, owner);
    const first = await s.engine.auditLog.checkpointNow();
    await witness.idle();
    const store = new AnchorStore(s.database);
    const queued = store.list();
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ status: 'pending', checkpointSize: first.size, attempts: 1 });
    expect(queued[0]?.receipt.lastError).toMatch(/cannot be reached/);
    expect(queued[0]?.nextAttemptAt).not.toBeNull();

    // Back up: retry posts it; the entry is the checkpoint text and nothing else.
    await chain.start();
    expect(await witness.retryNow()).toMatchObject({ posted: 1, failed: 0 });
    expect(chain.entries).toHaveLength(1);
    const body = chain.entries[0]?.body ?? {};
    expect(body.content).toBe(first.note);
    expect(body.metadata).toEqual({ origin: s.engine.auditLog.origin, tree_size: first.size });
    expect(JSON.stringify(chain.entries)).not.toContain(CANARY);

    // Not mined yet → still "posted"; after mining → "anchored" with the chain's proof.
    expect((await witness.pass()).anchored).toBe(0);
    chain.mine();
    expect((await witness.pass()).anchored).toBe(1);
    const anchored = store.list().find((r) => r.checkpointSize === first.size);
    expect(anchored).toMatchObject({
      status: 'anchored',
      receipt: { entryId: 'entry-1', inclusion: { blockHash: 'block-1', blockHeight: 1 } },
    });

    // The existence proof carries the anchor, with an inclusion proof against the anchored checkpoint.
    const proof = await proveExistence(s, m.id);
    expect(proof.anchors).toHaveLength(1);
    expect(proof.anchors[0]).toMatchObject({
      anchor: anchor.name,
      checkpointSize: first.size,
      status: 'anchored',
      receipt: { entryId: 'entry-1' },
    });
    const verdict = verifyExistenceProof(JSON.parse(JSON.stringify(proof)), { trustedKey: s.engine.auditLog.verifierKey });
    expect(verdict).toMatchObject({ valid: true, anchorsChecked: 1 });
    const broken = { ...proof, anchors: [{ ...proof.anchors[0], tlogProof: proof.anchors[0]?.tlogProof.replace(/index \d+/, 'index 0') }] };
    expect(verifyExistenceProof(broken, { trustedKey: s.engine.auditLog.verifierKey }).valid).toBe(false);
  });

  it('coalesces queued checkpoints and backs off exponentially up to a cap', () => {
    expect([1, 2, 3, 4].map((n) => anchorRetryDelayMs(n))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(anchorRetryDelayMs(100)).toBe(60 * 60_000);
  });

  it('never blocks recalls: a hanging anchor leaves the engine working', async () => {
    const v = await newVault();
    cleanups.push(() => {
      v.session.close();
      v.remove();
    });
    const s = v.session;
    let release: () => void = () => undefined;
    const hanging = {
      name: 'hanging',
      publish: () => new Promise<never>((_, reject) => (release = () => reject(new Error('gave up')))),
      inclusion: () => Promise.resolve({ included: false as const }),
      health: () => Promise.resolve({ reachable: false, detail: 'hangs' }),
    };
    const witness = installAnchoring(s, hanging);
    cleanups.push(() => witness.stop());
    const m = await s.engine.store({ content: 'still works', level: 1, title: 't' }, owner);
    await s.engine.auditLog.checkpointNow();
    await s.engine.store({ content: 'more', level: 1, title: 't2' }, owner);
    await s.engine.auditLog.checkpointNow();
    expect((await s.engine.recall({ memoryId: m.id }, owner)).content.toString()).toBe('still works');
    const pending = new AnchorStore(s.database).list();
    expect(pending).toHaveLength(1); // the newer checkpoint superseded the queued one
    expect(pending[0]?.checkpointSize).toBe(s.repo.latestCheckpoint()?.size);
    release();
    await witness.idle();
  });
});
