// Owner `memory-vault inject` through the built CLI (issue 19): the template is rendered to a
// 0600 file whose path the command gets, and the file is gone afterwards — after success, after
// failure, after the child is SIGKILLed, and after memory-vault itself gets SIGINT or SIGTERM.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, createSandbox, expectError, initVault, store, type Sandbox } from '../cli/cli-harness.js';

const CHILD = fileURLToPath(new URL('./fixtures/print-self.cjs', import.meta.url));
const SECRET = 'inject-canary-5a9e13c0';
const MASK = '<concealed by memory-vault>';

let sb: Sandbox;
let template = '';
let work = '';
beforeAll(async () => {
  sb = createSandbox();
  await initVault(sb);
  const m = await store(sb, { level: 2, title: 'db', content: JSON.stringify({ password: SECRET }), extra: ['--namespace', 'ops'] });
  work = mkdtempSync(join(tmpdir(), 'mv-inject-cli-'));
  template = join(work, 'app.env.tpl');
  writeFileSync(template, `DB_HOST=db\nDB_PASSWORD={{ mv://ops/${m.id}#password }}\n`);
}, 120_000);
afterAll(() => {
  sb.cleanup();
  rmSync(work, { recursive: true, force: true });
});

interface InjectJson {
  exitCode: number | null;
  signal: string | null;
  file: string;
  stdout: { text: string };
}

const inject = (env: Record<string, string>, extra: string[] = []) =>
  sb.vcli(['inject', '--template', template, ...extra, '--', process.execPath, CHILD, '{}'], { env });

describe('memory-vault inject (owner)', () => {
  it('renders the template to a 0600 file given by path, masks what the command prints, and removes the file', async () => {
    const r = await inject({ INJECT_READ: '1' });
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout) as { result: InjectJson };
    const file = JSON.parse(/FILE (.*)\n/.exec(doc.result.stdout.text)?.[1] ?? '{}') as { path: string; mode: string; text: string };
    expect(file.path).toBe(doc.result.file);
    expect(file.mode).toBe('600');
    // The child read the real value; what reached us is masked.
    expect(file.text).toBe(`DB_HOST=db\nDB_PASSWORD=${MASK}\n`);
    expect(r.stdout).not.toContain(SECRET);
    const report = JSON.parse(/REPORT (.*)\n/.exec(doc.result.stdout.text)?.[1] ?? '{}') as { argv: string[] };
    expect(report.argv).toEqual([doc.result.file]); // `{}` became the path, not the value
    expect(existsSync(doc.result.file)).toBe(false);
  }, 120_000);

  it("removes the file when the command fails, with the command's exit code", async () => {
    const r = await inject({ EXIT_WITH: '9' });
    expect(r.exitCode).toBe(9);
    const doc = JSON.parse(r.stdout) as { result: InjectJson };
    expect(existsSync(doc.result.file)).toBe(false);
  }, 120_000);

  it('removes the file when the command is killed with SIGKILL', async () => {
    const r = await inject({ SELF_KILL: '1' });
    expect(r.exitCode).toBe(137);
    const doc = JSON.parse(r.stdout) as { result: InjectJson };
    expect(doc.result.signal).toBe('SIGKILL');
    expect(existsSync(doc.result.file)).toBe(false);
  }, 120_000);

  it('writes to --out only if it does not exist, and removes it', async () => {
    const out = join(work, 'rendered.env');
    const r = await inject({ INJECT_READ: '1' }, ['--out', out]);
    expect(r.exitCode).toBe(0);
    expect(existsSync(out)).toBe(false);
    writeFileSync(out, 'keep me');
    expectError(await inject({}, ['--out', out]), 'INVALID_INPUT');
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    rmSync(out);
  }, 120_000);

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'removes the file and kills the command when memory-vault gets %s',
    async (sig, status) => {
      const ready = join(work, `ready-${sig}.json`);
      const env: Record<string, string> = { ...sb.env, HANG: '1', READY_FILE: ready };
      const proc = execa(
        process.execPath,
        [BIN, '--vault', sb.vault, '--json', 'inject', '--template', template, '--', process.execPath, CHILD, '{}'],
        {
          env,
          extendEnv: false,
          detached: true,
          reject: false,
          timeout: 90_000,
        },
      );
      // Functional deadline only: wait until the command is running with its file.
      for (let i = 0; i < 600 && !existsSync(ready); i++) await new Promise((res) => setTimeout(res, 100));
      const info = JSON.parse(readFileSync(ready, 'utf8')) as { pid: number; path: string };
      expect(existsSync(info.path)).toBe(true);
      proc.kill(sig);
      const r = await proc;
      expect(r.exitCode).toBe(status);
      expect(existsSync(info.path)).toBe(false);
      // The command was killed too.
      let alive = true;
      for (let i = 0; i < 100 && alive; i++) {
        try {
          process.kill(info.pid, 0);
          await new Promise((res) => setTimeout(res, 100));
        } catch {
          alive = false;
        }
      }
      expect(alive).toBe(false);
      expect(`${String(r.stdout)}${String(r.stderr)}`).not.toContain(SECRET);
    },
    120_000,
  );

  it('refuses a template with a malformed placeholder before resolving anything', async () => {
    const bad = join(work, 'bad.tpl');
    writeFileSync(bad, 'X={{ mv://ops/by-title/a b }}\n');
    expectError(await sb.vcli(['inject', '--template', bad, '--', process.execPath, CHILD]), 'INVALID_INPUT');
  }, 120_000);
});
