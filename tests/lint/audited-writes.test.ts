// Node-side feature code changes vault state only through the audited write path
// (`engine.runAudited`: the state write and its leaf in one transaction — issue 14 item 1,
// issue 18 item 2). This test greps the feature directories for direct database writes and
// fails on any outside the allowlist below; the probes at the end prove it can fail.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();

/** Node-side feature code (not the store layer in src/node/store, not the engine in src/core). */
const SCANNED = [
  'src/node/deadman',
  'src/node/escrow',
  'src/node/rotation',
  'src/node/backup',
  'src/node/hardware',
  'src/node/integrations',
  'src/node/agent-api',
  'src/main/services',
];

/** What counts as a direct write. Reads (`SELECT`) and `tx.setState` (the audited handle) do not. */
const WRITE_PATTERNS: readonly { readonly name: string; readonly re: RegExp }[] = [
  { name: 'prepared INSERT/UPDATE/DELETE/REPLACE', re: /\.prepare\(\s*['"`]\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b/gi },
  { name: '.exec(', re: /\.exec\(/g },
  { name: 'repo.setState', re: /\brepo\.setState\(/g },
  { name: 'repo.transaction (a transaction of its own, outside the audited path)', re: /\brepo\.transaction\(/g },
  { name: 'database.exec/transaction/rekey', re: /\bdatabase\.(?:exec|transaction)\(|\.pragma\(\s*[`'"]rekey/g },
];

/**
 * Files allowed to hold direct writes, each with why. The feature tables' SQL lives in
 * src/node/store/*.table.ts (not scanned: called from inside `runAudited` work by their
 * feature); the files below cannot share a SQLite transaction with the live vault at all.
 */
const ALLOWLIST: Readonly<Record<string, string>> = {
  // (None left: a restore's staging-database writes moved to src/node/store/vault-copy.ts, the
  // rekey to src/node/store/database-rekey.ts; tests/lint/no-direct-writes.test.ts covers SQL.)
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** Comments are not code: drop line and block comments before matching. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

function directWrites(path: string, text: string): string[] {
  if (ALLOWLIST[path] !== undefined) return [];
  const body = code(text);
  const found: string[] = [];
  for (const { name, re } of WRITE_PATTERNS) {
    for (const m of body.matchAll(re)) {
      const line = body.slice(0, m.index).split('\n').length;
      found.push(`${path}:${line}: ${name}`);
    }
  }
  return found;
}

describe('audited writes lint', () => {
  it('node-side feature code writes vault state only through engine.runAudited', () => {
    const findings = SCANNED.flatMap((d) => sourceFiles(join(ROOT, d))).flatMap((abs) =>
      directWrites(relative(ROOT, abs), readFileSync(abs, 'utf8')),
    );
    expect(findings).toEqual([]);
  });

  it('every allowlisted file still exists (a stale entry would hide a new file of that name)', () => {
    for (const path of Object.keys(ALLOWLIST)) expect(statSync(join(ROOT, path)).isFile(), path).toBe(true);
  });

  it('probe: the lint fails on each kind of direct write in a feature file', () => {
    const probe = 'src/node/deadman/probe.ts';
    expect(
      directWrites(probe, 'session.database.prepare("DELETE FROM vault_state WHERE key LIKE \'deadman.package.%\'").run();'),
    ).toHaveLength(1);
    expect(directWrites(probe, "db\n  .prepare(\n    'INSERT INTO escrows (id) VALUES (?)',\n  )\n  .run(id);")).toHaveLength(1);
    expect(directWrites(probe, "session.repo.setState('deadman', json);")).toHaveLength(1);
    expect(directWrites(probe, "session.repo.transaction(() => x(), 'full');")).toHaveLength(1);
    expect(directWrites(probe, "st.db.exec('BEGIN');")).toHaveLength(1);
    expect(directWrites('src/main/services/probe.ts', 'db.prepare(`UPDATE agents SET x = ?`).run(1);')).toHaveLength(1);
    // A real store file, moved out of the allowlist, is found: the scan reads what is on disk.
    expect(
      directWrites('src/node/escrow/moved-store.ts', readFileSync(join(ROOT, 'src/node/store/escrows.table.ts'), 'utf8')).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('probe: reads, the audited handle and comments are not findings', () => {
    const probe = 'src/node/deadman/probe.ts';
    expect(directWrites(probe, "db.prepare('SELECT value FROM vault_state WHERE key = ?').get(k);")).toEqual([]);
    expect(directWrites(probe, "engine.runAudited((tx) => tx.setState('deadman', json), () => leaf);")).toEqual([]);
    expect(directWrites(probe, "// session.repo.setState('deadman', json) was the old way\nconst x = 1;")).toEqual([]);
  });
});
