// `<vault>/checkpoint.json`: the newest signed audit tree head, kept outside the SQLite files
// (see core/transparency/checkpoint-record.port.ts). Invariant: the file is replaced atomically
// and durably (temporary sibling written and fsynced, renamed, directory fsynced), so after a
// crash or power cut it holds the old head or the new one. Its signed note is what counts; the
// plain `size`/`rootHash` fields are for people reading the file and must agree with it.
import { join } from 'node:path';
import { z } from 'zod';
import { VaultError } from '../../core/errors.js';
import type { CheckpointRecordStore } from '../../core/transparency/checkpoint-record.port.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
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

  write(record: { readonly size: number; readonly rootHash: string; readonly note: string }): void {
    const body = `${JSON.stringify({ format: FORMAT, version: 1, size: record.size, rootHash: record.rootHash, note: record.note }, null, 2)}\n`;
    try {
      writeFileAtomic(this.path, body);
    } catch (e) {
      if (errnoOf(e) === 'ENOSPC' || errnoOf(e) === 'EDQUOT') {
        throw new VaultError(
          'STORAGE_FULL',
          'The disk is full: the checkpoint record could not be written, so the change is not acknowledged.',
        );
      }
      throw new VaultError(
        'AUDIT_FAILURE',
        'The checkpoint record beside the vault could not be written, so the change is not acknowledged.',
      );
    }
  }
}
