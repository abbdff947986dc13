import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET_MASK } from '../../core/secrets/secret-mask.js';
import { SecretValue } from '../../core/secrets/secret-value.js';
import { INJECT_FILE_ENV, injectAndRun } from './secret-inject.js';

const SECRET = 'db-pass-61e0c2f7aa';
let base = '';
afterEach(() => rmSync(base, { recursive: true, force: true }));

// The child reports the file's mode, its directory's mode and its content's length, and echoes it.
const inspect = `const fs = require('fs'); const p = process.env.${INJECT_FILE_ENV};
  const st = fs.statSync(p), dst = fs.statSync(require('path').dirname(p));
  console.log(JSON.stringify({ arg: process.argv[1], p, mode: (st.mode & 0o777).toString(8), dir: (dst.mode & 0o777).toString(8), text: fs.readFileSync(p, 'utf8') }));`;

function opts(script: string, extra: Record<string, unknown> = {}) {
  base = mkdtempSync(join(tmpdir(), 'mv-inject-test-'));
  return {
    rendered: Buffer.from(`password=${SECRET}\n`),
    baseDir: base,
    command: process.execPath,
    args: ['-e', script, '{}'],
    cwd: process.cwd(),
    baseEnv: { PATH: process.env.PATH },
    secretEnv: [],
    maskValues: [SecretValue.of(Buffer.from(SECRET))],
    ...extra,
  };
}

describe('injectAndRun', () => {
  it('renders to a 0600 file in a 0700 directory, passes its path (env and {}), masks the output, removes the file', async () => {
    const r = await injectAndRun(opts(inspect));
    expect(r.exitCode).toBe(0);
    const seen = JSON.parse(r.stdout.toString()) as { arg: string; p: string; mode: string; dir: string; text: string };
    expect(seen.arg).toBe(r.filePath);
    expect(seen.p).toBe(r.filePath);
    expect(seen.mode).toBe('600');
    expect(seen.dir).toBe('700');
    expect(seen.text).toBe(`password=${SECRET_MASK}\n`); // what the child printed was masked on the way out
    expect(existsSync(r.filePath)).toBe(false);
    expect(readdirSync(base)).toEqual([]);
  });

  it('removes the file when the command fails', async () => {
    const r = await injectAndRun(opts('process.exit(7)'));
    expect(r.exitCode).toBe(7);
    expect(existsSync(r.filePath)).toBe(false);
    expect(readdirSync(base)).toEqual([]);
  });

  it('removes the file when the child is killed with SIGKILL', async () => {
    const r = await injectAndRun(opts("process.kill(process.pid, 'SIGKILL')"));
    expect(r.signal).toBe('SIGKILL');
    expect(existsSync(r.filePath)).toBe(false);
    expect(readdirSync(base)).toEqual([]);
  });

  it('removes the file when the command cannot start', async () => {
    let path = '';
    await expect(
      injectAndRun({ ...opts(''), command: '/nonexistent/nope', args: [], onFile: (p: string) => (path = p) }),
    ).rejects.toThrow();
    expect(path).not.toBe('');
    expect(existsSync(path)).toBe(false);
  });

  it('writes to --out only when it does not exist yet, and removes it afterwards', async () => {
    const o = opts(inspect);
    const out = join(base, 'app.env');
    const r = await injectAndRun({ ...o, outPath: out });
    expect(r.filePath).toBe(out);
    expect(existsSync(out)).toBe(false);
    const again = opts('0');
    const taken = join(base, 'taken');
    rmSync(taken, { force: true });
    writeFileSync(taken, 'x');
    await expect(injectAndRun({ ...again, outPath: taken })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(statSync(taken).size).toBe(1);
  });
});
