// The same flow through `memory-vault mcp`, driven by the MCP SDK's own client over stdio.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliVault, serveHeadless, type CliVault, type Watched } from './cli-process.js';

let v: CliVault;
let serve: Watched;
let mcp: Client;
let serverPid = 0;

type ToolResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

async function callTool(name: string, args: Record<string, unknown>): Promise<ToolResult> {
  return (await mcp.callTool({ name, arguments: args })) as ToolResult;
}

beforeAll(async () => {
  v = cliVault();
  const { token } = v.json<{ token: string }>(['agent', 'add', 'claude', '--max-level', '3']);
  serve = serveHeadless(v);
  const m = await serve.waitFor(/"event":"listening".*?"pid":(\d+)/);
  serverPid = Number(m[1]);
  mcp = new Client({ name: 'memory-vault-test', version: '1.0.0' });
  await mcp.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp'],
      env: { ...(v.env as Record<string, string>), MEMORY_VAULT_TOKEN: token },
    }),
  );
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  if (serverPid) process.kill(serverPid, 'SIGTERM');
  if (serve) await Promise.race([serve.exited(), new Promise((r) => setTimeout(r, 10_000))]);
  v?.remove();
});

describe('memory-vault mcp', () => {
  it('lists its tools, with descriptions that say when approval is needed', async () => {
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'cancel_request',
      'get_memory_handle',
      'list_memories',
      'recall_memory',
      'request_status',
      'run_with_secrets',
      'search_memories',
      'store_memory',
      'vault_health',
    ]);
    expect((await callTool('vault_health', {})).structuredContent).toMatchObject({ ok: true, lockdown: false });
    expect(tools.find((t) => t.name === 'recall_memory')?.description).toMatch(/owner to approve/);
  });

  it('stores, searches, lists and recalls a level-1 memory', async () => {
    const stored = await callTool('store_memory', { content: 'MCP works end to end', level: 1, title: 'mcp note', tags: ['mcp'] });
    expect(stored.isError).toBeFalsy();
    const id = String(stored.structuredContent?.id);
    const found = await callTool('search_memories', { query: 'mcp note' });
    expect(JSON.stringify(found.structuredContent)).toContain(id);
    const listed = await callTool('list_memories', {});
    expect(JSON.stringify(listed.structuredContent)).toContain(id);
    const recalled = await callTool('recall_memory', { memoryId: id, justification: 'test' });
    expect(recalled.structuredContent).toMatchObject({ status: 'ok', content: 'MCP works end to end' });
  });

  it('a level-3 recall is pending; after the owner approves, request_status returns the content', async () => {
    const stored = await callTool('store_memory', { content: 'sealed via mcp', level: 3, title: 'sealed mcp' });
    const pending = await callTool('recall_memory', { memoryId: String(stored.structuredContent?.id), justification: 'user asked' });
    expect(pending.structuredContent).toMatchObject({ status: 'pending' });
    const requestId = String(pending.structuredContent?.requestId);
    const status = await callTool('request_status', { requestId });
    expect(status.structuredContent).toMatchObject({ state: 'pending', ready: false });
    const listed = v.json<{ requestId: string; requester: { name: string } }[]>(['approvals', '--list']);
    expect(listed.map((r) => [r.requestId, r.requester.name])).toEqual([[requestId, 'claude']]);
    expect(v.json<{ state: string }>(['approvals', '--approve', requestId]).state).toBe('approved');
    const done = await callTool('request_status', { requestId, wait_seconds: 10 });
    expect(done.structuredContent).toMatchObject({ status: 'ok', content: 'sealed via mcp' });
  });

  it('refusals come back as tool errors carrying the stable code', async () => {
    const tooHigh = await callTool('store_memory', { content: 'x', level: 4, title: 'too high' });
    expect(tooHigh.isError).toBe(true);
    expect(tooHigh.structuredContent).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const missing = await callTool('recall_memory', { memoryId: 'does-not-exist', justification: 'x' });
    expect(missing.structuredContent).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
