// Where the newest signed tree head is kept outside the SQLite files (a state file beside the
// vault). The database and its WAL can lose their tail (a torn or bit-flipped WAL frame, a
// deleted WAL, an older vault.db copied back); this record does not go with them, so unlock
// and `audit verify` can tell a shortened log from an intact one without any setup.

export interface CheckpointRecordStore {
  /** Human-readable place, shown in errors ("file /home/me/vault/checkpoint.json"). */
  readonly description: string;
  /** The signed checkpoint note last recorded, verbatim; null when there is no record yet. */
  read(): string | null;
  /** Replace the record so a crash leaves the old one or the new one, never neither. */
  write(record: { readonly size: number; readonly rootHash: string; readonly note: string }): void;
  /**
   * The same, off the event loop: resolves once the record is durable. A record older than one
   * already written (a synchronous write at shutdown overtook it) is dropped, never put back.
   */
  writeAsync(record: { readonly size: number; readonly rootHash: string; readonly note: string }): Promise<void>;
}
