// The full audit check in its worker thread (audit-verify-worker.ts) against the same check run
// in process: same answer on an intact and on a tampered log, progress reported, cancellable.
import { afterEach, describe, expect, it } from 'vitest';
import { exportBundle } from '../../core/transparency/audit-proofs.js';
import { verifyAuditLog } from '../../core/transparency/audit-verifier.js';
import type { WorkProgress } from '../../core/long-work.js';
import { newVault } from '../../../tests/support/vault-fixture.js';
import type { VaultSession } from '../vault/vault-session.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

async function vaultWithEvents(n: number): Promise<VaultSession> {
  const v = await newVault();
  cleanups.push(v.remove, () => v.session.close());
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      v.session.engine.recordEvent(
        { kind: 'memory.list', actor: { type: 'owner', id: 'cli' }, outcome: 'ok', details: { results: i } },
        'normal',
      ),
    ),
  );
  return v.session;
}

function inProcess(s: VaultSession) {
  return verifyAuditLog(s.repo, s.engine.auditLog.keys.verifier, s.engine.auditLog.origin);
}

describe('full audit verification in a worker thread', () => {
  it('answers what the in-process check answers, and reports progress up to the last event', async () => {
    const s = await vaultWithEvents(300);
    const progress: WorkProgress[] = [];
    const viaWorker = await s.engine.auditLog.verify({ onProgress: (p) => progress.push(p) });
    expect(viaWorker.ok).toBe(true);
    expect(viaWorker).toEqual(inProcess(s));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((p) => p.phase === 'verify')).toBe(true);
    expect(progress.at(-1)).toEqual({ phase: 'verify', done: viaWorker.events, total: viaWorker.events });
  });

  it('still finds a tampered event, naming the same index and kind as the in-process check', async () => {
    const s = await vaultWithEvents(50);
    await s.engine.auditLog.checkpointNow();
    const changed = s.database
      .prepare(`UPDATE audit_events SET json = replace(json, '"outcome":"ok"', '"outcome":"no"') WHERE seq = ?`)
      .run(9);
    expect(changed.changes).toBe(1);
    const viaWorker = await s.engine.auditLog.verify();
    expect(viaWorker.ok).toBe(false);
    expect(viaWorker.damage).toMatchObject({ index: 9, kind: 'edited' });
    expect(viaWorker).toEqual(inProcess(s));
  });

  it('a cancelled verification fails with CANCELLED, before it starts and while it runs', async () => {
    const s = await vaultWithEvents(20);
    const before = new AbortController();
    before.abort();
    await expect(s.engine.auditLog.verify({ signal: before.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    const during = new AbortController();
    const running = s.engine.auditLog.verify({ signal: during.signal, onProgress: () => during.abort() });
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    // The session is unharmed: the next verification runs to the end.
    await expect(s.engine.auditLog.verify()).resolves.toMatchObject({ ok: true });
  });
});

describe('proof bundle export in a worker thread', () => {
  it('builds the bundle the in-process export builds against the same checkpoint', async () => {
    const s = await vaultWithEvents(120);
    const filter = { kind: 'memory.list', limit: 50 };
    const viaWorker = await s.engine.auditLog.exportBundle(filter);
    const latest = s.engine.auditLog.checkpoints().at(-1);
    if (!latest) throw new Error('no checkpoint');
    expect(viaWorker).toEqual(exportBundle(s.repo, s.engine.auditLog.keys, latest, filter));
    expect(viaWorker.events).toHaveLength(50);
  });
});
