// Threat: an agent with a secret's handle runs a command of its own choosing (`sh -c 'env'`,
// `curl … -d $SECRET`, the allowed program with an extra option) and so reads or sends the
// value. memory.use runs only an entry of THIS agent's allowlist, fitted exactly; everything
// else is COMMAND_NOT_ALLOWED (audited as a refused memory.use leaf) and no process starts.
// And: the value never travels in argv (world-readable in /proc/<pid>/cmdline) — checked on the
// live child, whose environment does hold it (so the check looks at the right process).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { codeOf, until } from '../agent-api/agent-fixture.js';
import { startUseFixture, type UseFixture } from '../secrets/agent-use-support.js';

const SECRET = `canary-${Date.now().toString(36)}-unlisted`;
const WAIT_SCRIPT =
  "const fs = require('fs'); fs.writeFileSync(process.argv[1], String(process.pid)); " +
  "const t = setInterval(() => { if (fs.existsSync(process.argv[2])) { clearInterval(t); console.log('done'); } }, 20);";

let f: UseFixture;
// Made at load time: the it.each table below names paths inside it.
const tmp = mkdtempSync(join(tmpdir(), 'mv-unlisted-'));
let client: AgentClient;
let agentId = '';
let ref = '';
let allowedId = '';
let otherAgentsEntry = '';

beforeAll(async () => {
  f = await startUseFixture();
  const bot = await f.agent('ops-bot', 2, ['ops']);
  client = bot.client;
  agentId = bot.id;
  const other = f.server.registry.create({ name: 'other-bot', maxLevel: 2, namespaces: null, expiresAt: null });
  const m = await f.session.engine.store(
    { content: SECRET, level: 2, title: 'api key', namespace: 'ops' },
    { kind: 'owner', channel: 'cli' },
  );
  ref = `mv://ops/${m.id}`;
  allowedId = (
    await f.allowlist.allow(
      agentId,
      {
        exec: process.execPath,
        args: ['-e', WAIT_SCRIPT, join(tmp, 'pid'), join(tmp, 'go')],
        cwd: tmp,
        timeoutMs: 30_000,
        envNames: ['API_KEY'],
      },
      'cli',
    )
  ).id;
  otherAgentsEntry = (
    await f.allowlist.allow(
      other.agent.id,
      { exec: '/bin/sh', args: ['-c', 'env'], cwd: tmp, timeoutMs: 5_000, envNames: ['API_KEY'] },
      'cli',
    )
  ).id;
}, 60_000);

afterAll(async () => {
  await f?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const refusedUses = () =>
  f.session.engine.auditLog
    .list({ kind: 'memory.use', limit: 1000 })
    .map((r) => JSON.parse(r.json) as { outcome: string; code?: string; actor: { id: string } })
    .filter((e) => e.outcome === 'refused' && e.code === 'COMMAND_NOT_ALLOWED');

describe('commands outside the allowlist', () => {
  it.each([
    ['a shell the owner never allowed', { exec: '/bin/sh', argv: ['-c', 'env'] }],
    [
      'the allowed program with an extra argument',
      { exec: process.execPath, argv: ['-e', WAIT_SCRIPT, join(tmp, 'pid'), join(tmp, 'go'), '--inspect'] },
    ],
    ['the allowed program with another script', { exec: process.execPath, argv: ['-e', 'console.log(process.env.API_KEY)', 'a', 'b'] }],
  ])('%s: COMMAND_NOT_ALLOWED', async (_what, command) => {
    const before = refusedUses().length;
    expect(await codeOf(client.use({ command, env: { API_KEY: ref } }))).toBe('COMMAND_NOT_ALLOWED');
    expect(refusedUses().length).toBe(before + 1);
  });

  it("another agent's entry id is as unknown as a made-up one", async () => {
    expect(await codeOf(client.use({ command: { commandId: otherAgentsEntry }, env: { API_KEY: ref } }))).toBe('COMMAND_NOT_ALLOWED');
    expect(await codeOf(client.use({ command: { commandId: '00000000-0000-4000-8000-000000000000' }, env: { API_KEY: ref } }))).toBe(
      'COMMAND_NOT_ALLOWED',
    );
  });

  it('an environment variable the entry does not receive: COMMAND_NOT_ALLOWED', async () => {
    expect(await codeOf(client.use({ command: { commandId: allowedId }, env: { LD_AUDIT_X: ref } }))).toBe('COMMAND_NOT_ALLOWED');
    expect(await codeOf(client.use({ command: { commandId: allowedId }, env: { API_KEY: ref, OTHER: ref } }))).toBe('COMMAND_NOT_ALLOWED');
  });

  it('no refused use resolved the value: no memory.use ok leaf yet, no process ran', () => {
    const ok = f.session.engine.auditLog
      .list({ kind: 'memory.use', limit: 1000 })
      .filter((r) => (JSON.parse(r.json) as { outcome: string }).outcome === 'ok');
    expect(ok).toEqual([]);
    expect(existsSync(join(tmp, 'pid'))).toBe(false);
    expect(refusedUses().every((e) => e.actor.id === agentId)).toBe(true);
  });
});

describe('argv never carries a secret', () => {
  it('the running child has the value in its environment and not in /proc/<pid>/cmdline', async () => {
    const run = client.use({ command: { commandId: allowedId }, env: { API_KEY: ref } }, 60_000);
    const pid = await until(() => (existsSync(join(tmp, 'pid')) ? Number(readFileSync(join(tmp, 'pid'), 'utf8')) : undefined), 30_000);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`);
    const environ = readFileSync(`/proc/${pid}/environ`);
    writeFileSync(join(tmp, 'go'), '');
    const r = await run;
    expect(r).toMatchObject({ status: 'ok', exitCode: 0, stdout: { text: 'done\n' } });
    expect(cmdline.toString('utf8').split('\u0000')[0]).toBe(process.execPath);
    expect(cmdline.includes(Buffer.from(SECRET))).toBe(false);
    expect(environ.includes(Buffer.from(`API_KEY=${SECRET}`))).toBe(true);
    // Nothing of the server's own environment reached the child (its PATH is the fixed one).
    expect(
      environ
        .toString('utf8')
        .split('\u0000')
        .filter((kv) => kv.length > 0)
        .map((kv) => kv.split('=')[0])
        .sort(),
    ).toEqual(['API_KEY', 'LANG', 'PATH']);
  });
});
