// One schema source (issue 18 item 5): the desktop IPC contracts, the agent socket, the owner
// socket, MCP and the engine take their input fields from the same src/core/common objects, so
// the same value is accepted or refused identically at every limit. Checked three ways: the
// boundary schemas hold the very same schema objects; the same edge values get the same verdict
// through each boundary (MCP through a real SDK client, its JSON Schema included); and no
// `as Level` / `as MemoryId` cast is left in src/ (ids and levels are parsed, never asserted).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentNameSchema, agentNamespacesSchema } from '../../src/core/common/agent-input.schema.js';
import { grantMinutesSchema, lockdownReasonSchema } from '../../src/core/common/approval-input.schema.js';
import { agentRefSchema, approvalRequestIdSchema, memoryIdSchema, memoryRefSchema } from '../../src/core/common/ids.schema.js';
import { levelSchema } from '../../src/core/common/level.schema.js';
import * as fields from '../../src/core/common/memory-input.schema.js';
import { listInputSchema, recallInputSchema, searchInputSchema, storeInputSchema } from '../../src/core/model/store-input.js';
import { AgentClient } from '../../src/node/agent-api/agent-client.js';
import { methodSchemas } from '../../src/node/agent-api/agent-protocol.js';
import { ownerMethodSchemas } from '../../src/node/agent-api/owner-protocol.js';
import { buildMcpServer } from '../../src/node/mcp/mcp-server.js';
import { contracts } from '../../src/shared/contracts.js';

const UUID = '0b9f3c9e-5f0e-4c55-9d2f-5a3c0f1e2d3c';
const DIGEST = 'a'.repeat(64);
const ok = (schema: { safeParse(v: unknown): { success: boolean } }, v: unknown) => schema.safeParse(v).success;

// --- MCP through the SDK's own client, against a stub agent client that records what reached it.
let mcp: Client;
const reached: string[] = [];
function stubClient(): AgentClient {
  // A real AgentClient instance (its prototype), with the calls the MCP tools make replaced.
  const summary = { id: UUID, shortId: '0b9f3c9e' };
  return Object.assign(Object.create(AgentClient.prototype), {
    store: async () => (reached.push('store'), summary),
    recall: async () => (reached.push('recall'), { status: 'ok', content: '' }),
    search: async () => (reached.push('search'), []),
    list: async () => (reached.push('list'), []),
    status: async () => (reached.push('status'), { state: 'pending' }),
    wait: async () => (reached.push('wait'), { status: 'ok' }),
    cancel: async () => (reached.push('cancel'), { requestId: UUID, state: 'cancelled' }),
    health: async () => (reached.push('health'), { ok: true }),
  });
}

/** True when the tool body ran, i.e. the SDK's input validation (our zod schema) accepted the arguments. */
async function mcpAccepts(tool: string, args: Record<string, unknown>): Promise<boolean> {
  reached.length = 0;
  try {
    await mcp.callTool({ name: tool, arguments: args });
  } catch {
    return false;
  }
  return reached.length > 0;
}

type JsonSchemaProps = Record<string, Record<string, unknown> & { items?: Record<string, unknown> }>;
let toolProps: Record<string, JsonSchemaProps> = {};

beforeAll(async () => {
  const server = buildMcpServer(stubClient(), 'test');
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  mcp = new Client({ name: 'one-schema-source', version: '1.0.0' });
  await mcp.connect(clientSide);
  const { tools } = await mcp.listTools();
  toolProps = Object.fromEntries(tools.map((t) => [t.name, (t.inputSchema.properties ?? {}) as JsonSchemaProps]));
});

afterAll(async () => {
  await mcp?.close();
});

