// The arguments of `npm run bench` (all.ts): its own options, and the rest for every part.

export interface AllArgs {
  readonly passThrough: readonly string[];
  readonly out: string;
  readonly compare: string | null;
  readonly report: string | null;
}

/** --out, --compare and --report are this program's; everything else goes to every part. */
export function parseAllArgs(argv: readonly string[]): AllArgs {
  const passThrough: string[] = [];
  let out = 'bench-results.json';
  let compare: string | null = null;
  let report: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} expects a file name`);
      return v;
    };
    if (a === '--out') out = value();
    else if (a === '--compare') compare = value();
    else if (a === '--report') report = value();
    else passThrough.push(a);
  }
  if (report !== null && compare === null) throw new Error('--report names the later report of a --compare');
  return { passThrough, out, compare, report };
}
