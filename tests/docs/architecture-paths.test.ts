// docs/ARCHITECTURE.md names the modules that exist (issue 18 acceptance): every repository path
// it cites under src/, tests/, scripts/ or bin/ must be there. `{a,b}` expands, a `*` in the last
// segment must match at least one file, and a path ending in `/` must be a directory.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const DOC = 'docs/ARCHITECTURE.md';

/** Path-like runs that start at a top-level directory the doc may cite. */
function citedPaths(markdown: string): string[] {
  const found = markdown.match(/(?<![\w./-])(?:src|tests|scripts|bin)\/[\w.*{},/-]*/g) ?? [];
  // Sentence punctuation after a path is not part of it.
  return [...new Set(found.map((p) => p.replace(/[.,]+$/, '')))].flatMap(expandBraces);
}

function expandBraces(path: string): string[] {
  const m = /\{([^{}]*)\}/.exec(path);
  if (m === null) return [path];
  return m[1]!.split(',').flatMap((alt) => expandBraces(path.slice(0, m.index) + alt + path.slice(m.index + m[0].length)));
}

function exists(path: string): boolean {
  if (path.endsWith('/')) return existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isDirectory();
  if (!path.includes('*')) return existsSync(join(ROOT, path));
  const dir = dirname(path);
  const last = path.slice(dir.length + 1);
  const re = new RegExp(
    `^${last
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}$`,
  );
  return existsSync(join(ROOT, dir)) && readdirSync(join(ROOT, dir)).some((f) => re.test(f));
}

describe('docs/ARCHITECTURE.md cites only paths that exist', () => {
  it('every cited src/, tests/, scripts/ and bin/ path exists', () => {
    const cited = citedPaths(readFileSync(join(ROOT, DOC), 'utf8'));
    expect(cited.length).toBeGreaterThan(20);
    expect(cited.filter((p) => !exists(p))).toEqual([]);
  });

  it('probe: the extractor finds backticked, braced, globbed and directory paths, and a missing one fails', () => {
    const sample =
      'see `src/core/audit/merkle/{prove,verify}.ts`, tests/ipc/*.test.ts and (src/node/store/). Not docs/x.md or mysrc/y.ts; `src/gone/away.ts`.';
    const cited = citedPaths(sample);
    expect(cited).toEqual([
      'src/core/audit/merkle/prove.ts',
      'src/core/audit/merkle/verify.ts',
      'tests/ipc/*.test.ts',
      'src/node/store/',
      'src/gone/away.ts',
    ]);
    expect(cited.filter((p) => !exists(p))).toEqual(['src/gone/away.ts']);
  });
});
