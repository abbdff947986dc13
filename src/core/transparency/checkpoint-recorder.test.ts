// The checkpoint record written off the loop (CheckpointRecorder.cover): commits that land while
// a record write is in flight share the next one, every durable commit is answered only once a
// record covering it is durable, and a failed write fails exactly the commits it was to cover.
import { afterEach, describe, expect, it } from 'vitest';
import { VaultError } from '../errors.js';
import { newVault } from '../../../tests/support/vault-fixture.js';
import type { CheckpointRecordStore } from './checkpoint-record.port.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** A record store that counts its writes and lets the test fail the next asynchronous one. */
function countingStore(): CheckpointRecordStore & { sizes: number[]; failNext: boolean } {
  let note: string | null = null;
  const store = {
    description: 'test record',
    sizes: [] as number[],
    failNext: false,
    read: () => note,
    write: (r: { size: number; note: string }) => {
      store.sizes.push(r.size);
      note = r.note;
    },
    writeAsync: async (r: { size: number; note: string }) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (store.failNext) {
        store.failNext = false;
        throw new VaultError('STORAGE_FULL', 'test: disk full');
      }
      store.write(r);
    },
  };
  return store;
}

const event = (i: number) => ({
  kind: 'memory.list' as const,
  actor: { type: 'owner' as const, id: 'cli' },
  outcome: 'ok' as const,
  details: { results: i },
});

describe('CheckpointRecorder off the loop', () => {
  it('many concurrent durable commits share a few record writes, and each is answered covered', async () => {
    const v = await newVault();
    cleanups.push(v.remove, () => v.session.close());
    const log = v.session.engine.auditLog;
    const store = countingStore();
    log.attachRecord(store);
    const writesBefore = store.sizes.length;
    const seqs = await Promise.all(Array.from({ length: 200 }, (_, i) => v.session.engine.recordEvent(event(i), 'full')));
    const recorded = store.sizes.at(-1) ?? 0;
    expect(recorded).toBeGreaterThan(Math.max(...seqs));
    expect(store.sizes.length - writesBefore).toBeLessThan(20);
    expect([...store.sizes]).toEqual([...store.sizes].sort((a, b) => a - b));
  });

  it('a record write that fails fails the commits it was to cover; the next commit is covered again', async () => {
    const v = await newVault();
    cleanups.push(v.remove, () => v.session.close());
    const store = countingStore();
    v.session.engine.auditLog.attachRecord(store);
    store.failNext = true;
    await expect(v.session.engine.recordEvent(event(1), 'full')).rejects.toMatchObject({ code: 'STORAGE_FULL' });
    const seq = await v.session.engine.recordEvent(event(2), 'full');
    expect(store.sizes.at(-1)).toBeGreaterThan(seq);
  });
});