describe('the boundaries hold the same schema objects', () => {
  it('agent socket memory.* fields are the common objects', () => {
    const store = methodSchemas['memory.store'].shape;
    expect(store.title).toBe(fields.titleSchema);
    expect(store.level).toBe(levelSchema);
    expect(store.tags.unwrap()).toBe(fields.tagsSchema);
    expect(store.namespace.unwrap()).toBe(fields.namespaceSchema);
    expect(store.metadata.unwrap()).toBe(fields.metadataSchema);
    expect(store.ttlSeconds.unwrap()).toBe(fields.ttlSecondsSchema);
    expect(methodSchemas['memory.search'].shape.limit.unwrap()).toBe(fields.searchLimitSchema);
    expect(methodSchemas['memory.list'].shape.limit.unwrap()).toBe(fields.listLimitSchema);
    expect(methodSchemas['memory.recall'].shape.memoryId).toBe(memoryRefSchema);
    expect(methodSchemas['request.status'].shape.requestId).toBe(approvalRequestIdSchema);
  });

  it('IPC contracts and the owner socket share the agent, approval and lockdown fields', () => {
    const ipcCreate = contracts.agents.create.request.shape;
    const ownerCreate = ownerMethodSchemas['agents.create'].shape;
    expect(ipcCreate.name).toBe(agentNameSchema);
    expect(ownerCreate.name).toBe(agentNameSchema);
    expect(ipcCreate.maxLevel).toBe(levelSchema);
    expect(ownerCreate.maxLevel).toBe(levelSchema);
    expect(ipcCreate.namespaces.unwrap()).toBe(agentNamespacesSchema);
    expect(ownerCreate.namespaces.unwrap()).toBe(agentNamespacesSchema);
    expect(contracts.approvals.decide.request.shape.grantMinutes.unwrap()).toBe(grantMinutesSchema);
    expect(ownerMethodSchemas['approvals.decide'].shape.grantMinutes.unwrap()).toBe(grantMinutesSchema);
    expect(contracts.lockdown.engage.request.shape.reason.unwrap()).toBe(lockdownReasonSchema);
    expect(ownerMethodSchemas['lockdown.set'].shape.reason.unwrap()).toBe(lockdownReasonSchema);
    expect(ownerMethodSchemas['agents.revoke'].shape.agent).toBe(agentRefSchema);
    expect(contracts.memories.describe.request.shape.memoryId).toBe(memoryIdSchema);
    expect(contracts.memories.search.request.shape.limit.unwrap()).toBe(fields.searchLimitSchema);
    expect(contracts.memories.list.request.shape.limit.unwrap()).toBe(fields.listLimitSchema);
  });
});

