// `memory-vault agent allow-command|commands|disallow-command`: the owner's per-agent command
// allowlist (issue 19) — what an agent may run with secrets in its environment through
// `memory.use` / `run_with_secrets`. Through the running server's owner channel when one holds
// the vault, otherwise directly on the vault; either way each change is one runAudited write.
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { agentCommandViewSchema, type AgentCommandView } from '../../core/allowlist/agent-command.js';
import { commandLineText } from '../../core/common/command-line-text.js';
import { VaultError } from '../../core/errors.js';
import { neutraliseLine } from '../../core/text/terminal-text.js';
import { AgentRegistry } from '../../node/agent-api/agent-registry.js';
import { CommandAllowlist } from '../../node/agent-api/command-allowlist.service.js';
import { OWNER_SOCKET } from '../../node/agent-api/vault-server.js';
import { resolveVaultDir } from '../../node/vault/vault-paths.js';
import { emit } from '../io/output.js';
import { withOwnerChannel } from '../io/owner-channel.js';
import { withVault, type GlobalOptions } from '../io/vault-access.js';
import { intOption, run } from './run.js';

const collect = (v: string, acc: string[]) => [...acc, v];
const viewList = z.array(agentCommandViewSchema).max(10_000);

export function describeAgentCommand(c: AgentCommandView): string {
  const env = c.envNames.length ? c.envNames.join(',') : 'none';
  return `${c.id}  ${neutraliseLine(commandLineText([c.exec, ...c.args]))}  in ${neutraliseLine(c.cwd)}  limit ${c.timeoutMs / 1000} s  env ${env}`;
}

/** Owner socket when a server holds the vault (answers parsed, never cast), else the vault itself. */
async function withAllowlist<T>(
  g: GlobalOptions,
  remote: (call: (m: 'agentCommands.allow' | 'agentCommands.list' | 'agentCommands.disallow', p: object) => Promise<unknown>) => Promise<T>,
  local: (a: CommandAllowlist) => Promise<T>,
): Promise<T> {
  const viaServer = await withOwnerChannel(g, join(resolveVaultDir(g.vault), OWNER_SOCKET), (c) => remote((m, p) => c.call<unknown>(m, p)));
  if (viaServer.used) return viaServer.value;
  return withVault(g, (s) => local(new CommandAllowlist(s.tables.agentCommands, s.engine, new AgentRegistry(s.tables.agents))));
}

export function registerAgentCommandAllowlist(agent: Command, globals: () => GlobalOptions): void {
  agent
    .command('allow-command <agent>')
    .description('Let an agent run one command with secrets in its environment (memory.use / run_with_secrets)')
    .requiredOption('--exec <path>', 'absolute path of the executable (no PATH lookup)')
    .option(
      '--arg <token>',
      'one argument: a literal, or a placeholder {name:int|word|host|text}; \\ makes a literal (repeatable, in order)',
      collect,
      [],
    )
    .requiredOption('--cwd <dir>', 'absolute working directory')
    .requiredOption('--timeout <seconds>', 'time limit (1-3600 s); the command is killed after it')
    .option('--env <NAME>', 'an environment variable that may carry a secret (repeatable)', collect, [])
    .addHelpText(
      'after',
      '\nExample: agent allow-command ops-bot --exec /usr/bin/psql --arg -h --arg db.internal --arg -c --arg "{sql:text}" --cwd /srv --timeout 30 --env PGPASSWORD',
    )
    .action((who: string, o: { exec: string; arg: string[]; cwd: string; timeout: string; env: string[] }) =>
      run(globals(), async (g) => {
        const entry = {
          exec: o.exec,
          args: o.arg,
          cwd: o.cwd,
          timeoutMs: intOption(o.timeout, '--timeout', 1, 3600) * 1000,
          envNames: o.env,
        };
        const view = await withAllowlist(
          g,
          async (call) => agentCommandViewSchema.parse(await call('agentCommands.allow', { agent: who, entry })),
          (a) => a.allow(who, entry, 'cli'),
        );
        emit(g, view, (v) => `Allowed for ${neutraliseLine(who)}: ${describeAgentCommand(v)}`);
      }),
    );
  agent
    .command('commands <agent>')
    .description("List an agent's allowed commands")
    .action((who: string) =>
      run(globals(), async (g) => {
        const list = await withAllowlist(
          g,
          async (call) => viewList.parse(await call('agentCommands.list', { agent: who })),
          (a) => Promise.resolve(a.list(who)),
        );
        emit(g, list, (l) =>
          l.length ? l.map(describeAgentCommand).join('\n') : `${neutraliseLine(who)} may run no command with secrets.`,
        );
      }),
    );
  agent
    .command('disallow-command <agent> <id>')
    .description('Remove one allowed command (by the id `agent commands` shows)')
    .action((who: string, id: string) =>
      run(globals(), async (g) => {
        if (!z.string().uuid().safeParse(id).success)
          throw new VaultError('INVALID_INPUT', 'A command id is a UUID, as `memory-vault agent commands` shows it.');
        const view = await withAllowlist(
          g,
          async (call) => agentCommandViewSchema.parse(await call('agentCommands.disallow', { agent: who, commandId: id })),
          (a) => a.disallow(who, id, 'cli'),
        );
        emit(g, view, (v) => `Removed: ${describeAgentCommand(v)}`);
      }),
    );
}
