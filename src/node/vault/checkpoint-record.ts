// `<vault>/checkpoint.json`: the newest signed audit tree head, kept outside the SQLite files
// (see core/transparency/checkpoint-record.port.ts). Invariant: the file is replaced atomically
// and durably (temporary sibling written and fsynced, renamed, directory fsynced), so after a
// crash or power cut it holds the old head or the new one. Its signed note is what counts; the
// plain `size`/`rootHash` fields are for people reading the file and must agree with it.
// writeAsync (after every durable commit) does the same with the two fsyncs off the event loop;
// only the rename runs on the loop (a metadata change, no flush), so synchronous and
// asynchronous writes land in the order they were decided and the record never moves back.
import { renameSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import type { CheckpointRecordStore } from '../../core/transparency/checkpoint-record.port.js';
import { fsyncDirectoryAsync, tempSiblingOf, writeFileAtomic } from '../fs/atomic-write.js';
import { readJsonState } from '../fs/json-state-file.js';

export const CHECKPOINT_RECORD_FILE = 'checkpoint.json';
const FORMAT = 'memory-vault/checkpoint-record';

const recordSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  size: z.number().int().nonnegative(),
  rootHash: z.string().max(100),
  note: z.string().max(4096),
});

function noteSize(note: string): number {
  // Line 2 of a C2SP checkpoint body is the decimal tree size.
  const line = note.split('\n')[1] ?? '';
  return /^\d+$/.test(line) ? Number(line) : -1;
}

function errnoOf(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
}

export class FileCheckpointRecord implements CheckpointRecordStore {
  readonly description: string;
  private readonly path: string;
  /** The largest size this process has put in place: an older asynchronous write is dropped. */
  private placedSize = -1;

  constructor(private readonly dir: string) {
    this.path = join(dir, CHECKPOINT_RECORD_FILE);
    this.description = `file ${this.path}`;
  }

  read(): string | null {
    const damaged = (why: string) =>
      new VaultError(
        'INTEGRITY_FAILURE',
        `The checkpoint record ${this.path} is ${why}. Run \`memory-vault audit verify\`; restore from a backup if the log cannot be repaired.`,
        {
          source: 'checkpoint-record',
          kind: 'unreadable',
          record: this.description,
        },
      );
    const r = readJsonState(this.path, recordSchema);
    if (!r.ok && r.reason === 'missing') return null;
    if (!r.ok) throw damaged(r.reason === 'invalid' ? 'malformed' : 'unreadable');
    if (noteSize(r.value.note) !== r.value.size) throw damaged('inconsistent (its size disagrees with its signed note)');
    return r.value.note;
  }

  write(record: CheckpointRecordBody): void {
    try {
      writeFileAtomic(this.path, bodyOf(record));
      this.placedSize = Math.max(this.placedSize, record.size);
    } catch (e) {
      throw writeFailure(e);
    }
  }

  async writeAsync(record: CheckpointRecordBody): Promise<void> {
    const tmp = tempSiblingOf(this.path);
    try {
      const file = await open(tmp, 'wx', 0o600);
      try {
        await file.writeFile(bodyOf(record));
        await file.sync();
      } finally {
        await file.close();
      }
      if (record.size <= this.placedSize) {
        await rm(tmp, { force: true });
        return;
      }
      renameSync(tmp, this.path);
      this.placedSize = record.size;
      await fsyncDirectoryAsync(this.dir);
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw writeFailure(e);
    }
  }
}

type CheckpointRecordBody = Parameters<CheckpointRecordStore['write']>[0];

function bodyOf(record: CheckpointRecordBody): string {
  return `${JSON.stringify({ format: FORMAT, version: 1, size: record.size, rootHash: record.rootHash, note: record.note }, null, 2)}\n`;
}

function writeFailure(e: unknown): VaultError {
  if (errnoOf(e) === 'ENOSPC' || errnoOf(e) === 'EDQUOT') {
    return new VaultError(
      'STORAGE_FULL',
      'The disk is full: the checkpoint record could not be written, so the change is not acknowledged.',
    );
  }
  return new VaultError('AUDIT_FAILURE', 'The checkpoint record beside the vault could not be written, so the change is not acknowledged.');
}
