// Owner `memory-vault run` end to end through the built CLI (issue 19): the child gets the value
// only in its environment, its output reaches the caller masked, the exit code is the child's, and
// the audit log shows memory.use with the command digest and never the value.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandDigest } from '../../src/core/secrets/use-purpose.js';
import { BIN, createSandbox, expectError, expectOk, initVault, store, type Sandbox } from '../cli/cli-harness.js';

const CHILD = fileURLToPath(new URL('./fixtures/print-self.cjs', import.meta.url));
const SECRET = 'pg/pass word+7c1d9e0f&canary';
const MASK = '<concealed by memory-vault>';

let sb: Sandbox;
let ref = '';
beforeAll(async () => {
  sb = createSandbox();
  await initVault(sb);
  const m = await store(sb, { level: 2, title: 'db password', content: SECRET, extra: ['--namespace', 'ops'] });
  ref = `mv://ops/${m.id}`;
}, 120_000);
afterAll(() => sb.cleanup());

interface RunJson {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: { text?: string; base64?: string };
  stderr: { text?: string; base64?: string };
  uses: { name: string; ref: string; memoryId: string; level: number; auditSeq: number }[];
}

const childEnv = { PRINT_ENV_NAMES: 'PGPASSWORD', PRINT_VALUES: '1' };

describe('memory-vault run (owner)', () => {
  it('gives the child the secret in its environment; the caller sees only masks, in --json and on plain stdout', async () => {
    const cmd = [process.execPath, CHILD, '--flag', 'x'];
    const r = await sb.vcli(['run', '--env', `PGPASSWORD=${ref}`, '--', ...cmd], { env: { ...childEnv, EXIT_WITH: '5' } });
    expect(r.exitCode).toBe(5); // the child's own exit code
    const doc = JSON.parse(r.stdout) as { ok: boolean; result: RunJson };
    expect(doc.ok).toBe(true);
    const out = doc.result.stdout.text ?? '';
    const err = doc.result.stderr.text ?? '';
    for (const text of [r.stdout, r.stderr, out, err]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(Buffer.from(SECRET).toString('base64'));
      expect(text).not.toContain(Buffer.from(SECRET).toString('base64url'));
      expect(text).not.toContain(encodeURIComponent(SECRET));
    }
    for (const label of ['raw', 'b64', 'b64url', 'url']) expect(out).toContain(`${label}:${MASK}\n`);
    expect(err).toContain(`err-raw:${MASK}`);
    const report = JSON.parse(/REPORT (.*)\n/.exec(out)?.[1] ?? '{}') as { present: Record<string, boolean>; argv: string[] };
    expect(report.present).toEqual({ PGPASSWORD: true });
    expect(report.argv).toEqual(['--flag', 'x']);
    expect(doc.result.uses).toEqual([expect.objectContaining({ name: 'PGPASSWORD', ref, level: 2 })]);

    const human = await sb.cli(['--vault', sb.vault, 'run', '--env', `PGPASSWORD=${ref}`, '--', ...cmd], { env: childEnv });
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toContain(`raw:${MASK}\n`);
    expect(human.stdout + human.stderr).not.toContain(SECRET);
  }, 120_000);

  it('records memory.use with the digest of the command line and cwd, and no value or argv in the log', async () => {
    const cmd = [process.execPath, CHILD, 'digest-me'];
    const r = await sb.vcli(['run', '--env', `PGPASSWORD=${ref}`, '--', ...cmd], { env: { PRINT_ENV_NAMES: 'PGPASSWORD' } });
    expect(r.exitCode).toBe(0);
    const rows = expectOk(await sb.vcli(['audit', 'list', '--kind', 'memory.use', '--limit', '50'])) as {
      event: { kind: string; outcome: string; details?: { commandDigest?: string } };
    }[];
    const events = rows.map((r) => r.event);
    // execa runs the CLI in the test's cwd, so that is the cwd the digest binds.
    const digest = commandDigest({ commandLine: cmd, cwd: process.cwd() });
    expect(events.some((e) => e.kind === 'memory.use' && e.outcome === 'ok' && e.details?.commandDigest === digest)).toBe(true);
    const all = await sb.vcli(['audit', 'list', '--limit', '1000']);
    expect(all.stdout).not.toContain(SECRET);
    expect(all.stdout).not.toContain('digest-me');
  }, 120_000);

  it('refuses a value on the command line in place of a reference, an unknown reference and bad syntax, with stable codes', async () => {
    expectError(await sb.vcli(['run', '--env', `PGPASSWORD=${SECRET}`, '--', process.execPath, CHILD]), 'INVALID_INPUT');
    expectError(await sb.vcli(['run', '--env', 'PGPASSWORD=mv://ops/00000000', '--', process.execPath, CHILD]), 'NOT_FOUND');
    expectError(await sb.vcli(['run', '--env', 'PGPASSWORD=mv://ops/by-title/a b', '--', process.execPath, CHILD]), 'INVALID_INPUT');
    expectError(await sb.vcli(['run', '--env', `PGPASSWORD=${ref}`, '--', '/nonexistent/cmd']), 'INVALID_INPUT');
  }, 120_000);

  it('resolves by title and a JSON field, and refuses an ambiguous title with REFERENCE_AMBIGUOUS', async () => {
    await store(sb, { level: 1, title: 'api creds', content: JSON.stringify({ token: 'tok-9f8e7d6c5b' }), extra: ['--namespace', 'ops'] });
    const r = await sb.vcli(['run', '--env', 'TOKEN=mv://ops/by-title/api%20creds#token', '--', process.execPath, CHILD], {
      env: { PRINT_ENV_NAMES: 'TOKEN', PRINT_VALUES: '1' },
    });
    const doc = JSON.parse(r.stdout) as { result: RunJson };
    expect(doc.result.stdout.text).toContain(`raw:${MASK}`);
    expect(r.stdout).not.toContain('tok-9f8e7d6c5b');
    await store(sb, { level: 1, title: 'twin', content: 'aaaa-1', extra: ['--namespace', 'ops'] });
    await store(sb, { level: 1, title: 'twin', content: 'bbbb-2', extra: ['--namespace', 'ops'] });
    expectError(await sb.vcli(['run', '--env', 'X=mv://ops/by-title/twin', '--', process.execPath, CHILD]), 'REFERENCE_AMBIGUOUS');
  }, 120_000);

  it('refuses a secret too short to mask with SECRET_UNMASKABLE and runs nothing', async () => {
    const m = await store(sb, { level: 1, title: 'pin', content: '123', extra: ['--namespace', 'ops'] });
    const r = await sb.vcli(['run', '--env', `PIN=mv://ops/${m.id}`, '--', process.execPath, CHILD]);
    expectError(r, 'SECRET_UNMASKABLE');
    expect(r.stdout).not.toContain('REPORT');
  }, 120_000);

  it('a level-3 use with no owner terminal to ask is refused with APPROVAL_REQUIRED, audited as memory.use, and runs nothing', async () => {
    const m = await store(sb, { level: 3, title: 'sealed', content: 'sealed-value-1234', extra: ['--namespace', 'ops'] });
    const r = await sb.vcli(['run', '--env', `S=mv://ops/${m.id}`, '--', process.execPath, CHILD]);
    expectError(r, 'APPROVAL_REQUIRED');
    expect(r.stdout).not.toContain('REPORT');
    const rows = expectOk(await sb.vcli(['audit', 'list', '--kind', 'memory.use', '--memory', m.id])) as {
      event: { outcome: string; code?: string };
    }[];
    expect(rows.map((x) => [x.event.outcome, x.event.code])).toEqual([['refused', 'APPROVAL_REQUIRED']]);
  }, 120_000);

  it('does not pass the vault passphrase source on to the command', async () => {
    const r = await sb.vcli(['run', '--env', `PGPASSWORD=${ref}`, '--', process.execPath, CHILD], {
      env: { PRINT_ENV_NAMES: 'PGPASSWORD,MEMORY_VAULT_PASSPHRASE_FILE' },
    });
    const doc = JSON.parse(r.stdout) as { result: RunJson };
    const report = JSON.parse(/REPORT (.*)\n/.exec(doc.result.stdout.text ?? '')?.[1] ?? '{}') as { present: Record<string, boolean> };
    expect(report.present).toEqual({ PGPASSWORD: true, MEMORY_VAULT_PASSPHRASE_FILE: false });
  }, 120_000);

  it('ref prints the reference of a memory', async () => {
    const m = await store(sb, { level: 1, title: 'Prod DB / main', content: 'zzzz-1', extra: ['--namespace', 'ops'] });
    const r = expectOk(await sb.vcli(['ref', m.shortId, '--field', 'db.password'])) as { ref: string; byTitle: string };
    expect(r.ref).toBe(`mv://ops/${m.id}#db.password`);
    expect(r.byTitle).toBe('mv://ops/by-title/Prod%20DB%20%2F%20main');
    const human = await sb.cli(['--vault', sb.vault, 'ref', m.id]);
    expect(human.stdout.split('\n')[0]).toBe(`mv://ops/${m.id}`);
  }, 120_000);
});

