// Durability off the event loop. In WAL mode a commit under synchronous=NORMAL has written its
// frames to the -wal file but not flushed them; an fsync of that file (from any descriptor: it
// flushes the inode) makes them, and every commit before them, survive a power cut — what
// synchronous=FULL does in line, on the thread that commits. Here the fsync runs in the file
// system's threads. Group flush: one fsync in flight at a time; callers arriving meanwhile share
// the next one (the one in flight may have started before their commit). Without a -wal file
// (folded into the main file by a checkpoint, which syncs it) the main file is flushed instead.
import { open } from 'node:fs/promises';

export class WalFlusher {
  private inFlight: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(private readonly databasePath: string) {}

  flush(): Promise<void> {
    if (!this.inFlight) {
      const run = this.fsyncOnce().finally(() => {
        if (this.inFlight === run) this.inFlight = null;
      });
      this.inFlight = run;
      return run;
    }
    this.next ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.flush();
      });
    return this.next;
  }

  private async fsyncOnce(): Promise<void> {
    let handle;
    try {
      handle = await open(`${this.databasePath}-wal`, 'r');
    } catch (e) {
      if (typeof e === 'object' && e !== null && 'code' in e && e.code === 'ENOENT') handle = await open(this.databasePath, 'r');
      else throw e;
    }
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
