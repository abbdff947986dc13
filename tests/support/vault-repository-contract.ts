// The storage port's contract, run with the same assertions against every implementation
// (src/node/store/sqlite-vault-repository.contract.test.ts and
// src/core/testing/in-memory-vault-repository.test.ts): what engine code may rely on, whichever
// repository it is given.
import { describe, expect, it } from 'vitest';
import type { Level } from '../../src/core/levels.js';
import type { MemoryId, MemoryRow } from '../../src/core/model/memory.js';
import type { MemoryFilter, SearchText, StoredAuditRecord, VaultRepository } from '../../src/core/ports/vault-repository.port.js';

export interface RepositoryUnderTest {
  readonly repo: VaultRepository;
  close(): void;
}

const ID = (n: number): MemoryId => {
  const hex = n.toString(16).padStart(8, '0');
  const id: string = `${hex}-0000-4000-8000-${hex}0000`;
  // Test data, not untrusted input: a well-formed UUID built from a counter.
  return id as MemoryId;
};

export function memoryRow(n: number, over: Partial<MemoryRow> = {}): MemoryRow {
  return {
    id: ID(n),
    namespace: 'default',
    level: 0,
    profileId: 'p1',
    title: `memory ${n}`,
    tags: ['t'],
    metadata: { k: 'v', n: 1, ok: true, none: null },
    intentRef: null,
    createdAt: 1_000 + n,
    createdBy: 'owner',
    expiresAt: null,
    cooldownMs: 0,
    lastRecalledAt: null,
    tombstonedAt: null,
    formatVersion: 1,
    contentHash: Buffer.alloc(32, n),
    commitSalt: Buffer.alloc(16, n),
    wrappedDek: Buffer.alloc(40, 1),
    hwSalt: null,
    hwCredential: null,
    ciphertext: Buffer.from(`sealed ${n}`),
    size: 10,
    ...over,
  };
}

const text = (title: string, content = ''): SearchText => ({ title, tags: '', metadata: '', content });
const all: MemoryFilter = { levels: [0, 1, 2, 3, 4, 5], namespaces: null, includeTombstoned: false, limit: 100, offset: 0 };
const audit = (seq: number, kind = 'memory.store', json: object = {}): StoredAuditRecord => ({
  seq,
  ts: 10 * seq,
  kind,
  json: JSON.stringify(json),
  leafHash: Buffer.alloc(32, seq),
});

