// `memory-vault mcp`: stdio MCP server for model clients, connected to the running vault
// as one agent (token from MEMORY_VAULT_TOKEN or --token-file).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { isVaultError, VaultError } from '../../core/errors.js';
import { AgentClient } from '../../node/agent-api/agent-client.js';
import { AGENT_SOCKET, SERVER_VERSION } from '../../node/agent-api/vault-server.js';
import { refusingClient, runMcpServer } from '../../node/mcp/mcp-server.js';
import { resolveVaultDir } from '../../node/vault/vault-paths.js';
import type { GlobalOptions } from '../io/vault-access.js';
import { run } from './run.js';

export function registerMcp(program: Command, globals: () => GlobalOptions): void {
  program
    .command('mcp')
    .description('Run an MCP server on stdio for a model client, acting as one agent of the running vault')
    .option('--token-file <path>', 'file holding the agent token (default: $MEMORY_VAULT_TOKEN)')
    .option('--socket <path>', 'agent socket (default: <vault>/agent.sock)')
    .action((o: { tokenFile?: string; socket?: string }) =>
      run(globals(), async (g) => {
        const token = o.tokenFile ? readFileSync(o.tokenFile, 'utf8').trim() : process.env.MEMORY_VAULT_TOKEN;
        const socketPath = o.socket ?? join(resolveVaultDir(g.vault), AGENT_SOCKET);
        // A login that fails still starts the server: the model client then gets the stable code and
        // what to do from every tool call, instead of "Connection closed" with the reason on stderr.
        try {
          if (!token)
            throw new VaultError(
              'UNAUTHORIZED',
              'No agent token: set MEMORY_VAULT_TOKEN or pass --token-file (create one with `memory-vault agent add`).',
            );
          const client = await AgentClient.connect({ socketPath, token });
          const { agent } = await client.health();
          await runMcpServer(client, SERVER_VERSION, agent);
        } catch (e) {
          if (!isVaultError(e)) throw e;
          process.stderr.write(`memory-vault mcp: ${e.code}: ${e.message} — serving refusals\n`);
          await runMcpServer(refusingClient(e), SERVER_VERSION);
        }
      }),
    );
}
