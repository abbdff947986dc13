// Standard age files wherever this project reads one: an identity file written by Debian's
// `age-keygen -o` (comment lines, then the key) restores an age-encrypted backup and opens an
// heir package; a recipients file from `age-keygen -y` is accepted where a recipient is asked for.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeirPackage } from '../../src/core/deadman/deadman-state.js';
import { openHeirPackage, sealHeirPackage } from '../../src/node/deadman/heir-package.js';
import { runCli } from '../recovery/support/cli.js';
import { TEST_PASSPHRASE } from '../support/vault-fixture.js';

let root: string;
let vaultDir: string;
let env: Record<string, string>;
let identityFile: string;
let recipientsFile: string;

function ageKeygen(args: string[]): string {
  return execFileSync('age-keygen', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mv-age-files-'));
  vaultDir = join(root, 'vault');
  const passFile = join(root, 'pass.txt');
  writeFileSync(passFile, `${TEST_PASSPHRASE}\n`, { mode: 0o600 });
  env = { MEMORY_VAULT_PASSPHRASE_FILE: passFile, HOME: root };
  identityFile = join(root, 'key.txt');
  ageKeygen(['-o', identityFile]);
  recipientsFile = join(root, 'recipients.txt');
  writeFileSync(recipientsFile, `# the heir's public key\n${ageKeygen(['-y', identityFile])}`);
  const init = await runCli(['--vault', vaultDir, '--json', 'init', '--kdf-memory', '8', '--kdf-ops', '1'], { env });
  expect(init.json?.ok, init.stderr).toBe(true);
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('age-keygen files', () => {
  it('the identity file age-keygen wrote has comment lines before the key (what the test relies on)', () => {
    const lines = readFileSync(identityFile, 'utf8').split('\n');
    expect(lines[0]).toMatch(/^# created: /);
    expect(lines.some((l) => l.startsWith('AGE-SECRET-KEY-1'))).toBe(true);
  });

  it('backs up to a recipients file and restores with the age-keygen identity file', async () => {
    const stored = await runCli(
      ['--vault', vaultDir, '--json', 'store', '--level', '1', '--title', 'age interop', '--file', recipientsFile],
      { env },
    );
    expect(stored.json?.ok, stored.stderr).toBe(true);
    const key = await runCli(['--vault', vaultDir, '--json', 'audit', 'key'], { env });
    expect(key.json?.ok, key.stderr).toBe(true);
    const auditKey = String(key.json?.result?.verifierKey ?? '');
    const out = join(root, 'b.mvbak');
    const created = await runCli(['--vault', vaultDir, '--json', 'backup', 'create', '--out', out, '--age-recipient', recipientsFile], {
      env,
    });
    expect(created.json?.ok, created.stderr).toBe(true);
    const restored = await runCli(
      ['--json', 'backup', 'restore', out, '--target', join(root, 'restored'), '--age-identity', identityFile, '--key', auditKey],
      { env },
    );
    expect(restored.json?.ok, restored.stderr).toBe(true);
    expect(restored.json?.result?.memories).toBe(1);
  }, 120_000);

  it('refuses a file with no identity with INVALID_INPUT, not BAD_CREDENTIALS', async () => {
    const out = join(root, 'b2.mvbak');
    const created = await runCli(['--vault', vaultDir, '--json', 'backup', 'create', '--out', out, '--age-recipient', recipientsFile], {
      env,
    });
    expect(created.json?.ok, created.stderr).toBe(true);
    const restored = await runCli(['--json', 'backup', 'restore', out, '--target', join(root, 'r2'), '--age-identity', recipientsFile], {
      env,
    });
    expect(restored.json?.error?.code).toBe('INVALID_INPUT');
  }, 120_000);

  it('opens an heir package with the age-keygen identity file', async () => {
    const recipient = ageKeygen(['-y', identityFile]).trim();
    const pkg: HeirPackage = {
      format: 'memory-vault-heir-package',
      version: 1,
      vaultId: 'v',
      switchId: '00000000-0000-4000-8000-000000000000',
      heir: 'ada',
      sealedAt: new Date(0).toISOString(),
      memories: [],
      recovery: null,
    };
    const armored = await sealHeirPackage({ name: 'ada', recipient }, pkg);
    const opened = await openHeirPackage(armored, readFileSync(identityFile, 'utf8'));
    expect(opened.heir).toBe('ada');
  });
});
