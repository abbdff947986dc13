// One-term searches rank from their candidates alone (issue 17 item 2: no join to `memories` per
// matching row). The order must be the one the general path gives: here against the in-memory
// reference repository, which counts every statistic over the permitted rows, on random corpora,
// filters and words (prefix and exact), including words the filter hides in unseen rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LEVELS, type Level } from '../../core/levels.js';
import type { MemoryFilter, VaultRepository } from '../../core/ports/vault-repository.port.js';
import { InMemoryVaultRepository } from '../../core/testing/in-memory-vault-repository.js';
import { memoryRow } from '../../../tests/support/vault-repository-contract.js';
import { createEncryptedDatabase } from './encrypted-database.js';
import { SqliteVaultRepository } from './sqlite-vault-repository.js';

const WORDS = ['alpha', 'alpine', 'beta', 'bet', 'gamma', 'delta', 'café', 'cafe'];
const NAMESPACES = ['default', 'work', 'home'];

const rowArb = fc.record({
  level: fc.constantFrom(...LEVELS),
  namespace: fc.constantFrom(...NAMESPACES),
  title: fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 3 }),
  content: fc.array(fc.constantFrom(...WORDS, 'filler'), { minLength: 1, maxLength: 12 }),
});
const filterArb = fc.record({
  levels: fc.subarray([...LEVELS], { minLength: 1 }),
  namespaces: fc.option(fc.subarray(NAMESPACES, { minLength: 1 }), { nil: null }),
});

const dir = mkdtempSync(join(tmpdir(), 'mv-search-one-term-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let opened = 0;

function load(repo: VaultRepository, rows: readonly { level: Level; namespace: string; title: string[]; content: string[] }[]): void {
  repo.transaction(() => {
    rows.forEach((r, i) =>
      repo.insertMemory(memoryRow(i + 1, { level: r.level, namespace: r.namespace, title: r.title.join(' ') }), {
        title: r.title.join(' '),
        tags: '',
        metadata: '',
        content: r.content.join(' '),
      }),
    );
  }, 'normal');
}

describe('one-term search ranking', () => {
  it('orders exactly as the reference that reads every statistic over the permitted rows', () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 25 }),
        filterArb,
        fc.constantFrom(...WORDS, 'al', 'ca', 'missing'),
        fc.boolean(),
        (rows, f, word, prefix) => {
          const db = createEncryptedDatabase(join(dir, `v${opened++}.db`), Buffer.alloc(32, 3));
          try {
            const sqlite = new SqliteVaultRepository(db);
            const reference = new InMemoryVaultRepository();
            load(sqlite, rows);
            load(reference, rows);
            const filter: MemoryFilter = { ...f, includeTombstoned: false, limit: 100, offset: 0 };
            const query = `"${word}"${prefix ? '*' : ''}`;
            const ids = (repo: VaultRepository) => repo.searchMemories(query, filter).map((r) => r.id);
            expect(ids(sqlite)).toEqual(ids(reference));
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