export function describeVaultRepositoryContract(name: string, open: () => RepositoryUnderTest): void {
  const withRepo = (fn: (repo: VaultRepository) => void) => () => {
    const r = open();
    try {
      fn(r.repo);
    } finally {
      r.close();
    }
  };
  const insert = (repo: VaultRepository, row: MemoryRow, t: SearchText = text(row.title)) =>
    repo.transaction(() => repo.insertMemory(row, t), 'normal');

  describe(`${name}: the storage port contract`, () => {
    it(
      'returns a stored memory as it was written, and undefined for an unknown id',
      withRepo((repo) => {
        const row = memoryRow(1, { level: 3, hwSalt: Buffer.alloc(8, 9), hwCredential: 'cred', expiresAt: 5_000, intentRef: 'i-1' });
        insert(repo, row);
        expect(repo.getMemory(row.id)).toEqual(row);
        expect(repo.getMemory(ID(99))).toBeUndefined();
      }),
    );

    // Returned rows are read-only values (the SQLite side caches and shares them); what a caller
    // passed in, though, is its own to zero once the insert returns.
    it(
      'zeroing the buffers a caller inserted does not change what is stored',
      withRepo((repo) => {
        const row = memoryRow(1);
        insert(repo, row);
        row.ciphertext?.fill(0);
        row.wrappedDek?.fill(0);
        expect(repo.getMemory(ID(1))).toMatchObject({ ciphertext: Buffer.from('sealed 1'), wrappedDek: Buffer.alloc(40, 1) });
      }),
    );

    it(
      'finds a memory by the 8 hex digits before its first dash, and nothing for anything else',
      withRepo((repo) => {
        insert(repo, memoryRow(0x1a2b3c4d));
        insert(repo, memoryRow(2));
        expect(repo.findMemoryByShortId('1a2b3c4d').map((r) => r.id)).toEqual([ID(0x1a2b3c4d)]);
        expect(repo.findMemoryByShortId('1a2b3c4')).toEqual([]);
        expect(repo.findMemoryByShortId('1A2B3C4D')).toEqual([]);
        expect(repo.findMemoryByShortId("' OR 1")).toEqual([]);
      }),
    );

    it(
      'lists newest first through the level, namespace, tombstone, limit and offset filters',
      withRepo((repo) => {
        insert(repo, memoryRow(1, { level: 0 }));
        insert(repo, memoryRow(2, { level: 3, namespace: 'work' }));
        insert(repo, memoryRow(3, { level: 1 }));
        repo.transaction(() => repo.tombstone(ID(3), 50), 'full');
        const ids = (f: Partial<MemoryFilter>) => repo.listMemories({ ...all, ...f }).map((r) => r.id);
        expect(ids({})).toEqual([ID(2), ID(1)]);
        expect(ids({ includeTombstoned: true })).toEqual([ID(3), ID(2), ID(1)]);
        expect(ids({ levels: [0, 1, 2] })).toEqual([ID(1)]);
        expect(ids({ levels: [] })).toEqual([]);
        expect(ids({ namespaces: ['work'] })).toEqual([ID(2)]);
        expect(ids({ namespaces: [] })).toEqual([]);
        expect(ids({ limit: 1 })).toEqual([ID(2)]);
        expect(ids({ limit: 1, offset: 1 })).toEqual([ID(1)]);
      }),
    );

    it(
      'a tombstone drops key, ciphertext and hardware salt and the search row, and keeps the metadata',
      withRepo((repo) => {
        insert(repo, memoryRow(1, { level: 4, hwSalt: Buffer.alloc(8, 1) }), text('launch codes'));
        repo.transaction(() => repo.tombstone(ID(1), 77), 'full');
        const row = repo.getMemory(ID(1));
        expect(row).toMatchObject({
          tombstonedAt: 77,
          wrappedDek: null,
          ciphertext: null,
          hwSalt: null,
          title: 'memory 1',
          metadata: { k: 'v' },
        });
        expect(repo.searchMemories('"launch"', { ...all, includeTombstoned: true })).toEqual([]);
        expect(repo.countByLevel()[4]).toBe(0);
        repo.transaction(() => repo.tombstone(ID(42), 77), 'full'); // unknown id: nothing to do
        expect(repo.getMemory(ID(42))).toBeUndefined();
      }),
    );

    it(
      "a label edit changes title, tags and metadata and their search columns, and keeps the content's",
      withRepo((repo) => {
        insert(repo, memoryRow(1, { level: 1 }), text('old title', 'quarterly figures'));
        const labels = { title: 'new title', tags: ['finance'], metadata: { owner: 'treasury' } };
        repo.transaction(
          () => repo.updateMemoryLabels(ID(1), labels, { title: 'new title', tags: 'finance', metadata: 'owner treasury' }),
          'normal',
        );
        expect(repo.getMemory(ID(1))).toMatchObject(labels);
        const found = (q: string) => repo.searchMemories(q, all).map((r) => r.id);
        expect(found('"treasury"')).toEqual([ID(1)]);
        expect(found('"finance"')).toEqual([ID(1)]);
        expect(found('"quarterly"')).toEqual([ID(1)]);
        expect(found('"old"')).toEqual([]);
        repo.transaction(() => repo.updateMemoryLabels(ID(42), labels, { title: '', tags: '', metadata: '' }), 'normal'); // unknown id: nothing
        expect(repo.getMemory(ID(42))).toBeUndefined();
      }),
    );

    it(
      'marks recalls, deletes memories with their search rows, and names expired level-0 memories only',
      withRepo((repo) => {
        insert(repo, memoryRow(1, { expiresAt: 100 }), text('ephemeral note'));
        insert(repo, memoryRow(2, { expiresAt: 200 }));
        insert(repo, memoryRow(3, { expiresAt: 100, level: 1 }));
        insert(repo, memoryRow(4));
        repo.transaction(() => repo.markRecalled(ID(4), 123), 'normal');
        expect(repo.getMemory(ID(4))?.lastRecalledAt).toBe(123);
        expect(repo.expiredEphemeral(150, 10)).toEqual([ID(1)]);
        expect(repo.expiredEphemeral(200, 10).sort()).toEqual([ID(1), ID(2)]);
        expect(repo.expiredEphemeral(200, 1)).toHaveLength(1);
        repo.transaction(() => repo.deleteMemories([ID(1), ID(99)]), 'normal');
        expect(repo.getMemory(ID(1))).toBeUndefined();
        expect(repo.searchMemories('"ephemeral"', all)).toEqual([]);
        expect(repo.countByLevel()).toEqual({ 0: 2, 1: 1, 2: 0, 3: 0, 4: 0, 5: 0 });
      }),
    );

    it(
      'searches every term (the last one as a prefix), folded like the index, within the filter',
      withRepo((repo) => {
        insert(repo, memoryRow(1, { level: 0 }), text('Café opening hours', 'monday to friday'));
        insert(repo, memoryRow(2, { level: 2, namespace: 'work' }), text('deploy keys', 'rotate the cafe keys'));
        insert(repo, memoryRow(3, { level: 3 }), text('cafe alarm code', ''));
        const ids = (q: string, f: Partial<MemoryFilter> = {}) =>
          repo
            .searchMemories(q, { ...all, ...f })
            .map((r) => r.id)
            .sort();
        expect(ids('"cafe"')).toEqual([ID(1), ID(2), ID(3)]);
        expect(ids('"CAFÉ" "open"*')).toEqual([ID(1)]);
        expect(ids('"monday"')).toEqual([ID(1)]);
        expect(ids('"cafe"', { levels: [0, 1, 2] })).toEqual([ID(1), ID(2)]);
        expect(ids('"cafe"', { namespaces: ['work'] })).toEqual([ID(2)]);
        expect(ids('"nothing"')).toEqual([]);
        expect(ids('"cafe"', { limit: 1 })).toHaveLength(1);
      }),
    );

    it(
      'ranks by BM25 over the permitted rows: more occurrences in a shorter row come first',
      withRepo((repo) => {
        insert(repo, memoryRow(1), text('alpha beta gamma delta epsilon', 'zeta eta theta iota kappa alpha'));
        insert(repo, memoryRow(2), text('alpha alpha', ''));
        insert(repo, memoryRow(3), text('unrelated', ''));
        expect(repo.searchMemories('"alpha"', all).map((r) => r.id)).toEqual([ID(2), ID(1)]);
      }),
    );

    it(
      'commits a transaction, and a failed one leaves no memory, leaf, hash, checkpoint or state behind',
      withRepo((repo) => {
        expect(repo.inTransaction()).toBe(false);
        repo.transaction(() => {
          expect(repo.inTransaction()).toBe(true);
          repo.insertMemory(memoryRow(1), text('kept'));
          repo.appendAuditRecord(audit(0), [Buffer.alloc(32, 1)], 0);
          repo.setState('k', 'v1');
        }, 'full');
        expect(() =>
          repo.transaction(() => {
            repo.insertMemory(memoryRow(2), text('dropped'));
            repo.appendAuditRecord(audit(1), [Buffer.alloc(32, 2)], 1);
            repo.insertCheckpoint({ size: 2, root: Buffer.alloc(32), note: 'n', createdAt: 1 });
            repo.setState('k', 'v2');
            throw new Error('boom');
          }, 'full'),
        ).toThrow('boom');
        expect(repo.inTransaction()).toBe(false);
        expect(repo.getMemory(ID(1))).toBeDefined();
        expect(repo.getMemory(ID(2))).toBeUndefined();
        expect(repo.searchMemories('"dropped"', all)).toEqual([]);
        expect(repo.auditSize()).toBe(1);
        expect(repo.readStoredHashRange(0, 10).map(([i]) => i)).toEqual([0]);
        expect(repo.listCheckpoints()).toEqual([]);
        expect(repo.getState('k')).toBe('v1');
        // The size was rolled back too: the next append continues at 1.
        repo.transaction(() => repo.appendAuditRecord(audit(1), [Buffer.alloc(32, 3)], 1), 'normal');
        expect(repo.auditSize()).toBe(2);
      }),
    );

    it(
      'a nested transaction is a savepoint: its failure undoes only its own writes',
      withRepo((repo) => {
        repo.transaction(() => {
          repo.setState('outer', '1');
          expect(() =>
            repo.transaction(() => {
              repo.setState('inner', '1');
              repo.appendAuditRecord(audit(0), [], 0);
              throw new Error('inner');
            }, 'normal'),
          ).toThrow('inner');
          expect(repo.auditSize()).toBe(0);
          repo.transaction(() => repo.setState('inner2', '1'), 'normal');
        }, 'normal');
        expect([repo.getState('outer'), repo.getState('inner'), repo.getState('inner2')]).toEqual(['1', undefined, '1']);
        expect(repo.auditSize()).toBe(0);
      }),
    );

    it(
      'refuses a duplicate memory id or checkpoint size as AUDIT_FAILURE, keeping nothing of that transaction',
      withRepo((repo) => {
        insert(repo, memoryRow(1));
        expect(() =>
          repo.transaction(() => {
            repo.setState('side', 'effect');
            repo.insertMemory(memoryRow(1, { title: 'again' }), text('again'));
          }, 'normal'),
        ).toThrow(expect.objectContaining({ code: 'AUDIT_FAILURE' }));
        expect(repo.getState('side')).toBeUndefined();
        expect(repo.getMemory(ID(1))?.title).toBe('memory 1');
        repo.transaction(() => repo.insertCheckpoint({ size: 1, root: Buffer.alloc(32), note: 'a', createdAt: 1 }), 'full');
        expect(() =>
          repo.transaction(() => repo.insertCheckpoint({ size: 1, root: Buffer.alloc(32, 1), note: 'b', createdAt: 2 }), 'full'),
        ).toThrow(expect.objectContaining({ code: 'AUDIT_FAILURE' }));
        expect(repo.checkpointAt(1)?.note).toBe('a');
      }),
    );

    it(
      'appends audit records in order only, reads them back by range and by filter',
      withRepo((repo) => {
        const mem = ID(7);
        repo.transaction(() => {
          repo.appendAuditRecord(
            audit(0, 'memory.store', { actor: { id: 'agent-a' }, memory: { id: mem }, outcome: 'ok' }),
            [Buffer.alloc(32, 10)],
            0,
          );
          repo.appendAuditRecord(
            audit(1, 'memory.recall', { actor: { id: 'agent-b' }, memory: { id: mem }, outcome: 'denied' }),
            [Buffer.alloc(32, 11), Buffer.alloc(32, 12)],
            1,
          );
          repo.appendAuditRecord(audit(2, 'memory.recall', { actor: { id: 'agent-a' }, outcome: 'ok' }), [Buffer.alloc(32, 13)], 3);
        }, 'full');
        expect(() => repo.transaction(() => repo.appendAuditRecord(audit(5), [], 4), 'normal')).toThrow(/out of order/);
        expect(repo.auditSize()).toBe(3);
        expect(repo.readAuditRecords(1, 5).map((r) => r.seq)).toEqual([1, 2]);
        expect(repo.readAuditRecords(0, 1)).toEqual([
          audit(0, 'memory.store', { actor: { id: 'agent-a' }, memory: { id: mem }, outcome: 'ok' }),
        ]);
        const seqs = (f: Parameters<VaultRepository['queryAudit']>[0]) => repo.queryAudit(f).map((r) => r.seq);
        expect(seqs({ limit: 10 })).toEqual([0, 1, 2]);
        expect(seqs({ kind: 'memory.recall', limit: 10 })).toEqual([1, 2]);
        expect(seqs({ afterSeq: 0, limit: 10 })).toEqual([1, 2]);
        expect(seqs({ fromTs: 10, toTs: 10, limit: 10 })).toEqual([1]);
        expect(seqs({ memoryId: mem, limit: 10 })).toEqual([0, 1]);
        expect(seqs({ actorId: 'agent-a', limit: 10 })).toEqual([0, 2]);
        expect(seqs({ outcome: 'denied', limit: 10 })).toEqual([1]);
        expect(seqs({ limit: 2 })).toEqual([0, 1]);
        // Newest first, paged by beforeSeq (the audit browser's default order).
        expect(seqs({ newestFirst: true, limit: 2 })).toEqual([2, 1]);
        expect(seqs({ newestFirst: true, beforeSeq: 1, limit: 2 })).toEqual([0]);
        expect(seqs({ newestFirst: true, kind: 'memory.recall', limit: 10 })).toEqual([2, 1]);
      }),
    );

    it(
      'reads stored hashes by index and by range; a missing one is INTEGRITY_FAILURE',
      withRepo((repo) => {
        repo.transaction(() => {
          repo.appendAuditRecord(audit(0), [Buffer.alloc(32, 1)], 0);
          repo.appendAuditRecord(audit(1), [Buffer.alloc(32, 2), Buffer.alloc(32, 3)], 1);
        }, 'full');
        expect(repo.readStoredHashes([2, 0])).toEqual([Buffer.alloc(32, 3), Buffer.alloc(32, 1)]);
        expect(repo.readStoredHashRange(1, 1)).toEqual([[1, Buffer.alloc(32, 2)]]);
        expect(repo.readStoredHashRange(0, 10).map(([i]) => i)).toEqual([0, 1, 2]);
        expect(() => repo.readStoredHashes([3])).toThrow(expect.objectContaining({ code: 'INTEGRITY_FAILURE' }));
      }),
    );

    it(
      'keeps checkpoints by size: the latest is the largest, the list is in size order',
      withRepo((repo) => {
        expect(repo.latestCheckpoint()).toBeUndefined();
        expect(repo.listCheckpoints()).toEqual([]);
        const cp = (size: number) => ({ size, root: Buffer.alloc(32, size), note: `note ${size}`, createdAt: 100 + size });
        repo.transaction(() => {
          repo.insertCheckpoint(cp(5));
          repo.insertCheckpoint(cp(2));
          repo.insertCheckpoint(cp(9));
        }, 'full');
        expect(repo.latestCheckpoint()).toEqual(cp(9));
        expect(repo.checkpointAt(2)).toEqual(cp(2));
        expect(repo.checkpointAt(3)).toBeUndefined();
        expect(repo.listCheckpoints().map((c) => c.size)).toEqual([2, 5, 9]);
      }),
    );

    it(
      'keeps one value per state key',
      withRepo((repo) => {
        expect(repo.getState('a')).toBeUndefined();
        repo.transaction(() => {
          repo.setState('a', '1');
          repo.setState('a', '2');
          repo.setState('b', '');
        }, 'normal');
        expect([repo.getState('a'), repo.getState('b')]).toEqual(['2', '']);
      }),
    );

    it(
      'counts live memories per level',
      withRepo((repo) => {
        const levels: Level[] = [0, 0, 3, 5];
        levels.forEach((level, i) => insert(repo, memoryRow(i + 1, { level })));
        expect(repo.countByLevel()).toEqual({ 0: 2, 1: 0, 2: 0, 3: 1, 4: 0, 5: 1 });
      }),
    );
  });
}