describe('the same edge values get the same verdict at every boundary', () => {
  it('search limit: 0 and 501 refused, 1 and 500 accepted (IPC, socket, MCP, engine)', async () => {
    const values = [0, 1, 500, 501];
    const expected = [false, true, true, false];
    expect(values.map((limit) => ok(contracts.memories.search.request, { query: 'q', limit }))).toEqual(expected);
    expect(values.map((limit) => ok(methodSchemas['memory.search'], { query: 'q', limit }))).toEqual(expected);
    expect(values.map((limit) => ok(searchInputSchema, { query: 'q', limit }))).toEqual(expected);
    const viaMcp = [];
    for (const limit of values) viaMcp.push(await mcpAccepts('search_memories', { query: 'q', limit }));
    expect(viaMcp).toEqual(expected);
  });

  it('list limit: 0 and 1001 refused, 1 and 1000 accepted (IPC, socket, MCP, engine)', async () => {
    const values = [0, 1, 1000, 1001];
    const expected = [false, true, true, false];
    expect(values.map((limit) => ok(contracts.memories.list.request, { limit }))).toEqual(expected);
    expect(values.map((limit) => ok(methodSchemas['memory.list'], { limit }))).toEqual(expected);
    expect(values.map((limit) => ok(listInputSchema, { limit }))).toEqual(expected);
    const viaMcp = [];
    for (const limit of values) viaMcp.push(await mcpAccepts('list_memories', { limit }));
    expect(viaMcp).toEqual(expected);
  });

  it('level: -1, 6, 2.5 and "1" refused, 0 and 5 accepted (IPC, socket, owner socket, MCP, engine)', async () => {
    const values: unknown[] = [-1, 0, 5, 6, 2.5, '1'];
    const expected = [false, true, true, false, false, false];
    expect(values.map((level) => ok(contracts.memories.list.request, { level }))).toEqual(expected);
    expect(values.map((level) => ok(methodSchemas['memory.list'], { level }))).toEqual(expected);
    expect(
      values.map((maxLevel) => ok(ownerMethodSchemas['agents.create'], { name: 'bot', maxLevel, namespaces: null, expiresAt: null })),
    ).toEqual(expected);
    expect(values.map((level) => ok(listInputSchema, { level }))).toEqual(expected);
    const viaMcp = [];
    for (const level of values) viaMcp.push(await mcpAccepts('list_memories', { level }));
    expect(viaMcp).toEqual(expected);
  });

  it('store fields: title 500/501, 32/33 tags, tag 64/65 and empty, namespace grammar, ttl 1/one year and one more (socket, MCP, engine)', async () => {
    const cases: [Record<string, unknown>, boolean][] = [
      [{ title: 't'.repeat(500) }, true],
      [{ title: 't'.repeat(501) }, false],
      [{ title: '' }, false],
      [{ tags: Array(32).fill('x') }, true],
      [{ tags: Array(33).fill('x') }, false],
      [{ tags: ['x'.repeat(64)] }, true],
      [{ tags: ['x'.repeat(65)] }, false],
      [{ tags: [''] }, false],
      [{ namespace: 'n'.repeat(64) }, true],
      [{ namespace: 'n'.repeat(65) }, false],
      [{ namespace: 'has space' }, false],
      [{ level: 0, ttlSeconds: 1 }, true],
      [{ level: 0, ttlSeconds: 31_536_000 }, true],
      [{ level: 0, ttlSeconds: 31_536_001 }, false],
      [{ level: 0, ttlSeconds: 0 }, false],
    ];
    for (const [extra, expected] of cases) {
      const input = { content: 'c', level: 1, title: 'ok', ...extra };
      expect(
        [ok(methodSchemas['memory.store'], input), ok(storeInputSchema, input), await mcpAccepts('store_memory', input)],
        JSON.stringify(extra).slice(0, 60),
      ).toEqual([expected, expected, expected]);
    }
  });

  it('recall: memory reference 64/65 and empty, justification 2000/2001 (socket, MCP, engine)', async () => {
    const cases: [Record<string, unknown>, boolean][] = [
      [{ memoryId: 'm'.repeat(64) }, true],
      [{ memoryId: 'm'.repeat(65) }, false],
      [{ memoryId: '' }, false],
      [{ memoryId: UUID, justification: 'j'.repeat(2000) }, true],
      [{ memoryId: UUID, justification: 'j'.repeat(2001) }, false],
    ];
    for (const [input, expected] of cases) {
      const full = { justification: 'why', ...input };
      expect([ok(methodSchemas['memory.recall'], full), ok(recallInputSchema, full), await mcpAccepts('recall_memory', full)]).toEqual([
        expected,
        expected,
        expected,
      ]);
    }
  });

  it('request wait: 300 000 ms on the socket is 300 s on MCP; one more is refused on both', async () => {
    expect([300_000, 300_001].map((timeoutMs) => ok(methodSchemas['request.wait'], { requestId: UUID, timeoutMs }))).toEqual([true, false]);
    expect([
      await mcpAccepts('request_status', { requestId: UUID, wait_seconds: 300 }),
      await mcpAccepts('request_status', { requestId: UUID, wait_seconds: 301 }),
    ]).toEqual([true, false]);
  });

  it('agent creation: name 64/65, namespaces empty / 64 / 65 / duplicated, level (IPC and owner socket)', () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `ns${i}`);
    const cases: [Record<string, unknown>, boolean][] = [
      [{ name: 'a'.repeat(64) }, true],
      [{ name: 'a'.repeat(65) }, false],
      [{ name: 'bad name' }, false],
      [{ namespaces: [] }, false],
      [{ namespaces: list(64) }, true],
      [{ namespaces: list(65) }, false],
      [{ namespaces: ['a', 'a'] }, false],
      [{ maxLevel: 6 }, false],
    ];
    for (const [extra, expected] of cases) {
      const ipc = { name: 'bot', maxLevel: 1, ...extra };
      const owner = { name: 'bot', maxLevel: 1, namespaces: null, expiresAt: null, ...extra };
      expect(
        [ok(contracts.agents.create.request, ipc), ok(ownerMethodSchemas['agents.create'], owner)],
        JSON.stringify(extra).slice(0, 60),
      ).toEqual([expected, expected]);
    }
  });

  it('decide and lockdown: grant minutes 60/61, reason 500/501, request id a UUID (IPC and owner socket)', () => {
    for (const [grantMinutes, expected] of [
      [60, true],
      [61, false],
      [-1, false],
    ] as const) {
      const d = { requestId: UUID, approve: true, grantMinutes, digest: DIGEST };
      expect([ok(contracts.approvals.decide.request, d), ok(ownerMethodSchemas['approvals.decide'], d)]).toEqual([expected, expected]);
    }
    const shortId = { requestId: '0b9f3c9e', approve: true, digest: DIGEST };
    expect([ok(contracts.approvals.decide.request, shortId), ok(ownerMethodSchemas['approvals.decide'], shortId)]).toEqual([false, false]);
    for (const [reason, expected] of [
      ['r'.repeat(500), true],
      ['r'.repeat(501), false],
    ] as const) {
      expect([ok(contracts.lockdown.engage.request, { reason }), ok(ownerMethodSchemas['lockdown.set'], { on: true, reason })]).toEqual([
        expected,
        expected,
      ]);
    }
  });
});

