// `memory-vault serve`: headless vault server. Agents connect to <vault>/agent.sock; the owner
// approves on this terminal (when there is one) or with `memory-vault approvals`.
import { join } from 'node:path';
import type { Command } from 'commander';
import { createLogger } from '../../node/logging/logger.js';
import { startVaultServer } from '../../node/agent-api/vault-server.js';
import { existsSync } from 'node:fs';
import { resolveVaultDir, vaultPaths } from '../../node/vault/vault-paths.js';
import { composeNewOwnerVault } from '../../node/composition/compose-owner-session.js';
import type { Credentials } from '../../node/vault/credentials.js';
import { readPassphrase } from '../io/tty-prompt.js';
import { installAnchoring } from '../../node/integrations/anchoring-setup.js';
import { NatLangChainAnchor } from '../../node/integrations/natlangchain-client.js';
import { attachTerminalApprovals } from '../io/terminal-approvals.js';
import { cliSurface, credentialsFor, openOwnerSession, type GlobalOptions } from '../io/vault-access.js';
import { intOption, run } from './run.js';

export function registerServe(program: Command, globals: () => GlobalOptions): void {
  program
    .command('serve')
    .description('Run the vault for agents (JSON-RPC on <vault>/agent.sock); approve requests on this terminal')
    .option('--approval-timeout <seconds>', 'how long a request waits for the owner', '300')
    .option('--log-stderr', 'write JSON logs to stderr instead of <vault>/logs/server.log')
    .option('--log-level <level>', 'fatal | error | warn | info | debug', 'info')
    .option('--init', 'create a passphrase vault first if the directory has none (first run)')
    .option('--max-pending-approvals <n>', 'pending approval requests one agent may hold (then RATE_LIMITED)', '20')
    .option('--max-agent-connections <n>', 'open connections on the agent socket (then refused)', '1024')
    .option('--login-deadline <seconds>', 'time a new agent connection has to call auth.login', '10')
    .action(
      (o: {
        approvalTimeout: string;
        logStderr?: boolean;
        logLevel: string;
        init?: boolean;
        maxPendingApprovals: string;
        maxAgentConnections: string;
        loginDeadline: string;
      }) =>
        run(globals(), async (g) => {
          const dir = resolveVaultDir(g.vault);
          const approvalTimeoutMs = intOption(o.approvalTimeout, '--approval-timeout', 5, 3600) * 1000;
          const maxPendingApprovalsPerAgent = intOption(o.maxPendingApprovals, '--max-pending-approvals', 1, 10_000);
          const agentLimits = {
            maxConnections: intOption(o.maxAgentConnections, '--max-agent-connections', 1, 65_536),
            loginDeadlineMs: intOption(o.loginDeadline, '--login-deadline', 1, 600) * 1000,
          };
          let credentials: Credentials | undefined;
          if (o.init && !existsSync(vaultPaths(dir).header)) {
            process.stderr.write(`No vault in ${dir} yet: creating one. Choose its passphrase.\n`);
            credentials = { kind: 'passphrase', passphrase: await readPassphrase({ confirm: true }) };
            (await composeNewOwnerVault({ ...cliSurface('cli'), dir, credentials })).close();
          }
          // Held until the server made its owner-socket OPAQUE registration from it, then dropped.
          credentials ??= await credentialsFor(dir, g);
          // Same gates as every owner command (boundary, hardware keys); approvals come from the broker.
          const session = await openOwnerSession(g, {
            channel: 'terminal',
            config: { approvalTimeoutMs, maxPendingApprovalsPerAgent },
            credentials,
          });
          if (process.env.NATLANGCHAIN_API_URL) installAnchoring(session, new NatLangChainAnchor());
          const logger = createLogger({
            destination: o.logStderr ? 'stderr' : { file: join(dir, 'logs', 'server.log') },
            level: o.logLevel,
          });
          const server = await startVaultServer(session, { logger, ownerCredential: credentials, agentLimits });
          if (credentials.kind === 'keyfile') credentials.keyfile.fill(0);
          if (credentials.kind === 'tpm2')
            process.stderr.write(
              'This vault is TPM-bound: `memory-vault approvals` and owner commands cannot log in to this server; decide here.\n',
            );
          credentials = undefined;
          const interactive = process.stdin.isTTY === true;
          const detach = interactive ? attachTerminalApprovals(server.broker, process.stdin, process.stdout) : () => undefined;
          const ready = {
            agentSocket: server.agentSocket,
            ownerSocket: server.ownerSocket,
            pid: process.pid,
            approvals: interactive ? 'terminal' : 'memory-vault approvals',
          };
          if (g.json) process.stdout.write(`${JSON.stringify({ ok: true, result: { event: 'listening', ...ready } })}\n`);
          else
            process.stdout.write(
              `Vault server listening on ${ready.agentSocket} (pid ${ready.pid}). Approvals: ${ready.approvals}. Ctrl-C stops.\n`,
            );
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
