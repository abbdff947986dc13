// `memory-vault serve`: headless vault server. Agents connect to <vault>/agent.sock; the owner
// approves on this terminal (when there is one) or with `memory-vault approvals`.
import { join } from 'node:path';
import type { Command } from 'commander';
import { createLogger } from '../../node/logging/logger.js';
import { startVaultServer } from '../../node/agent-api/vault-server.js';
import { resolveVaultDir } from '../../node/vault/vault-paths.js';
import { installAnchoring } from '../../node/integrations/anchoring-setup.js';
import { NatLangChainAnchor } from '../../node/integrations/natlangchain-client.js';
import { attachTerminalApprovals } from '../io/terminal-approvals.js';
import { openOwnerSession, type GlobalOptions } from '../io/vault-access.js';
import { intOption, run } from './run.js';

export function registerServe(program: Command, globals: () => GlobalOptions): void {
  program
    .command('serve')
    .description('Run the vault for agents (JSON-RPC on <vault>/agent.sock); approve requests on this terminal')
    .option('--approval-timeout <seconds>', 'how long a request waits for the owner', '300')
    .option('--log-stderr', 'write JSON logs to stderr instead of <vault>/logs/server.log')
    .option('--log-level <level>', 'fatal | error | warn | info | debug', 'info')
    .action((o: { approvalTimeout: string; logStderr?: boolean; logLevel: string }) =>
      run(globals(), async (g) => {
        const dir = resolveVaultDir(g.vault);
        const approvalTimeoutMs = intOption(o.approvalTimeout, '--approval-timeout', 5, 3600) * 1000;
        // Same gates as every owner command (boundary, hardware keys); approvals come from the broker.
        const session = await openOwnerSession(g, { channel: 'terminal', config: { approvalTimeoutMs } });
        if (process.env.NATLANGCHAIN_API_URL) installAnchoring(session, new NatLangChainAnchor());
        const logger = createLogger({ destination: o.logStderr ? 'stderr' : { file: join(dir, 'logs', 'server.log') }, level: o.logLevel });
        const server = await startVaultServer(session, { logger });
        const interactive = process.stdin.isTTY === true;
        const detach = interactive ? attachTerminalApprovals(server.broker, process.stdin, process.stdout) : () => undefined;
        const ready = { agentSocket: server.agentSocket, ownerSocket: server.ownerSocket, pid: process.pid, approvals: interactive ? 'terminal' : 'memory-vault approvals' };
        if (g.json) process.stdout.write(`${JSON.stringify({ ok: true, result: { event: 'listening', ...ready } })}\n`);
        else process.stdout.write(`Vault server listening on ${ready.agentSocket} (pid ${ready.pid}). Approvals: ${ready.approvals}. Ctrl-C stops.\n`);
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        detach();
        await server.close();
        session.close();
        process.stdout.write(g.json ? `${JSON.stringify({ ok: true, result: { event: 'stopped' } })}\n` : 'Vault server stopped.\n');
        process.exit(0);
      }),
    );
}
