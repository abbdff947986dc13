// Issue 19 acceptance, agent side: an agent with a handle runs an allowed command that prints its
// secret. The agent's result shows the mask; the audit log shows `memory.use` with the command
// digest; and a canary scan of every socket frame (a recording proxy between client and server,
// both directions), every MCP message (the SDK's client over stdio, both directions, plus the
// MCP process's stderr) and the server's log file finds the plaintext in no form (raw, base64,
// base64url, URL-encoded, hex, JSON-escaped).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { BIN } from '../agent-api/cli-process.js';
import { leaksIn, recordingProxy, startUseFixture, type RecordingProxy, type UseFixture } from './agent-use-support.js';

const MASK = '<concealed by memory-vault>';
// Characters that base64, URL-encoding and JSON each spell differently.
const SECRET = `pg pass/${randomBytes(6).toString('hex')}+="&?`;
const SCRIPT =
  "const v = process.env.DB_PASSWORD; console.log('raw=' + v); console.log('b64=' + Buffer.from(v).toString('base64')); " +
  "console.log('url=' + encodeURIComponent(v)); console.error('err=' + v);";

let f: UseFixture;
let tmp: string;
let proxy: RecordingProxy;
let mcpProxy: RecordingProxy;
let client: AgentClient;
let token = '';
let agentId = '';
let memoryId = '';
let commandId = '';

/** The digest the interface defines, computed here without the vault's code: SHA-256(domain || 0 || JCS({argv, cwd})). */
function expectedDigest(argv: readonly string[], cwd: string): string {
  // JCS of an object with keys argv < cwd and string values is JSON.stringify in that key order.
  return createHash('sha256')
    .update(`memory-vault/command-digest/v1\u0000${JSON.stringify({ argv, cwd })}`, 'utf8')
    .digest('hex');
}

beforeAll(async () => {
  f = await startUseFixture();
  tmp = mkdtempSync(join(tmpdir(), 'mv-use-'));
  const created = f.server.registry.create({ name: 'ops-bot', maxLevel: 2, namespaces: ['ops'], expiresAt: null });
  token = created.token;
  agentId = created.agent.id;
  // The owner stores the secret in-process: no frame of the agent socket ever carried it.
  memoryId = (
    await f.session.engine.store({ content: SECRET, level: 2, title: 'db password', namespace: 'ops' }, { kind: 'owner', channel: 'cli' })
  ).id;
  commandId = (
    await f.allowlist.allow(
      agentId,
      { exec: process.execPath, args: ['-e', SCRIPT], cwd: tmp, timeoutMs: 20_000, envNames: ['DB_PASSWORD'] },
      'cli',
    )
  ).id;
  proxy = await recordingProxy(f.server.agentSocket, join(tmp, 'proxy.sock'));
  mcpProxy = await recordingProxy(f.server.agentSocket, join(tmp, 'mcp-proxy.sock'));
  client = await AgentClient.connect({ socketPath: proxy.path, token });
}, 60_000);

