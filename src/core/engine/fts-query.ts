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
