// `memory-vault mcp` with the official MCP SDK client at its default settings (issue 16): an
// approval that takes 70 s reaches the model without a request-timeout error, a short id
// recalls, the agent can read its own scope, and a bad or revoked token gives the stable code
// and what to do in the tool result instead of "Connection closed".
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliVault, serveHeadless, stopServed, type CliVault, type Watched } from './cli-process.js';

let v: CliVault;
let serve: Watched;
let serverPid = 0;
let token = '';
const clients: Client[] = [];

type ToolResult = { content: { type: string; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

async function mcpClient(withToken: string): Promise<Client> {
  const c = new Client({ name: 'stock-client', version: '1.0.0' });
  await c.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp'],
      env: { ...(v.env as Record<string, string>), MEMORY_VAULT_TOKEN: withToken },
    }),
  );
  clients.push(c);
  return c;
}

async function call(c: Client, name: string, args: Record<string, unknown>): Promise<ToolResult> {
  // The SDK types the result loosely; these fields are what the vault's tools return.
  return (await c.callTool({ name, arguments: args })) as ToolResult;
}

beforeAll(async () => {
  v = cliVault();
  token = v.json<{ token: string }>(['agent', 'add', 'stock', '--max-level', '3', '--namespace', 'default']).token;
  serve = serveHeadless(v);
  const m = await serve.waitFor(/"event":"listening".*?"pid":(\d+)/);
  serverPid = Number(m[1]);
}, 60_000);

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  await stopServed(serve, serverPid, v);
});

describe('MCP with a stock client', () => {
  it('the agent reads its own scope, and the tool descriptions state it', async () => {
    const c = await mcpClient(token);
    const health = await call(c, 'vault_health', {});
    expect(health.structuredContent).toMatchObject({ ok: true, agent: { maxLevel: 3, namespaces: ['default'] } });
    const { tools } = await c.listTools();
    expect(tools.find((t) => t.name === 'store_memory')?.description).toContain('Your token: levels 0-3, namespaces default.');
  });

  it('recalls by the short id that search_memories prints', async () => {
    const c = await mcpClient(token);
    const stored = await call(c, 'store_memory', { content: 'short ids work', level: 1, title: 'short id note' });
    const found = await call(c, 'search_memories', { query: 'short id note' });
    const items = (found.structuredContent?.items ?? []) as { id: string; shortId: string }[];
    const hit = items.find((i) => i.id === stored.structuredContent?.id);
    expect(hit?.shortId).toMatch(/^[0-9a-f]{8}$/);
    const recalled = await call(c, 'recall_memory', { memoryId: hit?.shortId, justification: 'short id' });
    expect(recalled.structuredContent).toMatchObject({ status: 'ok', content: 'short ids work' });
  });

  it('a level-3 recall the owner approves after 70 s reaches the client with no timeout error — by calling again, or on progress', async () => {
    const polling = await mcpClient(token);
    const onProgress = await mcpClient(token);
    const ids: string[] = [];
    for (const [c, text] of [
      [polling, 'sealed A'],
      [onProgress, 'sealed B'],
    ] as const) {
      const stored = await call(c, 'store_memory', { content: text, level: 3, title: text });
      const pending = await call(c, 'recall_memory', { memoryId: String(stored.structuredContent?.id), justification: 'slow owner' });
      expect(pending.structuredContent).toMatchObject({ status: 'pending' });
      ids.push(String(pending.structuredContent?.requestId));
    }
    const started = Date.now();
    const approveAt70 = new Promise<void>((resolve) =>
      setTimeout(() => {
        for (const id of ids) v.json(['approvals', '--approve', id]);
        resolve();
      }, 70_000),
    );
    // Default client settings (60 s request timeout): call again while it says pending.
    const pollingRun = (async () => {
      let calls = 0;
      for (;;) {
        calls++;
        const r = await call(polling, 'request_status', { requestId: ids[0], wait_seconds: 300 });
        if (r.structuredContent?.status !== 'pending') return { r, calls };
        expect(String(r.structuredContent?.next)).toMatch(/request_status again/);
      }
    })();
    // A client that resets its timeout on progress: one call, progress notifications meanwhile.
    let progressEvents = 0;
    const progressRun = onProgress.callTool(
      { name: 'request_status', arguments: { requestId: ids[1], wait_seconds: 120 } },
      CallToolResultSchema,
      {
        onprogress: () => void progressEvents++,
        resetTimeoutOnProgress: true,
      },
    );
    const [{ r, calls }, single] = await Promise.all([pollingRun, progressRun, approveAt70]).then(([a, b]) => [a, b] as const);
    expect(Date.now() - started).toBeGreaterThanOrEqual(70_000);
    expect(r.structuredContent).toMatchObject({ status: 'ok', content: 'sealed A' });
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(single.structuredContent).toMatchObject({ status: 'ok', content: 'sealed B' });
    expect(progressEvents).toBeGreaterThanOrEqual(5);
  }, 240_000);

  it('a bad token still gives a server whose every tool answers UNAUTHORIZED with what to do', async () => {
    const c = await mcpClient('mvt_not-a-real-token');
    const { tools } = await c.listTools();
    expect(tools.map((t) => t.name)).toContain('recall_memory');
    for (const [name, args] of [
      ['vault_health', {}],
      ['list_memories', {}],
      ['recall_memory', { memoryId: 'x', justification: 'y' }],
    ] as const) {
      const r = await call(c, name, args);
      expect(r.isError).toBe(true);
      expect(r.structuredContent).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
      expect(r.content[0]?.text).toMatch(/new token/);
    }
  });

  it('a token revoked while the MCP server runs: the next call gives UNAUTHORIZED in the tool result', async () => {
    const revokedToken = v.json<{ token: string; agent: { id: string } }>(['agent', 'add', 'to-revoke', '--max-level', '1']);
    const c = await mcpClient(revokedToken.token);
    expect((await call(c, 'vault_health', {})).isError).toBeFalsy();
    v.json(['agent', 'revoke', 'to-revoke']);
    const r = await call(c, 'list_memories', {});
    expect(r.isError).toBe(true);
    expect(r.structuredContent).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });
});
