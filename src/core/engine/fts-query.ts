// User text never reaches FTS5's query syntax: every token is quoted, so operators, column
// filters and unbalanced quotes in a query cannot cause errors or widen the search.
export function toFtsQuery(text: string): string | null {
  const tokens = text
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}_]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 32);
  if (tokens.length === 0) return null;
  // Prefix match on the last token gives search-as-you-type behaviour.
  return tokens.map((t, i) => `"${t}"${i === tokens.length - 1 ? '*' : ''}`).join(' ');
}

export interface IndexTerm {
  /** The term as the index stores it (folded like FTS5's unicode61 remove_diacritics 2). */
  readonly term: string;
  /** true for the search-as-you-type last token: every indexed term starting with `term`. */
  readonly prefix: boolean;
}

// unicode61 folds case and strips diacritics, and treats punctuation such as '_' as a separator.
// This mirrors it for the ranking only: matching stays with FTS5, so a term folded differently
// here (rare scripts) loses its weight in the order, never a result and never to another caller.
export function foldLikeIndex(token: string): string[] {
  return token
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
}

/** The index terms of a query built by toFtsQuery, for ranking over the permitted rows. */
export function indexTermsOf(ftsQuery: string): IndexTerm[] {
  const out: IndexTerm[] = [];
  for (const m of ftsQuery.matchAll(/"([^"]+)"(\*?)/g)) {
    const parts = foldLikeIndex(m[1] ?? '');
    parts.forEach((term, i) => out.push({ term, prefix: m[2] === '*' && i === parts.length - 1 }));
  }
  return out;
}
