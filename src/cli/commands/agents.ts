// `memory-vault agent add|list|revoke`: agent tokens. Through the running server's owner
// channel when one holds the vault, otherwise directly on the vault.
import { join } from 'node:path';
import type { Command } from 'commander';
import { VaultError } from '../../core/errors.js';
import { LEVEL_NAMES } from '../../core/levels.js';
import { isPlainText, neutraliseLine } from '../../core/text/terminal-text.js';
import { AgentRegistry, type AgentRecord } from '../../node/agent-api/agent-registry.js';
import { OWNER_SOCKET } from '../../node/agent-api/vault-server.js';
import { resolveVaultDir } from '../../node/vault/vault-paths.js';
import { emit } from '../io/output.js';
import { withOwnerChannel } from '../io/owner-channel.js';
import { withVault, type GlobalOptions } from '../io/vault-access.js';
import { levelOption, run } from './run.js';
import { registerAgentCommandAllowlist } from './agent-commands.js';

const collect = (v: string, acc: string[]) => [...acc, v];

export function parseExpiry(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  const rel = /^(\d+)([hdw])$/.exec(value);
  if (rel) return now + Number(rel[1]) * { h: 3_600_000, d: 86_400_000, w: 604_800_000 }[rel[2] as 'h' | 'd' | 'w'];
  const t = Date.parse(value);
  if (Number.isNaN(t) || t <= now)
    throw new VaultError('INVALID_INPUT', '--expires takes a future ISO time or a duration like 12h, 30d, 2w.');
  return t;
}

/** Names and namespaces are refused at creation if unsafe; rows written before that are neutralised here. */
export function describeAgent(a: AgentRecord): string {
  const suspended = a.suspendedAt
    ? `SUSPENDED ${a.suspendedAt} (${neutraliseLine(a.suspendedReason ?? '')}; \`agent resume\` lifts it)`
    : null;
  const state = a.revokedAt ? `revoked ${a.revokedAt}` : (suspended ?? (a.expiresAt ? `expires ${a.expiresAt}` : 'active'));
  const ns = a.namespaces?.map(neutraliseLine).join(',') ?? '*';
  return `${a.id}  ${neutraliseLine(a.name).padEnd(16)} max level ${a.maxLevel} (${LEVEL_NAMES[a.maxLevel]})  ns ${ns}  ${state}  last use ${a.lastUsedAt ?? 'never'}`;
}

type Audited = <R>(
  work: () => R,
  kind: 'agent.create' | 'agent.revoke' | 'agent.resume',
  details: (r: R) => Record<string, string | number>,
) => Promise<R>;

async function viaServerOrVault<T>(
  g: GlobalOptions,
  remote: (call: <R>(m: 'agents.create' | 'agents.list' | 'agents.revoke' | 'agents.resume', p?: object) => Promise<R>) => Promise<T>,
  local: (registry: AgentRegistry, audited: Audited) => Promise<T>,
): Promise<T> {
  const dir = resolveVaultDir(g.vault);
  const viaServer = await withOwnerChannel(g, join(dir, OWNER_SOCKET), (c) => remote((m, p) => c.call(m, p ?? {})));
  if (viaServer.used) return viaServer.value as T;
  return withVault(g, (s) =>
    // The token row and its audit event commit together.
    local(new AgentRegistry(s.tables.agents), async (work, kind, details) => {
      const r = await s.engine.runAudited(work, (x) => ({ kind, actor: { type: 'owner', id: 'cli' }, outcome: 'ok', details: details(x) }));
      // Every revoke path withdraws the agent's pending requests and grants the same way.
      const agentId = details(r).agentId;
      if (kind === 'agent.revoke' && typeof agentId === 'string') await s.engine.onRequesterRevoked(agentId);
      return r;
    }),
  );
}

export function registerAgentCommands(program: Command, globals: () => GlobalOptions): void {
  const agent = program.command('agent').description('Agent tokens: what each agent may store and recall');
  registerAgentCommandAllowlist(agent, globals);
  agent
    .command('add <name>')
    .description('Create an agent token (shown once; only its hash is stored)')
    .requiredOption('--max-level <0-5>', 'highest level the agent may store or recall')
    .option('--namespace <ns>', 'restrict to a namespace (repeatable; default: all)', collect, [])
    .option('--expires <when>', 'ISO time or duration (12h, 30d, 2w)')
    .action((name: string, o: { maxLevel: string; namespace: string[]; expires?: string }) =>
      run(globals(), async (g) => {
        const input = {
          name,
          maxLevel: levelOption(o.maxLevel, '--max-level'),
          namespaces: o.namespace.length ? o.namespace : null,
          expiresAt: parseExpiry(o.expires),
        };
        if (!/^[\w.-]{1,64}$/.test(name) || !isPlainText(name))
          throw new VaultError('INVALID_INPUT', 'Agent names: letters, digits, _ . - (max 64).');
        const created = await viaServerOrVault(
          g,
          (call) => call<{ agent: AgentRecord; token: string }>('agents.create', input),
          (reg, audited) =>
            audited(
              () => reg.create(input),
              'agent.create',
              (c) => ({ agentId: c.agent.id, name, maxLevel: input.maxLevel }),
            ),
        );
        emit(
          g,
          created,
          (c) =>
            `Agent ${neutraliseLine(c.agent.name)} (${c.agent.id}) created. Its token, shown only now:\n\n  ${c.token}\n\nGive it to the agent as MEMORY_VAULT_TOKEN.`,
        );
      }),
    );
  agent
    .command('list')
    .description('List agents with their scope, state and last use')
    .action(() =>
      run(globals(), async (g) => {
        const list = await viaServerOrVault(
          g,
          (call) => call<AgentRecord[]>('agents.list'),
          (reg) => Promise.resolve(reg.list()),
        );
        emit(g, list, (l) => (l.length ? l.map(describeAgent).join('\n') : 'No agents.'));
      }),
    );
  agent
    .command('revoke <agent>')
    .description('Revoke an agent token by id or name (takes effect on its next call; its pending requests end and its grants are removed)')
    .action((who: string) =>
      run(globals(), async (g) => {
        const a = await viaServerOrVault(
          g,
          (call) => call<AgentRecord>('agents.revoke', { agent: who }),
          (reg, audited) => {
            const id = reg.find(who).id;
            return audited(
              () => reg.revoke(id),
              'agent.revoke',
              (r) => ({ agentId: r.id }),
            );
          },
        );
        emit(g, a, (x) => `Revoked ${neutraliseLine(x.name)} (${x.id}).`);
      }),
    );
  agent
    .command('resume <agent>')
    .description('Lift the suspension of an agent (by id or name) that a burst of refused requests stopped')
    .action((who: string) =>
      run(globals(), async (g) => {
        const a = await viaServerOrVault(
          g,
          (call) => call<AgentRecord>('agents.resume', { agent: who }),
          (reg, audited) => {
            const found = reg.find(who);
            if (found.suspendedAt === null) return Promise.resolve(found);
            return audited(
              () => reg.resume(found.id),
              'agent.resume',
              (r) => ({ agentId: r.id }),
            );
          },
        );
        emit(g, a, (x) => `${neutraliseLine(x.name)} (${x.id}) is active again.`);
      }),
    );
}
