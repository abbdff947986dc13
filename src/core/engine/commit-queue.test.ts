// Group commit over the in-memory repository: one transaction per turn, one bad operation never
// takes the others with it, and a durable commit whose after-commit hook fails is not acknowledged.
import { describe, expect, it } from 'vitest';
import { VaultError } from '../errors.js';
import type { VaultRepository } from '../ports/vault-repository.port.js';
import { InMemoryVaultRepository } from '../testing/in-memory-vault-repository.js';
import { CommitQueue } from './commit-queue.js';

function setup() {
  const repo = new InMemoryVaultRepository();
  return { repo, queue: new CommitQueue(repo) };
}

describe('CommitQueue', () => {
  it('commits what is submitted in one turn as one transaction, and answers each caller with its value', async () => {
    const { repo, queue } = setup();
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        queue.submit(() => {
          expect(repo.inTransaction()).toBe(true);
          repo.setState(`k${n}`, String(n));
          return n * 10;
        }, 'normal'),
      ),
    );
    expect(results).toEqual([10, 20, 30]);
    expect(repo.commits).toEqual({ normal: 1, full: 0 });
    expect([repo.getState('k1'), repo.getState('k2'), repo.getState('k3')]).toEqual(['1', '2', '3']);
  });

  it('a batch with one durable operation commits durably', async () => {
    const { repo, queue } = setup();
    await Promise.all([queue.submit(() => repo.setState('a', '1'), 'normal'), queue.submit(() => repo.setState('b', '1'), 'full')]);
    expect(repo.commits).toEqual({ normal: 0, full: 1 });
  });

  it('one failing operation is rejected alone; its writes are gone and the others commit', async () => {
    const { repo, queue } = setup();
    const ok1 = queue.submit(() => repo.setState('ok1', 'y'), 'normal');
    const bad = queue.submit(() => {
      repo.setState('bad', 'y');
      throw new VaultError('FORBIDDEN', 'no');
    }, 'normal');
    const bug = queue.submit(() => {
      throw new Error('a bug with a message that must not leak');
    }, 'normal');
    const ok2 = queue.submit(() => repo.setState('ok2', 'y'), 'normal');
    await expect(bad).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // A non-vault error becomes AUDIT_FAILURE: the caller learns nothing was released, not the bug.
    await expect(bug).rejects.toMatchObject({ code: 'AUDIT_FAILURE' });
    await Promise.all([ok1, ok2]);
    expect([repo.getState('ok1'), repo.getState('bad'), repo.getState('ok2')]).toEqual(['y', undefined, 'y']);
  });

  it('a durable commit whose after-commit hook fails is not acknowledged; a normal one never runs the hook', async () => {
    const { repo, queue } = setup();
    let hookRuns = 0;
    queue.afterDurableCommit = () => {
      hookRuns++;
      throw new Error('record not written');
    };
    await expect(queue.submit(() => repo.setState('n', '1'), 'normal')).resolves.toBeUndefined();
    expect(hookRuns).toBe(0);
    await expect(queue.submit(() => repo.setState('f', '1'), 'full')).rejects.toMatchObject({ code: 'AUDIT_FAILURE' });
    expect(hookRuns).toBe(1);
  });

  it('a durable commit is acknowledged only once an asynchronous after-commit hook resolves; its rejection fails the callers', async () => {
    const { repo, queue } = setup();
    let finish: (() => void) | undefined;
    queue.afterDurableCommit = () => new Promise<void>((resolve) => (finish = resolve));
    let answered = false;
    const p = queue.submit(() => repo.setState('f', '1'), 'full').then(() => (answered = true));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(repo.getState('f')).toBe('1');
    expect(answered).toBe(false);
    finish?.();
    await p;
    expect(answered).toBe(true);
    queue.afterDurableCommit = () => Promise.reject(new VaultError('STORAGE_FULL', 'disk full'));
    await expect(queue.submit(() => repo.setState('g', '1'), 'full')).rejects.toMatchObject({ code: 'STORAGE_FULL' });
  });

  it('with an off-loop flush, a durable batch commits at normal durability and is acknowledged after the flush, then the hook', async () => {
    const { repo, queue } = setup();
    const order: string[] = [];
    const asked: string[] = [];
    const transaction = repo.transaction.bind(repo);
    repo.transaction = <T>(fn: () => T, d: 'normal' | 'full'): T => {
      asked.push(d);
      return transaction(fn, d);
    };
    let flushed: (() => void) | undefined;
    const port: VaultRepository = repo;
    port.flushCommitted = () =>
      new Promise<void>((resolve) => {
        order.push('flush started');
        flushed = () => {
          order.push('flushed');
          resolve();
        };
      });
    queue.afterDurableCommit = () => {
      order.push('hook');
      return undefined;
    };
    const p = queue.submit(() => repo.setState('f', '1'), 'full').then(() => order.push('acknowledged'));
    await new Promise((r) => setImmediate(r));
    expect(asked).toEqual(['normal']);
    expect(order).toEqual(['flush started']);
    flushed?.();
    await p;
    expect(order).toEqual(['flush started', 'flushed', 'hook', 'acknowledged']);
  });

  it('is idle once everything queued has committed; flushNow commits without waiting for the next turn', async () => {
    const { repo, queue } = setup();
    expect(queue.idle).toBe(true);
    const p = queue.submit(() => repo.setState('x', '1'), 'normal');
    expect(queue.idle).toBe(false);
    queue.flushNow();
    expect(repo.getState('x')).toBe('1');
    await p;
    expect(queue.idle).toBe(true);
  });
});
