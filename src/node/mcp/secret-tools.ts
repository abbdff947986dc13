// MCP tools of issue 19: `get_memory_handle` and `run_with_secrets`. Invariant: no tool result
// carries a secret — a handle is an `mv://` reference plus metadata, and a run returns the
// command's output after the vault masked every resolved value (memory.use, use-method.ts);
// the model never holds the plaintext, so it cannot end up in its context or transcripts.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { ENV_NAME } from '../../core/allowlist/agent-command.js';
import { isVaultError } from '../../core/errors.js';
import { isWellFormedText } from '../../core/text/well-formed.js';
import type { AgentClient } from '../agent-api/agent-client.js';

type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean; structuredContent?: Record<string, unknown> };

const text = (max: number) => z.string().max(max).refine(isWellFormedText, 'contains a lone surrogate (not well-formed Unicode)');

function ok(value: object): ToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: { ...value } };
}

async function guarded(fn: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await fn();
  } catch (e) {
    const code = isVaultError(e) ? e.code : 'INTERNAL';
    const message = isVaultError(e) ? e.message : 'The vault could not complete the request.';
    return { content: [{ type: 'text', text: `${code}: ${message}` }], isError: true, structuredContent: { error: { code, message } } };
  }
}

/** Room for the command's own time limit (at most 1 h) on top of the call. */
const USE_CALL_TIMEOUT_MS = 61 * 60_000;

export const HANDLE_TOOL_DESCRIPTION =
  'Get a handle for a secret instead of the secret itself. A handle is an mv:// reference (mv://<namespace>/<id>, ' +
  "optionally #field.path into JSON content) plus the memory's metadata (title, level, tags) — never its content. " +
  'Pass the handle to run_with_secrets to use the secret without ever seeing it. Give memoryId (from search_memories ' +
  'or list_memories) or ref (for example mv://ops/by-title/db-password).';

export const RUN_TOOL_DESCRIPTION =
  'Run a command the owner has allowed for you, with secrets placed in its environment (env: VARIABLE -> mv:// handle). ' +
  'Name the command by commandId (with args filling its {name:type} placeholders) or by exec + argv that fit an allowed ' +
  'pattern exactly; anything else is refused with COMMAND_NOT_ALLOWED (only the owner can allow commands: ' +
  "`memory-vault agent allow-command`). You get the exit code and the command's stdout/stderr with every secret " +
  'value (and its base64, hex and URL-encoded forms) replaced by "<concealed by memory-vault>" — you never see the ' +
  "secret, so do not try to print it. Level 0-2 secrets run at once. Level 3 needs the owner's approval for this exact " +
  'command line: you get {status:"pending", requestId}; tell the user approval is pending and call request_status with ' +
  'wait_seconds to get the result once approved (the owner may grant this command for some minutes). Levels 4 and 5 ' +
  'ask the owner every time (level 5 also needs their security key). Give a truthful justification: the owner sees it ' +
  'with the command line.';

export function registerSecretTools(server: McpServer, client: Pick<AgentClient, 'handle' | 'use'>): void {
  server.registerTool(
    'get_memory_handle',
    {
      title: 'Get a handle (reference) for a secret',
      description: HANDLE_TOOL_DESCRIPTION,
      inputSchema: {
        memoryId: text(64).min(1).optional(),
        ref: text(4096).min(1).optional(),
        field: z
          .array(z.string().regex(/^[A-Za-z0-9_-]{1,128}$/))
          .min(1)
          .max(16)
          .optional(),
      },
    },
    (args) =>
      guarded(async () => {
        const field = args.field ? { field: args.field } : {};
        if (args.ref !== undefined && args.memoryId === undefined) return ok(await client.handle({ ref: args.ref, ...field }));
        if (args.memoryId !== undefined && args.ref === undefined) return ok(await client.handle({ memoryId: args.memoryId, ...field }));
        return {
          content: [{ type: 'text', text: 'INVALID_INPUT: give exactly one of memoryId or ref.' }],
          isError: true,
          structuredContent: { error: { code: 'INVALID_INPUT', message: 'give exactly one of memoryId or ref' } },
        };
      }),
  );

  server.registerTool(
    'run_with_secrets',
    {
      title: 'Run an allowed command with secrets (output masked)',
      description: RUN_TOOL_DESCRIPTION,
      inputSchema: {
        commandId: z.string().uuid().optional(),
        args: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,31}$/), text(4096)).optional(),
        exec: text(4096).min(1).optional(),
        argv: z.array(text(4096)).max(64).optional(),
        env: z.record(z.string().regex(ENV_NAME), text(4096).min(1)),
        justification: text(2000).optional(),
      },
    },
    (a) =>
      guarded(async () => {
        const byId = a.commandId !== undefined && a.exec === undefined && a.argv === undefined;
        const byExec = a.commandId === undefined && a.args === undefined && a.exec !== undefined;
        if (!byId && !byExec) {
          return {
            content: [{ type: 'text', text: 'INVALID_INPUT: give commandId (with args) or exec with argv.' }],
            isError: true,
            structuredContent: { error: { code: 'INVALID_INPUT', message: 'give commandId (with args) or exec with argv' } },
          };
        }
        const command = byId
          ? { commandId: a.commandId ?? '', ...(a.args ? { args: a.args } : {}) }
          : { exec: a.exec ?? '', argv: a.argv ?? [] };
        return ok(
          await client.use(
            { command, env: a.env, ...(a.justification !== undefined ? { justification: a.justification } : {}) },
            USE_CALL_TIMEOUT_MS,
          ),
        );
      }),
  );
}