describe('memory-vault run and signals', () => {
  it("passes a SIGTERM sent to memory-vault on to the command and exits with the command's status", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mv-run-sig-'));
    const ready = join(dir, 'ready.json');
    try {
      const proc = execa(
        process.execPath,
        [BIN, '--vault', sb.vault, '--json', 'run', '--env', `PGPASSWORD=${ref}`, '--', process.execPath, CHILD],
        {
          env: { ...sb.env, HANG: '1', TRAP_TERM: '1', READY_FILE: ready, PRINT_ENV_NAMES: 'PGPASSWORD', PRINT_VALUES: '1' },
          extendEnv: false,
          detached: true,
          reject: false,
          timeout: 90_000,
        },
      );
      // Functional deadline only: wait until the command runs.
      for (let i = 0; i < 600 && !existsSync(ready); i++) await new Promise((res) => setTimeout(res, 100));
      expect(JSON.parse(readFileSync(ready, 'utf8'))).toEqual(expect.objectContaining({ pid: expect.any(Number) }));
      proc.kill('SIGTERM');
      const r = await proc;
      expect(r.exitCode).toBe(42); // the command's own answer to SIGTERM
      const doc = JSON.parse(String(r.stdout)) as { result: RunJson };
      expect(doc.result.exitCode).toBe(42);
      expect(doc.result.stdout.text).toContain(`raw:${MASK}`);
      expect(String(r.stdout)).not.toContain(SECRET);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
