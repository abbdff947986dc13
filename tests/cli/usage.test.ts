// Usage errors (commander) exit 2; --help documents exit codes and the passphrase file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES, EXIT_USAGE } from '../../src/cli/io/exit-codes.js';
import { ERROR_CODES } from '../../src/core/errors.js';
import { createSandbox, initVault, REPO_ROOT, type Sandbox } from './cli-harness.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = createSandbox();
  await initVault(sb);
});
afterAll(() => sb.cleanup());

describe('exit code table', () => {
  it('has one distinct, non-usage code per error code in the documented decades', () => {
    expect(EXIT_USAGE).toBe(2);
    expect(Object.keys(EXIT_CODES).sort()).toEqual([...ERROR_CODES].sort());
    const values = Object.values(EXIT_CODES);
    expect(new Set(values).size).toBe(values.length);
    for (const v of values) expect(v >= 20 && v <= 70).toBe(true);
    // Pinned values scripts rely on.
    expect(EXIT_CODES).toMatchObject({
      INVALID_INPUT: 20,
      NOT_FOUND: 21,
      BAD_CREDENTIALS: 30,
      VAULT_NOT_FOUND: 31,
      VAULT_EXISTS: 32,
      LOCKDOWN: 40,
      TOMBSTONED: 41,
      APPROVAL_REQUIRED: 43,
      COOLDOWN: 47,
      BOUNDARY_DENIED: 48,
      VAULT_CORRUPT: 51,
      HARDWARE_REQUIRED: 60,
      INTERNAL: 70,
    });
  });
});

// Under --json (which vcli passes) a usage error is the one JSON document on stdout, as the
// README promises for every command (issue 16); without --json it is commander's text on stderr.
const usageMessage = (r: { stdout: string; stderr: string }): string => {
  const doc = JSON.parse(r.stdout.trim() || '{}') as { ok?: boolean; error?: { code?: string; message?: string } };
  expect(doc.ok).toBe(false);
  expect(doc.error?.code).toBe('INVALID_INPUT');
  expect(r.stderr).toBe('');
  return doc.error?.message ?? '';
};

describe('usage', () => {
  it('an unknown command exits 2 with a message (in the JSON document under --json)', async () => {
    const r = await sb.vcli(['frobnicate']);
    expect(r.exitCode).toBe(2);
    expect(usageMessage(r)).toMatch(/unknown command 'frobnicate'/);
    const text = await sb.cli(['frobnicate']);
    expect(text.exitCode).toBe(2);
    expect(text.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('an unknown global option exits 2', async () => {
    const r = await sb.cli(['--no-such-option', 'status']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
  });

  it('an unknown option of a subcommand exits 2', async () => {
    const r = await sb.vcli(['store', '-l', '1', '-t', 'x', '--bogus'], { input: 'x' });
    expect(usageMessage(r)).toMatch(/unknown option '--bogus'/);
    expect(r.exitCode).toBe(2);
  });

  it('a subcommand missing its required argument or option exits 2', async () => {
    const a = await sb.vcli(['recall']);
    const b = await sb.vcli(['store', '-t', 'no level'], { input: 'x' });
    expect([a.exitCode, b.exitCode]).toEqual([2, 2]);
  });

  it('a subcommand usage error is at least a failure, never success', async () => {
    const r = await sb.vcli(['store', '-l', '1', '-t', 'x', '--bogus'], { input: 'x' });
    expect(r.exitCode).not.toBe(0);
    expect(usageMessage(r)).toMatch(/unknown option '--bogus'/);
  });

  it('--version and -V print the version and exit 0 (package.json, the server and MCP report the same one)', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await sb.cli([flag]);
      expect(r.exitCode, flag).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });

  it('--help exits 0 and documents exit codes and MEMORY_VAULT_PASSPHRASE_FILE', async () => {
    const r = await sb.cli(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:/);
    expect(r.stdout).toMatch(/\b2 usage\b/);
    expect(r.stdout).toContain('MEMORY_VAULT_PASSPHRASE_FILE');
    for (const cmd of ['init', 'store', 'recall', 'search', 'list', 'tombstone', 'lockdown', 'purge', 'status']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    }
  });

  it('no passphrase source and no terminal → INVALID_INPUT naming MEMORY_VAULT_PASSPHRASE_FILE', async () => {
    const r = await sb.vcli(['status'], { env: { MEMORY_VAULT_PASSPHRASE_FILE: undefined } });
    expect(r.exitCode).toBe(EXIT_CODES.INVALID_INPUT);
    expect(r.stdout).toContain('MEMORY_VAULT_PASSPHRASE_FILE');
  });
});
