// The committed-row cache is bounded by bytes as well as rows (issue 17 item 3): rows carry their
// ciphertext, so large memories must push older rows out long before the row-count bound would.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryRowFixture } from '../../core/testing/memory-row.fixture.js';
import { createEncryptedDatabase } from './encrypted-database.js';
import type { MemoryId } from '../../core/model/memory.js';
import { cachedRowBytes, MemoriesTable } from './memories.table.js';

/** A small bound so the test writes a few MiB, not the production 32 MiB twice over. */
const MAX_BYTES = 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'mv-row-cache-'));
const db = createEncryptedDatabase(join(dir, 'vault.db'), Buffer.alloc(32, 9));
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});
const text = { title: 't', tags: '', metadata: '', content: '' };

function insertRows(table: MemoriesTable, count: number, ciphertextBytes: number): MemoryId[] {
  const ids: MemoryId[] = [];
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const row = { ...memoryRowFixture({ id: randomUUID(), namespace: 'default' }), ciphertext: Buffer.alloc(ciphertextBytes, i & 0xff) };
      table.insertMemory(row, text);
      ids.push(row.id);
    }
  })();
  return ids;
}

describe('memory row cache', () => {
  it('holds at most its byte bound of large rows, keeping the most recently read and dropping the oldest', () => {
    const table = new MemoriesTable(db, MAX_BYTES);
    const big = 32 * 1024;
    const ids = insertRows(table, Math.ceil((2 * MAX_BYTES) / big), big);
    const first = ids.map((id) => table.getMemory(id));
    expect(table.cachedBytes).toBeLessThanOrEqual(MAX_BYTES);
    expect(table.cachedBytes).toBeGreaterThan(MAX_BYTES - 2 * big);
    // A cached row comes back as the same object; an evicted one is read from the database again.
    const at = (i: number): MemoryId => {
      const id = ids[i];
      if (id === undefined) throw new Error(`no row ${i}`);
      return id;
    };
    const last = ids.length - 1;
    expect(table.getMemory(at(last))).toBe(first[last]);
    expect(table.getMemory(at(0))).not.toBe(first[0]);
    expect(table.getMemory(at(0))?.ciphertext?.length).toBe(big);
  });

  it('counts each row by its buffers and strings, and a rollback or a forget leaves nothing counted', () => {
    const table = new MemoriesTable(db, MAX_BYTES);
    const [id] = insertRows(table, 1, 1000);
    if (id === undefined) throw new Error('no row inserted');
    const row = table.getMemory(id);
    if (!row) throw new Error('row not read back');
    expect(cachedRowBytes(row)).toBeGreaterThan(1000 + 32 + 16);
    expect(table.cachedBytes).toBe(cachedRowBytes(row));
    table.onScopeOpen()(); // what a rolled-back transaction does
    expect(table.cachedBytes).toBe(0);
    table.getMemory(id);
    table.forgetCachedMemories();
    expect(table.cachedBytes).toBe(0);
  });
});
