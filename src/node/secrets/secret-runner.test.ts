import { describe, expect, it } from 'vitest';
import { isVaultError } from '../../core/errors.js';
import { SECRET_MASK } from '../../core/secrets/secret-mask.js';
import { SecretValue } from '../../core/secrets/secret-value.js';
import { runWithSecrets, type SecretRunOptions } from './secret-runner.js';

const SECRET = 'sk-live-4b8f2e6a9d1c';
const node = process.execPath;
const base = (script: string, extra: Partial<SecretRunOptions> = {}): SecretRunOptions => ({
  command: node,
  args: ['-e', script],
  cwd: process.cwd(),
  baseEnv: { PATH: process.env.PATH },
  secretEnv: [{ name: 'API_KEY', value: SecretValue.of(Buffer.from(SECRET)) }],
  ...extra,
});
const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'OK',
    (e: unknown) => (isVaultError(e) ? e.code : 'THROWN'),
  );

describe('runWithSecrets', () => {
  it('gives the child the value in its environment and masks it and its encodings in stdout and stderr', async () => {
    const script = `const v = process.env.API_KEY;
      process.stdout.write('raw ' + v + '\\n');
      process.stdout.write('b64 ' + Buffer.from(v).toString('base64') + '\\n');
      process.stderr.write('url ' + encodeURIComponent(v + '/x') + ' hex ' + Buffer.from(v).toString('hex') + '\\n');
      process.exit(3);`;
    const seen: Buffer[] = [];
    const r = await runWithSecrets(base(script, { onStdout: (b) => seen.push(b) }));
    expect(r.exitCode).toBe(3);
    const out = r.stdout.toString();
    const err = r.stderr.toString();
    for (const text of [out, err, Buffer.concat(seen).toString()]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(Buffer.from(SECRET).toString('base64'));
      expect(text).not.toContain(Buffer.from(SECRET).toString('hex'));
    }
    expect(out).toBe(`raw ${SECRET_MASK}\nb64 ${SECRET_MASK}\n`);
    expect(err).toContain(`url ${SECRET_MASK}`);
    expect(Buffer.concat(seen).toString()).toBe(out);
  });

  it('refuses a command line that contains a value, before spawning anything', async () => {
    expect(await codeOf(runWithSecrets(base('process.exit(0)', { args: ['-e', `console.log("${SECRET}")`] })))).toBe('INVALID_INPUT');
  });

  it('refuses a value too short to mask, or not usable as an environment string', async () => {
    expect(await codeOf(runWithSecrets(base('0', { secretEnv: [{ name: 'PIN', value: SecretValue.of(Buffer.from('123')) }] })))).toBe(
      'SECRET_UNMASKABLE',
    );
    expect(
      await codeOf(
        runWithSecrets(base('0', { secretEnv: [{ name: 'BIN', value: SecretValue.of(Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x42])) }] })),
      ),
    ).toBe('SECRET_UNMASKABLE');
    expect(await codeOf(runWithSecrets(base('0', { secretEnv: [{ name: '1BAD', value: SecretValue.of(Buffer.from(SECRET)) }] })))).toBe(
      'INVALID_INPUT',
    );
  });

  it('kills the child when its time limit passes', async () => {
    const r = await runWithSecrets(base('setInterval(() => {}, 1000)', { timeoutMs: 200, killGraceMs: 500 }));
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(['SIGTERM', 'SIGKILL']).toContain(r.signal);
  });

  it('kills a child that ignores SIGTERM with SIGKILL after the grace period', async () => {
    const r = await runWithSecrets(
      base("process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)", { timeoutMs: 300, killGraceMs: 200 }),
    );
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
  });

  it('caps what it keeps and says so; the callback still sees everything', async () => {
    let total = 0;
    const r = await runWithSecrets(
      base("process.stdout.write('x'.repeat(100000))", { maxOutputBytes: 1000, onStdout: (b) => (total += b.length) }),
    );
    expect(r.stdout.length).toBe(1000);
    expect(r.stdoutTruncated).toBe(true);
    expect(total).toBe(100000);
  });

  it('reports a command that cannot start as INVALID_INPUT', async () => {
    expect(await codeOf(runWithSecrets(base('', { command: '/nonexistent/definitely-not-here', args: [] })))).toBe('INVALID_INPUT');
  });
});
