// Threat: damage hidden behind a generic failure. A byte range overwritten in the middle of
// vault.db (a bad sector, a bad copy, an attacker) makes SQLite report SQLITE_CORRUPT /
// SQLITE_NOTADB ("database disk image is malformed") at whatever read first touches the page.
// Every CLI command must name that as VAULT_CORRUPT (or INTEGRITY_FAILURE) with its stable exit
// code and a hint, never INTERNAL (exit 70) and never a stack trace.
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/io/exit-codes.js';
import type { Requester } from '../../src/core/model/requester.js';
import { BIN } from '../agent-api/cli-process.js';
import { newVault, TEST_PASSPHRASE } from '../support/vault-fixture.js';

const owner: Requester = { kind: 'owner', channel: 'cli' };
let pristine: string;
let remove: () => void;
let passFile: string;

beforeAll(async () => {
  const v = await newVault();
  remove = v.remove;
  pristine = v.dir;
  // Enough rows for a database of many pages: memories, full-text index, audit log.
  for (let i = 0; i < 120; i++) {
    await v.session.engine.store(
      { content: `memory ${i} `.repeat(200), level: (i % 3) as 0 | 1 | 2, title: `title ${i}`, tags: [`t${i % 7}`] },
      owner,
    );
  }
  v.session.close();
  passFile = join(dirname(v.dir), 'passphrase');
  writeFileSync(passFile, TEST_PASSPHRASE, { mode: 0o600 });
}, 60_000);

afterAll(() => remove?.());

/** A copy of the closed vault with `length` bytes overwritten at `fraction` of vault.db. */
function corruptedCopy(name: string, fraction: number, length = 8192): string {
  const dir = join(dirname(pristine), name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(pristine, dir, { recursive: true });
  const db = join(dir, 'vault.db');
  const size = statSync(db).size;
  expect(size).toBeGreaterThan(64 * 1024);
  const at = Math.floor((size * fraction) / 4096) * 4096 + 100;
  const fd = openSync(db, 'r+');
  try {
    writeSync(fd, Buffer.alloc(length, 0xa5), 0, length, at);
  } finally {
    closeSync(fd);
  }
  return dir;
}

interface Outcome {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly output: string;
}

function run(dir: string, args: string[]): Outcome {
  // Without MEMORY_VAULT_DEBUG: that switch prints stacks on purpose.
  const env: NodeJS.ProcessEnv = { ...process.env, MEMORY_VAULT_PASSPHRASE_FILE: passFile, MEMORY_VAULT_DIR: dir };
  delete env.MEMORY_VAULT_DEBUG;
  const r = spawnSync(process.execPath, [BIN, '--json', ...args], { env, encoding: 'utf8', input: '' });
  const last = r.stdout.trim().split('\n').pop() ?? '{}';
  const doc = JSON.parse(last) as { ok: boolean; error?: { code: string; message: string } };
  return { status: r.status ?? -1, code: doc.error?.code ?? 'OK', message: doc.error?.message ?? '', output: `${r.stdout}\n${r.stderr}` };
}

const NAMED = ['VAULT_CORRUPT', 'INTEGRITY_FAILURE'];
const COMMANDS: string[][] = [['status'], ['list', '--limit', '500'], ['search', 'memory'], ['audit', 'verify']];

describe('a page-corrupted database is named, never INTERNAL', () => {
  it('the undamaged copy answers every command (control)', () => {
    const dir = corruptedCopy('control', 0, 0);
    for (const args of COMMANDS) expect({ args, code: run(dir, args).code }).toEqual({ args, code: 'OK' });
  });

  for (const fraction of [0.3, 0.75]) {
    it(`bytes overwritten at ${fraction * 100}% of vault.db: VAULT_CORRUPT or INTEGRITY_FAILURE, its exit code, a hint, no stack`, () => {
      const dir = corruptedCopy(`at-${fraction}`, fraction);
      let named = 0;
      for (const args of COMMANDS) {
        const o = run(dir, args);
        expect(o.output).not.toMatch(/\n\s+at .+:\d+:\d+\)?/); // no stack frame
        expect(o.code).not.toBe('INTERNAL');
        if (o.code === 'OK') continue; // this command did not touch the damaged page
        expect({ args, code: NAMED.includes(o.code) ? 'named' : o.code }).toEqual({ args, code: 'named' });
        expect(o.status).toBe(EXIT_CODES[o.code as 'VAULT_CORRUPT' | 'INTEGRITY_FAILURE']);
        expect(o.message).toMatch(/audit verify|backup/);
        named++;
      }
      // `audit verify` reads every audit page, `list`/`search` the memories: something must notice.
      expect(named).toBeGreaterThan(0);
    });
  }
});
