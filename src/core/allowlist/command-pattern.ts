// The argument pattern of an allowlisted command (issue 19 item 3). Invariant: a pattern
// matches an argv element by element — same count, each literal equal, each placeholder one
// whole element of its type — so an agent can fill in the blanks the owner left and nothing
// else: no extra argument, no option where a value was expected, no shell (the runner execs
// argv directly; there is no quoting or expansion to escape from).
//
// Syntax of one pattern token:
//   {name:type}   a placeholder, one argv element of that type (name: [a-z][a-z0-9_]{0,31})
//   \…            a literal whose text is what follows the backslash (so `\{x:int}` is the
//                 literal "{x:int}" and `\\x` the literal "\x")
//   anything else a literal, compared exactly
// Types:
//   int    decimal digits, 1–18 of them (never a sign: "-1" could read as an option)
//   word   [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}: never starts with "-", so never an option
//   host   a DNS name or IPv4 address: labels of [A-Za-z0-9-], not starting with "-", ≤ 253
//   text   any text up to 4096 characters without NUL — may start with "-"; the program
//          still interprets it (a `psql -c {q:text}` entry lets the agent run any SQL)
// Hand-written: the language is six lines of grammar, and a glob or regex library would
// accept far more (alternation, backtracking, "*" spanning elements) than an owner can review.

export const PLACEHOLDER_TYPES = ['int', 'word', 'host', 'text'] as const;
export type PlaceholderType = (typeof PLACEHOLDER_TYPES)[number];

export type ArgToken =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'placeholder'; readonly name: string; readonly type: PlaceholderType };

const PLACEHOLDER = /^\{([a-z][a-z0-9_]{0,31}):([a-z]+)\}$/;
const TYPE_RULES: Readonly<Record<PlaceholderType, (s: string) => boolean>> = {
  int: (s) => /^[0-9]{1,18}$/.test(s),
  word: (s) => /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(s),
  host: (s) => s.length <= 253 && /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*\.?$/.test(s),
  text: (s) => s.length <= 4096 && !s.includes('\u0000'),
};

export const MAX_PATTERN_TOKENS = 64;
export const MAX_TOKEN_CHARS = 4096;

function isPlaceholderType(t: string): t is PlaceholderType {
  return (PLACEHOLDER_TYPES as readonly string[]).includes(t);
}

/** One token as the owner wrote it; an error string names what is wrong (never thrown: input). */
export function parseArgToken(source: string): ArgToken | { readonly error: string } {
  if (source.includes('\u0000')) return { error: 'an argument cannot contain NUL' };
  if (source.length > MAX_TOKEN_CHARS) return { error: `an argument is limited to ${MAX_TOKEN_CHARS} characters` };
  if (source.startsWith('\\')) return { kind: 'literal', value: source.slice(1) };
  const m = PLACEHOLDER.exec(source);
  if (m) {
    const [, name = '', type = ''] = m;
    if (!isPlaceholderType(type)) return { error: `unknown placeholder type "${type}" (one of ${PLACEHOLDER_TYPES.join(', ')})` };
    return { kind: 'placeholder', name, type };
  }
  if (source.startsWith('{') && source.endsWith('}'))
    return { error: `"${source}" looks like a placeholder but is not {name:type}; write \\${source} for a literal` };
  return { kind: 'literal', value: source };
}

/** The whole pattern; placeholder names must be unique so a binding names one position. */
export function parseArgPattern(sources: readonly string[]): { readonly tokens: readonly ArgToken[] } | { readonly error: string } {
  if (sources.length > MAX_PATTERN_TOKENS) return { error: `a command takes at most ${MAX_PATTERN_TOKENS} arguments` };
  const tokens: ArgToken[] = [];
  const names = new Set<string>();
  for (const s of sources) {
    const t = parseArgToken(s);
    if ('error' in t) return t;
    if (t.kind === 'placeholder') {
      if (names.has(t.name)) return { error: `placeholder name "${t.name}" is used twice` };
      names.add(t.name);
    }
    tokens.push(t);
  }
  return { tokens };
}

/** The owner's spelling of a token (inverse of parseArgToken), for listings and digests. */
export function formatArgToken(t: ArgToken): string {
  if (t.kind === 'placeholder') return `{${t.name}:${t.type}}`;
  const needsEscape = t.value.startsWith('\\') || (t.value.startsWith('{') && t.value.endsWith('}'));
  return needsEscape ? `\\${t.value}` : t.value;
}

export type PatternMatch =
  { readonly ok: true; readonly values: Readonly<Record<string, string>> } | { readonly ok: false; readonly reason: string };

/** Whether `argv` (the arguments after the executable) fits the pattern exactly. */
export function matchArgs(tokens: readonly ArgToken[], argv: readonly string[]): PatternMatch {
  if (argv.length !== tokens.length) return { ok: false, reason: `expected ${tokens.length} arguments, got ${argv.length}` };
  const values: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const a = argv[i];
    if (t === undefined || a === undefined) return { ok: false, reason: 'argument count mismatch' };
    if (t.kind === 'literal') {
      if (a !== t.value) return { ok: false, reason: `argument ${i + 1} is not the allowed literal` };
    } else {
      if (!TYPE_RULES[t.type](a)) return { ok: false, reason: `argument ${i + 1} is not a ${t.type} ({${t.name}:${t.type}})` };
      values[t.name] = a;
    }
  }
  return { ok: true, values };
}

/** Fill a pattern's placeholders from named values (the agent's `args` by name); every one must fit. */
export function fillArgs(
  tokens: readonly ArgToken[],
  values: Readonly<Record<string, string>>,
): { readonly ok: true; readonly argv: readonly string[] } | { readonly ok: false; readonly reason: string } {
  const names = new Set(tokens.flatMap((t) => (t.kind === 'placeholder' ? [t.name] : [])));
  for (const k of Object.keys(values)) if (!names.has(k)) return { ok: false, reason: `the command has no placeholder "${k}"` };
  const argv: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'literal') {
      argv.push(t.value);
      continue;
    }
    const v = values[t.name];
    if (v === undefined) return { ok: false, reason: `placeholder "${t.name}" needs a value` };
    if (!TYPE_RULES[t.type](v)) return { ok: false, reason: `"${t.name}" is not a ${t.type}` };
    argv.push(v);
  }
  return { ok: true, argv };
}
