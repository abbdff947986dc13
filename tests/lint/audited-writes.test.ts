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
 * Files allowed to hold direct writes, each with why. Store-layer modules hold SQL only and
 * are called from inside `runAudited` work by their feature; the rest cannot share a SQLite
 * transaction with the live vault at all, or are known debt outside this change (named).
 */
const ALLOWLIST: Readonly<Record<string, string>> = {
  // Store layer: called from runAudited work (escrow-service.ts, rotate-profile-key.ts).
  'src/node/escrow/escrow-store.ts': 'store layer for the escrows table',
  // Store layer: rewrapped DEKs written inside the rotation's runAudited work.
  'src/node/rotation/memory-key-rows.ts': 'store layer for a rotation\'s memory rows',
  // PRAGMA rekey rewrites every page in its own journaled transaction; it cannot join one
  // (rotate-profile-key.ts records the leaf with the marker that commits before it).
  'src/node/rotation/database-rekey.ts': 'SQLite3MC rekey, outside any transaction by design',
  // Store layer: owner changes run inside runAudited (hardware-key-admin.ts). The sign-counter
  // update from an assertion (vault-hardware-key.ts) is bookkeeping of a use already audited.
  'src/node/hardware/hardware-key-store.ts': 'store layer for hardware_keys',
  // Restore writes a NEW staging database no engine has opened yet; its leaf is recorded at the
  // staged vault's first unlock, after verification, before it replaces anything.
  'src/node/backup/backup-restore.ts': 'staging database of a restore (not a live vault)',
  'src/node/backup/backup-tables.ts': 'row inserts into a restore\'s staging database',
  // Store layer: create/revoke/suspend/resume are called from runAudited work (owner-server.ts,
  // desktop-agents.ts, cli agents, registry-agent-suspender.ts); last_used_at is bookkeeping.
  'src/node/agent-api/agent-registry.ts': 'store layer for agents',
  // Store layer: link/unlink run inside runAudited (intent-links.ts).
  'src/node/integrations/intent-link-store.ts': 'store layer for memory_intents',
  // Store layer: the receipt insert runs inside runAudited (effort-store.ts); segment rows are
  // observation scratch with no leaf of their own (the receipt's leaf vouches for the segment).
  'src/node/integrations/effort-rows.ts': 'store layer for effort_segments / effort_receipts',
  // Not debt but by design: bookkeeping of checkpoints already signed into the log, with no leaf
  // of its own (a leaf per post would be anchored in turn, forever; see anchor-store.ts).
  'src/node/integrations/anchor-store.ts': 'anchoring bookkeeping of checkpoints already in the log',
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
    const findings = SCANNED.flatMap((d) => sourceFiles(join(ROOT, d))).flatMap((abs) => directWrites(relative(ROOT, abs), readFileSync(abs, 'utf8')));
    expect(findings).toEqual([]);
  });

  it('every allowlisted file still exists (a stale entry would hide a new file of that name)', () => {
    for (const path of Object.keys(ALLOWLIST)) expect(statSync(join(ROOT, path)).isFile(), path).toBe(true);
  });

  it('probe: the lint fails on each kind of direct write in a feature file', () => {
    const probe = 'src/node/deadman/probe.ts';
    expect(directWrites(probe, "session.database.prepare(\"DELETE FROM vault_state WHERE key LIKE 'deadman.package.%'\").run();")).toHaveLength(1);
    expect(directWrites(probe, "db\n  .prepare(\n    'INSERT INTO escrows (id) VALUES (?)',\n  )\n  .run(id);")).toHaveLength(1);
    expect(directWrites(probe, "session.repo.setState('deadman', json);")).toHaveLength(1);
    expect(directWrites(probe, "session.repo.transaction(() => x(), 'full');")).toHaveLength(1);
    expect(directWrites(probe, "st.db.exec('BEGIN');")).toHaveLength(1);
    expect(directWrites('src/main/services/probe.ts', 'db.prepare(`UPDATE agents SET x = ?`).run(1);')).toHaveLength(1);
    // A real store file, moved out of the allowlist, is found: the scan reads what is on disk.
    expect(directWrites('src/node/escrow/moved-store.ts', readFileSync(join(ROOT, 'src/node/escrow/escrow-store.ts'), 'utf8')).length).toBeGreaterThanOrEqual(2);
  });

  it('probe: reads, the audited handle and comments are not findings', () => {
    const probe = 'src/node/deadman/probe.ts';
    expect(directWrites(probe, "db.prepare('SELECT value FROM vault_state WHERE key = ?').get(k);")).toEqual([]);
    expect(directWrites(probe, "engine.runAudited((tx) => tx.setState('deadman', json), () => leaf);")).toEqual([]);
    expect(directWrites(probe, "// session.repo.setState('deadman', json) was the old way\nconst x = 1;")).toEqual([]);
  });
});
