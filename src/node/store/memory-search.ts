// Search sees only the permitted set, ranking included (issue 14 item 6): FTS5 MATCH finds the
// candidates, and every statistic the order uses — row count, document frequencies, term
// frequencies, lengths — is read through the same level/namespace filter, then BM25 is computed
// in TypeScript (core/engine/permitted-bm25.ts). SQLite's bm25() is not used: its statistics
// span the whole index. Limit and offset apply after filtering and ranking, so neither can
// count unseen rows either. Cost is linear in the matches of each query term, as bm25() was.
import { VaultError } from '../../core/errors.js';
import { indexTermsOf, type IndexTerm } from '../../core/engine/fts-query.js';
import { rankPermitted, type RankTerm } from '../../core/engine/permitted-bm25.js';
import type { MemoryRow } from '../../core/model/memory.js';
import type { MemoryFilter } from '../../core/ports/vault-repository.port.js';
import type { SqliteDatabase } from './encrypted-database.js';
import { memoryWhere, type SqlWhere } from './memory-filter.js';
import type { MemoriesTable } from './memories.table.js';
import { RowReader, TupleReader } from './row-reader.js';
import { Query } from './typed-statement.js';

type Params = (string | number)[];

const candidateOf = (row: unknown): { key: number; length: number } => {
  const t = TupleReader.of(row, 'memories_fts');
  return { key: t.int(0), length: docSizeTotal(t.blob(1)) };
};
const docTermCount = (row: unknown): [number, number] => {
  const t = TupleReader.of(row, 'memories_fts_instance');
  return [t.int(0), t.int(1)];
};
const liveCount = (row: unknown): number => RowReader.of(row, 'memory_counts').int('n');

export class MemorySearch {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly memories: MemoriesTable,
  ) {
    // Search's term statistics: an fts5vocab view over the live index in the connection's temp
    // schema (nothing stored). Made here, at open, outside any transaction a rollback could undo.
    db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.memories_fts_instance USING fts5vocab(main, memories_fts, instance)');
  }

  searchMemories(ftsQuery: string, filter: MemoryFilter): MemoryRow[] {
    // The filter reads memory_scope (migration 9), a narrow copy of each memory's level, namespace
    // and tombstone, not the memories row with its ciphertext: one cached page holds ~200 of them.
    const w = memoryWhere(filter, 'm');
    // raw(): [rowid, docsize] arrays, no object per row — a term in every row yields every row.
    const candidates = new Query<Params, { key: number; length: number }>(
      this.db,
      `SELECT m.id, d.sz FROM memories_fts f JOIN memory_scope m ON m.id = f.rowid
       JOIN memories_fts_docsize d ON d.id = m.id WHERE memories_fts MATCH ? AND ${w.sql}`,
      candidateOf,
      { raw: true },
    ).all(ftsQuery, ...w.params);
    if (candidates.length === 0) return [];
    const terms = indexTermsOf(ftsQuery);
    const [only] = terms;
    const ranked = rankPermitted(candidates, {
      docCount: this.permittedCount(filter),
      terms: terms.length === 1 && only ? [this.candidateTermStats(only, candidates)] : terms.map((t) => this.termStats(t, w)),
    });
    const page = ranked.slice(filter.offset, filter.offset + filter.limit);
    return page.map((c) => {
      const r = this.memories.byRowid.get(c.key);
      if (!r) throw new VaultError('INTEGRITY_FAILURE', 'A search candidate vanished during the search.');
      return r;
    });
  }

  /** Live rows in the permitted set, from the trigger-kept per-namespace/level counts (migration 7). */
  private permittedCount(filter: MemoryFilter): number {
    const w = memoryWhere({ ...filter, includeTombstoned: true }, 'c');
    const count = new Query<Params, number>(this.db, `SELECT coalesce(sum(c.live), 0) AS n FROM memory_counts c WHERE ${w.sql}`, liveCount);
    return count.get(...w.params) ?? 0;
  }

  /**
   * A one-term query's statistics from its candidates alone (issue 17 item 2: the join to
   * `memories` per matching row made search linear in random row reads — ~4,000 per common word at
   * 1M memories). The candidates are exactly the permitted rows holding the term, so they are its
   * document frequency; and with one term its weight is a common factor of every score, so even a
   * term folded differently from FTS5 (see fts-query.ts) ranks the rows as the join did.
   */
  private candidateTermStats(t: IndexTerm, candidates: readonly { key: number }[]): RankTerm {
    const keys = new Set(candidates.map((c) => c.key));
    const range = t.prefix ? 'v.term >= ? AND v.term < ?' : 'v.term = ?';
    const bounds = t.prefix ? [t.term, `${t.term}\u{10FFFF}`] : [t.term];
    const rows = new Query<Params, [number, number]>(
      this.db,
      `SELECT v.doc, count(*) AS n FROM temp.memories_fts_instance v WHERE ${range} GROUP BY v.doc`,
      docTermCount,
      { raw: true },
    ).all(...bounds);
    const freq = new Map(rows.filter(([doc]) => keys.has(doc)));
    return { docFreq: freq.size, freq };
  }

  /** Document frequency and per-row frequency of one index term, over permitted rows only. */
  private termStats(t: IndexTerm, w: SqlWhere): RankTerm {
    // A prefix term covers every indexed term from `t` up to `t` followed by the highest code point.
    const range = t.prefix ? 'v.term >= ? AND v.term < ?' : 'v.term = ?';
    const bounds = t.prefix ? [t.term, `${t.term}\u{10FFFF}`] : [t.term];
    const rows = new Query<Params, [number, number]>(
      this.db,
      `SELECT v.doc, v.n FROM (SELECT v.doc AS doc, count(*) AS n FROM temp.memories_fts_instance v WHERE ${range} GROUP BY v.doc) v
       JOIN memory_scope m ON m.id = v.doc WHERE ${w.sql}`,
      docTermCount,
      { raw: true },
    ).all(...bounds, ...w.params);
    return { docFreq: rows.length, freq: new Map(rows) };
  }
}

/**
 * Tokens in one FTS5 row, all columns: the docsize shadow table stores one SQLite varint per
 * column (fts5_storage.c), which is what FTS5's own bm25() reads for |D|.
 */
export function docSizeTotal(sz: Buffer): number {
  let total = 0;
  let i = 0;
  while (i < sz.length) {
    let v = 0;
    for (let n = 0; i < sz.length; n++) {
      const byte = sz[i++] ?? 0;
      if (n === 8) {
        v = v * 256 + byte;
        break;
      }
      v = v * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) break;
    }
    total += v;
  }
  return total;
}
