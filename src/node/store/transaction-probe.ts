// The benchmark's ceiling for the vault's write path (issue 17 item 4): empty transactions on a
// fresh encrypted database opened exactly as a vault's (same cipher, pragmas, schema) and driven
// by the same transaction code. A store or an audited recall is this transaction plus its own
// work, so its rate divided by this one is the share of the machine's ceiling it reaches —
// a figure a noisy neighbour moves far less than the absolute rate. Benchmarks only.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createEncryptedDatabase } from './encrypted-database.js';
import { SqliteTransactions } from './transaction.js';
import { Command } from './typed-statement.js';

export interface TransactionProbe {
  /** BEGIN IMMEDIATE … COMMIT with nothing in between, at the durability a level-1 write uses. */
  emptyTransaction(): void;
  /** The smallest write: one appended 32-byte row per transaction (one dirty page at commit). */
  oneRowTransaction(): void;
  close(): void;
}

/** Creates `probe.db` in `dir` (which must not hold one) under a random key that is never kept. */
export function openTransactionProbe(dir: string): TransactionProbe {
  const key = randomBytes(32);
  const db = createEncryptedDatabase(join(dir, 'probe.db'), key);
  key.fill(0);
  const tx = new SqliteTransactions(db);
  // The probe's own throwaway database: its tree_hashes table is just an append-only table here.
  const append = new Command<[number, Buffer]>(db, 'INSERT INTO tree_hashes (idx, hash) VALUES (?, ?)');
  const hash = randomBytes(32);
  let next = 0;
  return {
    emptyTransaction: () => tx.run(() => undefined, 'normal'),
    oneRowTransaction: () => tx.run(() => append.run(next++, hash), 'normal'),
    close: () => db.close(),
  };
}
