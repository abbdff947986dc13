// memory_scope (migration 9) is search's copy of each memory's level, namespace and tombstone:
// it must equal the memories table after every kind of write, and an upgraded vault gets it
// filled from the rows it already has.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Level } from '../../core/levels.js';
import type { MemoryId } from '../../core/model/memory.js';
import { memoryRowFixture } from '../../core/testing/memory-row.fixture.js';
import { createEncryptedDatabase, type SqliteDatabase } from './encrypted-database.js';
import { MemoriesTable } from './memories.table.js';
import { migrate, SCHEMA_VERSION } from './migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'mv-memory-scope-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const open = () => createEncryptedDatabase(join(dir, `v${n++}.db`), Buffer.alloc(32, 5));
const text = { title: 't', tags: '', metadata: '', content: 'words' };

const scope = (db: SqliteDatabase) => db.prepare('SELECT id, level, namespace, tombstoned_at FROM memory_scope ORDER BY id').all();
const truth = (db: SqliteDatabase) => db.prepare('SELECT rowid AS id, level, namespace, tombstoned_at FROM memories ORDER BY rowid').all();

function store(table: MemoriesTable, level: Level, namespace: string): MemoryId {
  const row = { ...memoryRowFixture({ id: randomUUID(), namespace, level }), ciphertext: Buffer.alloc(64, 1) };
  table.insertMemory(row, text);
  return row.id;
}

function pick(ids: readonly MemoryId[], i: number): MemoryId {
  const id = ids[i];
  if (id === undefined) throw new Error(`no memory ${i}`);
  return id;
}

describe('memory_scope', () => {
  it('follows inserts, tombstones, relabelling and deletes of memories', () => {
    const db = open();
    try {
      const table = new MemoriesTable(db);
      const ids = [store(table, 0, 'default'), store(table, 3, 'work'), store(table, 5, 'home'), store(table, 1, 'work')];
      expect(scope(db)).toEqual(truth(db));
      table.tombstone(pick(ids, 1), 1234);
      expect(scope(db)).toEqual(truth(db));
      db.prepare("UPDATE memories SET level = 2, namespace = 'moved' WHERE id = ?").run(ids[3]);
      expect(scope(db)).toEqual(truth(db));
      table.deleteMemories([pick(ids, 0), pick(ids, 2)]);
      expect(scope(db)).toEqual(truth(db));
      expect(scope(db)).toHaveLength(2);
    } finally {
      db.close();
    }
  });

  it('is filled from the existing rows when a vault of schema 8 is upgraded', () => {
    const db = open();
    try {
      const table = new MemoriesTable(db);
      for (let i = 0; i < 20; i++) store(table, i % 2 === 0 ? 1 : 4, i % 3 === 0 ? 'work' : 'default');
      // Back to what a schema-8 vault has: no scope table, no triggers.
      db.exec(
        'DROP TRIGGER memory_scope_insert; DROP TRIGGER memory_scope_delete; DROP TRIGGER memory_scope_update; DROP TABLE memory_scope;',
      );
      db.pragma('user_version = 8');
      migrate(db);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(scope(db)).toHaveLength(20);
      expect(scope(db)).toEqual(truth(db));
    } finally {
      db.close();
    }
  });
});
