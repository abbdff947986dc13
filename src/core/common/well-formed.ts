// Well-formed Unicode for agent-supplied strings. Invariant: a string that contains a lone
// surrogate (U+D800–U+DFFF not part of a high+low pair) is never accepted from an agent. Such a
// string has no UTF-8 form: encoding it silently turns the surrogate into U+FFFD, so what the vault
// stores, hashes and shows would differ from what the agent sent. Refusing is the only honest
// answer. (String.prototype.isWellFormed does this from ES2024; the regex keeps us on the ES2023
// library the project targets.)

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `s` is a sequence of Unicode scalar values, so it round-trips through UTF-8. */
export function isWellFormedText(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/**
 * The path of the first ill-formed string (object keys included) inside a parsed JSON value, or
 * undefined when every string is well formed. Only arrays and plain objects are walked; depth is
 * bounded by the JSON the caller parsed.
 */
export function findIllFormedText(value: unknown, path: readonly (string | number)[] = []): readonly (string | number)[] | undefined {
  if (typeof value === 'string') return isWellFormedText(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findIllFormedText(value[i], [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  // Plain JSON objects only: bytes a schema already decoded (a Buffer) hold no text to check.
  if (typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null)) {
    for (const [k, v] of Object.entries(value)) {
      if (!isWellFormedText(k)) return [...path, k];
      const found = findIllFormedText(v, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}
