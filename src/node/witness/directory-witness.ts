// A checkpoint witness in a directory the owner chooses (a USB stick, a synced folder).
// Invariant: `latest.checkpoint` only ever moves forward (a larger tree size); every recorded
// checkpoint is also appended to `history.checkpoints` so an auditor can replay them.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointWitness } from '../../core/ports/witness.port.js';
import { writeFileAtomic } from '../fs/atomic-write.js';

function sizeOf(note: string): number {
  // Line 2 of a C2SP checkpoint body is the decimal tree size.
  const line = note.split('\n')[1] ?? '';
  return /^\d+$/.test(line) ? Number(line) : -1;
}

export class DirectoryWitness implements CheckpointWitness {
  readonly description: string;

  constructor(private readonly dir: string) {
    this.description = `directory ${dir}`;
  }

  private folder(origin: string): string {
    return join(this.dir, origin.replace(/[^A-Za-z0-9._-]/g, '_'));
  }

  latest(origin: string): string | null {
    const path = join(this.folder(origin), 'latest.checkpoint');
    return existsSync(path) ? readFileSync(path, 'utf8') : null;
  }

  record(origin: string, size: number, signedNote: string): void {
    const folder = this.folder(origin);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const current = this.latest(origin);
    if (current !== null && sizeOf(current) >= size) return;
    appendFileSync(join(folder, 'history.checkpoints'), `${signedNote}\n`, { mode: 0o600 });
    writeFileAtomic(join(folder, 'latest.checkpoint'), signedNote);
  }
}
