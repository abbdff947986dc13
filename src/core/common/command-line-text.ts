// How a command line is shown to the owner (approval prompt, approval dialog, listings).
// Invariant: the text shows every argument boundary — an argument with a space, a quote or
// nothing in it is single-quoted POSIX-style — so `psql -c 'drop table x'` can never be shown
// as if it were three harmless words; and it is display only, never executed or parsed back.
// Characters a terminal could act on are escaped by the caller's neutraliser (terminal-text.ts
// for terminals; the renderer shows it as agent text), not here.

const BARE = /^[A-Za-z0-9_./:=@%+,-]+$/;

export function quoteArg(arg: string): string {
  if (BARE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** argv (executable first) as one line; quoted arguments keep their boundaries visible. */
export function commandLineText(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}