describe('MCP JSON Schema carries the common limits', () => {
  it('a model sees the same numbers the socket enforces', () => {
    const store = toolProps['store_memory'] ?? {};
    expect(store['title']).toMatchObject({ minLength: 1, maxLength: fields.MAX_TITLE_CHARS });
    expect(store['content']).toMatchObject({ maxLength: fields.MAX_CONTENT_BYTES });
    expect(store['level']).toMatchObject({ enum: [0, 1, 2, 3, 4, 5] });
    expect(store['tags']).toMatchObject({ maxItems: fields.MAX_TAGS, items: { minLength: 1, maxLength: fields.MAX_TAG_CHARS } });
    expect(store['namespace']).toMatchObject({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' });
    expect(store['ttlSeconds']).toMatchObject({ minimum: 1, maximum: fields.MAX_DURATION_SECONDS });
    expect(toolProps['search_memories']?.['limit']).toMatchObject({ minimum: 1, maximum: fields.SEARCH_LIMIT_MAX });
    expect(toolProps['list_memories']?.['limit']).toMatchObject({ minimum: 1, maximum: fields.LIST_LIMIT_MAX });
    expect(toolProps['recall_memory']?.['justification']).toMatchObject({ maxLength: fields.MAX_JUSTIFICATION_CHARS });
    expect(toolProps['recall_memory']?.['memoryId']).toMatchObject({ minLength: 1, maxLength: 64 });
    expect(toolProps['request_status']?.['wait_seconds']).toMatchObject({ minimum: 0, maximum: 300 });
  });
});

describe('ids and levels are parsed, never asserted', () => {
  function sourceFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sourceFiles(path);
      return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
    });
  }
  const CAST = /\bas\s+(?:Level|MemoryId|LevelDto)\b|\bas\s+0\s*\|\s*1\b/;

  it('no `as Level`, `as MemoryId` or `as 0 | 1 | …` cast in src/', () => {
    const offenders = sourceFiles('src').flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (CAST.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });

  it('the probe can fail: it flags each cast form', () => {
    expect(['x as Level', 'id as MemoryId', 'n as 0 | 1 | 2'].map((l) => CAST.test(l))).toEqual([true, true, true]);
    expect(['x as const', 'levelSchema.parse(x)', 'as Levels'].map((l) => CAST.test(l))).toEqual([false, false, false]);
  });
});
