// Every signed checkpoint of the audit log, keyed by tree size (C2SP signed-note text, verbatim).
import type { StoredCheckpoint } from '../../core/ports/vault-repository.port.js';
import type { SqliteDatabase } from './encrypted-database.js';
import { RowReader } from './row-reader.js';
import { Command, Query } from './typed-statement.js';

function parseCheckpointRow(row: unknown): StoredCheckpoint {
  const r = RowReader.of(row, 'checkpoints');
  return { size: r.int('size'), root: r.blob('root'), note: r.text('note'), createdAt: r.int('created_at') };
}

export class CheckpointsTable {
  private readonly insert: Command<[number, Buffer, string, number]>;
  private readonly latest: Query<[], StoredCheckpoint>;
  private readonly atSize: Query<[number], StoredCheckpoint>;
  private readonly all: Query<[], StoredCheckpoint>;

  constructor(db: SqliteDatabase) {
    this.insert = new Command(db, 'INSERT INTO checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?)');
    this.latest = new Query(db, 'SELECT * FROM checkpoints ORDER BY size DESC LIMIT 1', parseCheckpointRow);
    this.atSize = new Query(db, 'SELECT * FROM checkpoints WHERE size = ?', parseCheckpointRow);
    this.all = new Query(db, 'SELECT * FROM checkpoints ORDER BY size', parseCheckpointRow);
  }

  insertCheckpoint(c: StoredCheckpoint): void {
    this.insert.run(c.size, c.root, c.note, c.createdAt);
  }

  latestCheckpoint(): StoredCheckpoint | undefined {
    return this.latest.get();
  }

  checkpointAt(size: number): StoredCheckpoint | undefined {
    return this.atSize.get(size);
  }

  listCheckpoints(): StoredCheckpoint[] {
    return this.all.all();
  }
}