afterAll(async () => {
  client?.close();
  await proxy?.close();
  await mcpProxy?.close();
  await f?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('memory.use over the agent socket', () => {
  let ref = '';

  it('memory.handle returns the mv:// reference and metadata, never content', async () => {
    const h = await client.handle({ memoryId });
    expect(h.ref).toBe(`mv://ops/${memoryId}`);
    expect(h.memory).toMatchObject({ id: memoryId, level: 2, title: 'db password' });
    expect(JSON.stringify(h)).not.toContain(SECRET);
    ref = h.ref;
  });

  it('runs the allowed command: stdout and stderr show the mask instead of every form of the value', async () => {
    const r = await client.use({ command: { commandId }, env: { DB_PASSWORD: ref } });
    if (r.status !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(r)}`);
    expect(r.exitCode).toBe(0);
    if (!('text' in r.stdout) || !('text' in r.stderr)) throw new Error('expected text output');
    expect(r.stdout.text).toBe(`raw=${MASK}\nb64=${MASK}\nurl=${MASK}\n`);
    expect(r.stderr.text).toBe(`err=${MASK}\n`);
    expect(r.env).toEqual([{ name: 'DB_PASSWORD', ref, level: 2 }]);
    expect(r.commandDigest).toBe(expectedDigest([process.execPath, '-e', SCRIPT], tmp));
  });

  it('the same command named by exec + argv is allowed too', async () => {
    const r = await client.use({ command: { exec: process.execPath, argv: ['-e', SCRIPT] }, env: { DB_PASSWORD: ref } });
    expect(r).toMatchObject({ status: 'ok', exitCode: 0 });
  });

  it('the audit log has memory.use leaves with the command digest and no value', () => {
    const uses = f.session.engine.auditLog
      .list({ kind: 'memory.use', limit: 100 })
      .map(
        (row) =>
          JSON.parse(row.json) as { outcome: string; actor: { id: string }; memory?: { id: string }; details?: Record<string, unknown> },
      );
    const ok = uses.filter((u) => u.outcome === 'ok');
    expect(ok).toHaveLength(2);
    for (const u of ok) {
      expect(u.actor.id).toBe(agentId);
      expect(u.memory?.id).toBe(memoryId);
      expect(u.details?.commandDigest).toBe(expectedDigest([process.execPath, '-e', SCRIPT], tmp));
    }
    const all = f.session.engine.auditLog
      .list({ limit: 10_000 })
      .map((row) => row.json)
      .join('\n');
    expect(leaksIn(all, SECRET)).toEqual([]);
  });
});

describe('run_with_secrets over MCP', () => {
  let mcp: Client;
  let stderr = '';
  const messages: JSONRPCMessage[] = [];

  beforeAll(async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--socket', mcpProxy.path],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmp, MEMORY_VAULT_TOKEN: token },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const send = transport.send.bind(transport);
    transport.send = (m: JSONRPCMessage) => {
      messages.push(m);
      return send(m);
    };
    mcp = new Client({ name: 'memory-vault-test', version: '1.0.0' });
    await mcp.connect(transport);
    // Every message from the server from here on (the initialize answer has no memory data).
    const deliver = transport.onmessage;
    transport.onmessage = (m: JSONRPCMessage) => {
      messages.push(m);
      deliver?.(m);
    };
  }, 60_000);

  afterAll(async () => {
    await mcp?.close();
  });

  it('lists both tools with descriptions a model can act on', async () => {
    const { tools } = await mcp.listTools();
    const run = tools.find((t) => t.name === 'run_with_secrets');
    expect(tools.find((t) => t.name === 'get_memory_handle')?.description).toMatch(/mv:\/\//);
    expect(run?.description).toMatch(/concealed by memory-vault/);
    expect(run?.description).toMatch(/request_status with wait_seconds/);
  });

  it('a handle, then a run whose result shows the mask', async () => {
    const h = (await mcp.callTool({ name: 'get_memory_handle', arguments: { memoryId } })) as { structuredContent?: { ref?: string } };
    const ref = String(h.structuredContent?.ref);
    expect(ref).toBe(`mv://ops/${memoryId}`);
    const r = (await mcp.callTool({
      name: 'run_with_secrets',
      arguments: { commandId, env: { DB_PASSWORD: ref }, justification: 'nightly check' },
    })) as { isError?: boolean; structuredContent?: Record<string, unknown> };
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ status: 'ok', exitCode: 0, stdout: { text: `raw=${MASK}\nb64=${MASK}\nurl=${MASK}\n` } });
  });

  it('an unlisted command is refused with COMMAND_NOT_ALLOWED', async () => {
    const r = (await mcp.callTool({
      name: 'run_with_secrets',
      arguments: { exec: '/bin/sh', argv: ['-c', 'env'], env: { DB_PASSWORD: `mv://ops/${memoryId}` } },
    })) as { isError?: boolean; structuredContent?: { error?: { code?: string } } };
    expect(r.isError).toBe(true);
    expect(r.structuredContent?.error?.code).toBe('COMMAND_NOT_ALLOWED');
  });

  it('canary scan: no MCP message (either direction), no MCP stderr byte, holds the value', () => {
    expect(messages.length).toBeGreaterThan(4);
    expect(leaksIn(JSON.stringify(messages), SECRET)).toEqual([]);
    // JSON.stringify re-escapes; scan the decoded texts as well.
    expect(leaksIn(messages.map((m) => JSON.stringify(m)).join('\n'), SECRET)).toEqual([]);
    expect(leaksIn(stderr, SECRET)).toEqual([]);
  });
});

describe('canary scan of everything the server sent or logged', () => {
  it('no socket frame (agent client and MCP process, both directions) holds the value in any form', () => {
    const frames = Buffer.concat([...proxy.chunks, ...mcpProxy.chunks]).toString('utf8');
    expect(frames).toContain('memory.use');
    expect(frames).toContain(MASK);
    expect(leaksIn(frames, SECRET)).toEqual([]);
  });

  it('the server log (trace level) holds no form of the value', () => {
    const log = f.logText();
    expect(leaksIn(log, SECRET)).toEqual([]);
  });

  it('probe: the scan does find the value when it is there', () => {
    expect(leaksIn(`x${Buffer.from(SECRET).toString('base64')}x`, SECRET).length).toBeGreaterThan(0);
    expect(leaksIn(encodeURIComponent(SECRET), SECRET).length).toBeGreaterThan(0);
  });
});
