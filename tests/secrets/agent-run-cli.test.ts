// `memory-vault run` in agent mode (issue 19): the real CLI as an agent of a running vault. It
// sends memory.use (exec resolved to an absolute path, argv as typed); the server runs the
// allowlisted command with the secret in its environment; the CLI prints only the masked output
// and exits with the command's status. An unlisted command exits 39 (COMMAND_NOT_ALLOWED).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../agent-api/cli-process.js';
import { leaksIn, startUseFixture, type UseFixture } from './agent-use-support.js';

const SECRET = 'cli-agent-secret-91b2';
const SCRIPT = "console.log('raw=' + process.env.DB_PASSWORD); process.exitCode = 3;";

let f: UseFixture;
let tmp: string;
let tokenFile = '';
let ref = '';

beforeAll(async () => {
  f = await startUseFixture();
  tmp = mkdtempSync(join(tmpdir(), 'mv-agent-run-'));
  const created = f.server.registry.create({ name: 'cli-bot', maxLevel: 2, namespaces: null, expiresAt: null });
  tokenFile = join(tmp, 'token');
  writeFileSync(tokenFile, created.token, { mode: 0o600 });
  const m = await f.session.engine.store({ content: SECRET, level: 2, title: 'db', namespace: 'ops' }, { kind: 'owner', channel: 'cli' });
  ref = `mv://ops/${m.id}`;
  await f.allowlist.allow(
    created.agent.id,
    { exec: process.execPath, args: ['-e', SCRIPT], cwd: tmp, timeoutMs: 20_000, envNames: ['DB_PASSWORD'] },
    'cli',
  );
}, 60_000);

afterAll(async () => {
  await f?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// Async (execa): the server answering runs in this process, so the CLI must not block it.
const cli = (args: string[]) =>
  execa(process.execPath, [BIN, ...args], {
    reject: false,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmp, MEMORY_VAULT_DIR: join(tmp, 'none') },
    extendEnv: false,
  });

describe('memory-vault run --token-file (agent mode)', () => {
  it('prints the masked output and exits with the command status', async () => {
    const r = await cli([
      'run',
      '--token-file',
      tokenFile,
      '--socket',
      f.server.agentSocket,
      '--env',
      `DB_PASSWORD=${ref}`,
      '--',
      process.execPath,
      '-e',
      SCRIPT,
    ]);
    expect(r.stdout).toBe('raw=<concealed by memory-vault>');
    expect(r.exitCode).toBe(3);
    expect(leaksIn(`${r.stdout}${r.stderr}`, SECRET)).toEqual([]);
  });

  it('--json: one document with the masked streams and the exit code', async () => {
    const r = await cli([
      '--json',
      'run',
      '--token-file',
      tokenFile,
      '--socket',
      f.server.agentSocket,
      '--env',
      `DB_PASSWORD=${ref}`,
      '--',
      process.execPath,
      '-e',
      SCRIPT,
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      result: { status: 'ok', exitCode: 3, stdout: { text: 'raw=<concealed by memory-vault>\n' } },
    });
    expect(leaksIn(r.stdout, SECRET)).toEqual([]);
  });

  it('a command not on the allowlist: exit 39, COMMAND_NOT_ALLOWED', async () => {
    const r = await cli([
      '--json',
      'run',
      '--token-file',
      tokenFile,
      '--socket',
      f.server.agentSocket,
      '--env',
      `DB_PASSWORD=${ref}`,
      '--',
      '/bin/sh',
      '-c',
      'env',
    ]);
    expect(r.exitCode).toBe(39);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'COMMAND_NOT_ALLOWED' } });
  });
});
