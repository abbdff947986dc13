// CLI conventions (issue 16): under --json a usage error is still the one JSON document the README
// promises, with a stable exit code; `store` without --title derives one without using level-3+
// content.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../recovery/support/cli.js';
import { TEST_PASSPHRASE } from '../support/vault-fixture.js';

let root: string;
let vaultDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mv-cli-conv-'));
  vaultDir = join(root, 'vault');
  const passFile = join(root, 'pass.txt');
  writeFileSync(passFile, `${TEST_PASSPHRASE}\n`, { mode: 0o600 });
  env = { MEMORY_VAULT_PASSPHRASE_FILE: passFile, HOME: root };
  const init = await runCli(['--vault', vaultDir, '--json', 'init', '--kdf-memory', '8', '--kdf-ops', '1'], { env });
  expect(init.json?.ok, init.stderr).toBe(true);
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('--json usage errors', () => {
  it.each([
    [['--json', 'store']],
    [['--json', 'recall']],
    [['--json', 'no-such-command']],
    [['store', '--level', '1', '--json', '--bogus-option']],
  ])('%j prints one {ok:false, INVALID_INPUT} document on stdout, nothing on stderr, exit 2', async (args) => {
    const r = await runCli(['--vault', vaultDir, ...args], { env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0] ?? '') as { ok: boolean; error: { code: string; message: string } };
    expect(doc.ok).toBe(false);
    expect(doc.error.code).toBe('INVALID_INPUT');
    expect(doc.error.message.length).toBeGreaterThan(0);
  });

  it('without --json the usage error stays commander text on stderr, exit 2', async () => {
    const r = await runCli(['--vault', vaultDir, 'store'], { env });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/required option/);
  });
});

describe('store without --title', () => {
  it('takes the first line of level 0–2 content, and the file name (never the content) for level 3+', async () => {
    const notes = join(root, 'notes.md');
    writeFileSync(notes, '\n# Weekly plan\nthe rest\n');
    const low = await runCli(['--vault', vaultDir, '--json', 'store', '--level', '1', '--file', notes], { env });
    expect(low.json?.ok, low.stderr).toBe(true);
    expect(low.json?.result?.title).toBe('# Weekly plan');
    const secret = join(root, 'prod-db.txt');
    writeFileSync(secret, 'hunter2-canary\n');
    const high = await runCli(['--vault', vaultDir, '--json', 'store', '--level', '3', '--file', secret], { env });
    expect(high.json?.ok, high.stderr).toBe(true);
    expect(high.json?.result?.title).toBe('prod-db.txt');
    expect(JSON.stringify(high.json)).not.toContain('hunter2-canary');
  }, 120_000);
});
