// `memory-vault mcp`: an MCP server on stdio that speaks to the running vault as one agent
// (its token), so a model gets exactly that agent's scope and the owner still approves.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isVaultError, type VaultError } from '../../core/errors.js';
import { waitSecondsSchema } from '../../core/common/approval-input.schema.js';
import { approvalRequestIdSchema, memoryRefSchema } from '../../core/common/ids.schema.js';
import { levelSchema } from '../../core/common/level.schema.js';
import * as input from '../../core/common/memory-input.schema.js';
import type { AgentClient } from '../agent-api/agent-client.js';
import { adviceFor } from './mcp-advice.js';
import { waitForDecision } from './mcp-wait.js';
import { registerSecretTools } from './secret-tools.js';

type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

function ok(value: Record<string, unknown> | unknown[]): ToolResult {
  const structured = Array.isArray(value) ? { items: value } : value;
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: structured };
}

function refused(e: unknown): ToolResult {
  const code = isVaultError(e) ? e.code : 'INTERNAL';
  const message = isVaultError(e) ? e.message : 'The vault could not complete the request.';
  const advice = adviceFor(code);
  const text = advice ? `${code}: ${message}\n${advice}` : `${code}: ${message}`;
  return {
    content: [{ type: 'text', text }],
    isError: true,
    structuredContent: { error: { code, message, ...(advice ? { advice } : {}) } },
  };
}

/** What the MCP tools call on the vault: an agent connection, or one that refuses every call. */
export type McpVaultClient = Pick<
  AgentClient,
  'store' | 'recall' | 'search' | 'list' | 'wait' | 'status' | 'cancel' | 'health' | 'handle' | 'use'
>;

/** The agent's own scope, as vault_health reports it, summarised in the tool descriptions. */
export interface AgentScope {
  readonly maxLevel: number;
  readonly namespaces: readonly string[] | null;
}

function scopeSentence(scope: AgentScope | null): string {
  if (!scope) return '';
  const ns = scope.namespaces === null ? 'every namespace' : `namespaces ${scope.namespaces.join(', ')}`;
  return ` Your token: levels 0-${scope.maxLevel}, ${ns}.`;
}

/**
 * A client for an MCP server whose agent could not log in (bad, revoked or expired token; vault
 * not running): the server still starts and lists its tools, and every call answers with the
 * stable code and what to do — instead of the model seeing only "Connection closed".
 */
export function refusingClient(error: VaultError): McpVaultClient {
  const no = (): Promise<never> => Promise.reject(error);
  return { store: no, recall: no, search: no, list: no, wait: no, status: no, cancel: no, health: no, handle: no, use: no };
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

export function buildMcpServer(client: McpVaultClient, version: string, scope: AgentScope | null = null): McpServer {
  const yours = scopeSentence(scope);
  const server = new McpServer({ name: 'memory-vault', version });

  server.registerTool(
    'store_memory',
    {
      title: 'Store a memory',
      description:
        'Store a memory in the encrypted vault. level: 0 ephemeral (purged after ttlSeconds, default 24 h), 1 working, 2 private, ' +
        "3 sealed (every recall needs the owner's approval), 4 vaulted (approval + offline environment), 5 black (approval + hardware key). " +
        `Your token limits the highest level and the namespaces you may use.${yours}`,
      inputSchema: {
        content: input.contentTextSchema,
        level: levelSchema,
        title: input.titleSchema,
        namespace: input.namespaceSchema.optional(),
        tags: input.tagsSchema.optional(),
        ttlSeconds: input.ttlSecondsSchema.optional(),
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
        "Recall a memory's content by its id or the short id search_memories/list_memories print. Levels 0-2 answer at once. " +
        'Levels 3-5 need the human owner to approve: you get {status:"pending", requestId}; tell the user approval is pending and call ' +
        'request_status with wait_seconds (each call waits at most 45 s; call again while it says pending). Level 4 also needs an offline ' +
        "environment, level 5 the owner's security-key touch. Always give a truthful justification: the owner sees it." +
        yours,
      inputSchema: { memoryId: memoryRefSchema, justification: input.justificationSchema },
    },
    ({ memoryId, justification }) => guarded(async () => ok({ ...(await client.recall(memoryId, justification)) })),
  );

  server.registerTool(
    'search_memories',
    {
      title: 'Search memories',
      description: 'Full-text search over titles, tags and metadata (and content of levels 0-2). Returns metadata only, never content.',
      inputSchema: { query: input.searchQuerySchema, limit: input.searchLimitSchema.optional() },
    },
    ({ query, limit }) => guarded(async () => ok(await client.search(query, limit ? { limit } : {}))),
  );

  server.registerTool(
    'list_memories',
    {
      title: 'List memories',
      description: 'List memory metadata (newest first) that your token may see.',
      inputSchema: { namespace: input.namespaceSchema.optional(), level: levelSchema.optional(), limit: input.listLimitSchema.optional() },
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
        'State of a pending recall (pending, approved, denied, expired, cancelled). With wait_seconds > 0 it waits for the owner and ' +
        'returns the content once approved; a denial or expiry comes back as an error with its code. One call waits at most 45 s ' +
        '(below MCP clients\' 60 s request timeout) and then answers {status:"pending", next}: call again with the same requestId. ' +
        'Clients that send a progressToken (and reset their timeout on progress) get a progress notification every 10 s and one call ' +
        'waits the whole wait_seconds.',
      inputSchema: { requestId: approvalRequestIdSchema, wait_seconds: waitSecondsSchema.optional() },
    },
    ({ requestId, wait_seconds }, extra) =>
      guarded(async () => {
        if (!wait_seconds) return ok({ ...(await client.status(requestId)) });
        const token = extra._meta?.progressToken;
        const progress =
          token === undefined
            ? undefined
            : (elapsedMs: number, totalMs: number) =>
                extra.sendNotification({
                  method: 'notifications/progress',
                  params: { progressToken: token, progress: elapsedMs / 1000, total: totalMs / 1000, message: 'waiting for the owner' },
                });
        return ok(await waitForDecision(client, requestId, wait_seconds, progress));
      }),
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
    {
      title: 'Vault health and your scope',
      description: `Whether the vault is reachable and in lockdown, your own scope (agent.maxLevel, agent.namespaces; null = all) and counters of your own calls. No memory data.${yours}`,
      inputSchema: {},
    },
    () => guarded(async () => ok({ ...(await client.health()) })),
  );

  // Issue 19: handles and runs with secrets (secret-tools.ts).
  registerSecretTools(server, client);

  return server;
}

export async function runMcpServer(client: McpVaultClient, version: string, scope: AgentScope | null = null): Promise<void> {
  const server = buildMcpServer(client, version, scope);
  await server.connect(new StdioServerTransport());
}
