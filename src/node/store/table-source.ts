// How a feature module gets its table. Feature code (src/node outside this directory, the CLI,
// the desktop, benches) is handed a table module from here and never the connection itself;
// a bare connection is accepted only where no session exists to hand one out — tests, and a
// restore's staging vault — and is turned into the table module here, inside the store layer.
import Database from 'better-sqlite3-multiple-ciphers';
import type { SqliteDatabase } from './encrypted-database.js';

export type TableSource<T> = T | SqliteDatabase;

export function tableFrom<T extends object>(source: TableSource<T>, open: (db: SqliteDatabase) => T): T {
  return source instanceof Database ? open(source) : source;
}
