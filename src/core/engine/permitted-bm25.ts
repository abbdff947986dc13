// Invariant: a search result's rank is a function of the permitted set only — the rows within the
// requester's levels and namespaces. SQLite's bm25() reads corpus statistics (row count, average
// length, per-term document frequency) over the whole index, levels and namespaces the requester
// cannot reach included, so its order was an oracle for unseen rows. This module computes the same
// Okapi BM25 (FTS5's constants and per-row formula) from statistics the caller gathered over the
// permitted set, and nothing else reaches it. Hand-written because no library ranks over a
// caller-chosen subset of an FTS5 index; the formula is short and mirrors fts5_aux.c.

/** FTS5's bm25() defaults. */
const K1 = 1.2;
const B = 0.75;

export interface RankCandidate {
  /** Stable tie-breaker: insertion order (the vault's rowid), newer first on equal score. */
  readonly key: number;
  /** Indexed tokens in the row, all columns together (FTS5's |D|). */
  readonly length: number;
}

export interface RankTerm {
  /** Permitted rows containing the term (n(q)). */
  readonly docFreq: number;
  /** Occurrences of the term per candidate key, all columns together (f(q, D)). */
  readonly freq: ReadonlyMap<number, number>;
}

export interface PermittedStats {
  /** Live rows in the permitted set (N). */
  readonly docCount: number;
  readonly terms: readonly RankTerm[];
}

/** FTS5's idf: floored at a tiny positive value so a term in most rows still counts a little. */
function idf(docCount: number, docFreq: number): number {
  const v = Math.log((docCount - docFreq + 0.5) / (docFreq + 0.5));
  return v > 0 ? v : 1e-6;
}

/**
 * Orders candidates by BM25, best first. The average length is taken over the candidates (the
 * permitted rows that match), not the whole permitted set: it is as independent of unseen rows,
 * and knowing it needs no pass over every permitted row on each search.
 */
export function rankPermitted(candidates: readonly RankCandidate[], stats: PermittedStats): RankCandidate[] {
  if (candidates.length === 0) return [];
  const avgLength = Math.max(1, candidates.reduce((s, c) => s + c.length, 0) / candidates.length);
  const docCount = Math.max(stats.docCount, candidates.length);
  const weights = stats.terms.map((t) => idf(docCount, Math.min(t.docFreq, docCount)));
  // Plain loops: a term in every row makes every permitted row a candidate.
  const scored: { c: RankCandidate; score: number }[] = [];
  for (const c of candidates) {
    const norm = K1 * (1 - B + (B * c.length) / avgLength);
    let score = 0;
    for (let i = 0; i < stats.terms.length; i++) {
      const f = stats.terms[i]?.freq.get(c.key) ?? 0;
      if (f > 0) score += ((weights[i] ?? 0) * f * (K1 + 1)) / (f + norm);
    }
    scored.push({ c, score });
  }
  scored.sort((a, b) => b.score - a.score || b.c.key - a.c.key);
  return scored.map((s) => s.c);
}
