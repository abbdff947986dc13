// `memory-vault mcp`: an MCP server on stdio that speaks to the running vault as one agent
// (its token), so a model gets exactly that agent's scope and the owner still approves.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isVaultError } from '../../core/errors.js';
import { waitSecondsSchema } from '../../core/common/approval-input.schema.js';
import { approvalRequestIdSchema, memoryRefSchema } from '../../core/common/ids.schema.js';
import { levelSchema } from '../../core/common/level.schema.js';
import {
  contentTextSchema,
  justificationSchema,
  listLimitSchema,
  namespaceSchema,
  searchLimitSchema,
  searchQuerySchema,
  tagsSchema,
  titleSchema,
  ttlSecondsSchema,
} from '../../core/common/memory-input.schema.js';
import type { AgentClient } from '../agent-api/agent-client.js';
import { registerSecretTools } from './secret-tools.js';

type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

function ok(value: Record<string, unknown> | unknown[]): ToolResult {
  const structured = Array.isArray(value) ? { items: value } : value;
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: structured };
}

function refused(e: unknown): ToolResult {
  const code = isVaultError(e) ? e.code : 'INTERNAL';
  const message = isVaultError(e) ? e.message : 'The vault could not complete the request.';
  return { content: [{ type: 'text', text: `${code}: ${message}` }], isError: true, structuredContent: { error: { code, message } } };
}

async function guarded(fn: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await fn();
  } catch (e) {
    return refused(e);
  }
}

// Tool inputs are built from the same schema objects as the agent socket and the IPC contracts
// (core/common), so the JSON Schema a model sees carries the vault's own limits. Model-supplied
// text that would reach the vault as U+FFFD (a lone surrogate) is refused here too.

export function buildMcpServer(client: AgentClient, version: string): McpServer {
  const server = new McpServer({ name: 'memory-vault', version });

  server.registerTool(
    'store_memory',
    {
      title: 'Store a memory',
      description:
        'Store a memory in the encrypted vault. level: 0 ephemeral (purged after ttlSeconds, default 24 h), 1 working, 2 private, ' +
        '3 sealed (every recall needs the owner\'s approval), 4 vaulted (approval + offline environment), 5 black (approval + hardware key). ' +
        'Your token limits the highest level and the namespaces you may use.',
      inputSchema: {
        content: contentTextSchema,
        level: levelSchema,
        title: titleSchema,
        namespace: namespaceSchema.optional(),
        tags: tagsSchema.optional(),
        ttlSeconds: ttlSecondsSchema.optional(),
      },
    },
    (args) =>
      guarded(async () =>
        ok({
          ...(await client.store({
            content: args.content,
            level: args.level,
            title: args.title,
            ...(args.namespace ? { namespace: args.namespace } : {}),
            ...(args.tags ? { tags: args.tags } : {}),
            ...(args.ttlSeconds ? { ttlSeconds: args.ttlSeconds } : {}),
          })),
        }),
      ),
  );

  server.registerTool(
    'recall_memory',
    {
      title: 'Recall a memory',
      description:
        'Recall a memory\'s content by id. Levels 0-2 answer at once. Levels 3-5 need the human owner to approve: you get ' +
        '{status:"pending", requestId}; tell the user approval is pending and call request_status with wait_seconds to get the content ' +
        'once approved. Always give a truthful justification: the owner sees it.',
      inputSchema: { memoryId: memoryRefSchema, justification: justificationSchema },
    },
    ({ memoryId, justification }) => guarded(async () => ok({ ...(await client.recall(memoryId, justification)) })),
  );

  server.registerTool(
    'search_memories',
    {
      title: 'Search memories',
      description: 'Full-text search over titles, tags and metadata (and content of levels 0-2). Returns metadata only, never content.',
      inputSchema: { query: searchQuerySchema, limit: searchLimitSchema.optional() },
    },
    ({ query, limit }) => guarded(async () => ok(await client.search(query, limit ? { limit } : {}))),
  );

  server.registerTool(
    'list_memories',
    {
      title: 'List memories',
      description: 'List memory metadata (newest first) that your token may see.',
      inputSchema: { namespace: namespaceSchema.optional(), level: levelSchema.optional(), limit: listLimitSchema.optional() },
    },
    (args) =>
      guarded(async () =>
        ok(
          await client.list({
            ...(args.namespace ? { namespace: args.namespace } : {}),
            ...(args.level !== undefined ? { level: args.level } : {}),
            ...(args.limit ? { limit: args.limit } : {}),
          }),
        ),
      ),
  );

  server.registerTool(
    'request_status',
    {
      title: 'Check an approval request',
      description:
        'State of a pending recall (pending, approved, denied, expired, cancelled). With wait_seconds > 0 it waits up to that long and ' +
        'returns the content once the owner approves; a denial or expiry comes back as an error with its code.',
      inputSchema: { requestId: approvalRequestIdSchema, wait_seconds: waitSecondsSchema.optional() },
    },
    ({ requestId, wait_seconds }) =>
      guarded(async () => (wait_seconds ? ok({ ...(await client.wait(requestId, wait_seconds * 1000)) }) : ok({ ...(await client.status(requestId)) }))),
  );

  server.registerTool(
    'cancel_request',
    {
      title: 'Cancel an approval request',
      description: 'Withdraw one of your own pending recall requests (for example when the user no longer needs it).',
      inputSchema: { requestId: approvalRequestIdSchema },
    },
    ({ requestId }) => guarded(async () => ok({ ...(await client.cancel(requestId)) })),
  );

  server.registerTool(
    'vault_health',
    { title: 'Vault health', description: 'Whether the vault is reachable and in lockdown, your scope, and counters of your own calls. No memory data.', inputSchema: {} },
    () => guarded(async () => ok({ ...(await client.health()) })),
  );

  // Issue 19: handles and runs with secrets (secret-tools.ts).
  registerSecretTools(server, client);

  return server;
}

export async function runMcpServer(client: AgentClient, version: string): Promise<void> {
  const server = buildMcpServer(client, version);
  await server.connect(new StdioServerTransport());
}
