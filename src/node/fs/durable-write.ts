// Writing a small file so that it is either the old or the new content after a crash: write a
// temporary sibling (mode 0600), fsync it, then the caller renames it into place.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

export function writeTempDurably(tmpPath: string, data: string): void {
  const fd = openSync(tmpPath, 'w', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
