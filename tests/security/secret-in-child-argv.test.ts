// Threat (issue 19): a secret resolved for a command travels on a command line, where every local
// user can read it (/proc/<pid>/cmdline, ps) — the child's, or memory-vault's own. The child must
// get it only in its environment; a command line that carries the value is refused before anything
// runs (INVALID_INPUT), and so is a literal value where a reference belongs.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, expectError, initVault, store, type Sandbox } from '../cli/cli-harness.js';

const CHILD = fileURLToPath(new URL('../secrets/fixtures/print-self.cjs', import.meta.url));
const SECRET = 'argv-canary-31d4c8b2e7';

let sb: Sandbox;
let ref = '';
beforeAll(async () => {
  sb = createSandbox();
  await initVault(sb);
  const m = await store(sb, { level: 1, title: 'api key', content: SECRET, extra: ['--namespace', 'ops'] });
  ref = `mv://ops/${m.id}`;
}, 120_000);
afterAll(() => sb.cleanup());

describe('a secret never travels in argv', () => {
  it("is in the child's environment but not in its /proc/self/cmdline, nor in memory-vault's", async () => {
    const r = await sb.vcli(['run', '--env', `API_KEY=${ref}`, '--', process.execPath, CHILD, 'plain-arg'], {
      env: { PRINT_ENV_NAMES: 'API_KEY' },
    });
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout) as { result: { stdout: { text: string }; stderr: { text: string } } };
    const report = JSON.parse(/REPORT (.*)\n/.exec(doc.result.stdout.text)?.[1] ?? 'null') as {
      cmdline: string[] | null;
      parentCmdline: string[] | null;
      present: Record<string, boolean>;
    };
    expect(report.present).toEqual({ API_KEY: true });
    if (process.platform === 'linux') {
      expect(report.cmdline).not.toBeNull();
      expect(report.cmdline).toEqual([process.execPath, CHILD, 'plain-arg']);
      expect(report.parentCmdline?.join(' ')).toContain('run');
      expect(report.parentCmdline?.join('\u0000')).not.toContain(SECRET);
      // The raw bytes the child read, hex-encoded so no masking applies to them.
      const hex = (JSON.parse(doc.result.stderr.text.split('\n')[0] ?? '{}') as { cmdlineHex: string }).cmdlineHex;
      expect(Buffer.from(hex, 'hex').toString('latin1')).not.toContain(SECRET);
    } else {
      console.log(`/proc cmdline check skipped: ${process.platform} has no /proc`);
    }
  }, 120_000);

  it('refuses a command line that carries the resolved value with INVALID_INPUT, and the command never runs', async () => {
    const r = await sb.vcli(['run', '--env', `API_KEY=${ref}`, '--', process.execPath, CHILD, `--password=${SECRET}`]);
    expectError(r, 'INVALID_INPUT');
    expect(r.stdout).not.toContain('REPORT');
    expect(r.stdout + r.stderr).not.toContain(SECRET); // not echoed back either
  }, 120_000);

  it("refuses a literal value in --env (it would be in memory-vault's own argv) with INVALID_INPUT", async () => {
    const r = await sb.vcli(['run', '--env', `API_KEY=${SECRET}`, '--', process.execPath, CHILD]);
    expectError(r, 'INVALID_INPUT');
    expect(r.stdout).not.toContain(SECRET);
  }, 120_000);
});
