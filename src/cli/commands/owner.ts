import type { Command } from 'commander';
import { VaultError } from '../../core/errors.js';
import { LEVEL_NAMES, LEVELS } from '../../core/levels.js';
import { emit } from '../io/output.js';
import { hasTty, promptLine } from '../io/tty-prompt.js';
import { withVault, type GlobalOptions } from '../io/vault-access.js';
import { describeRow } from './memory.js';
import { run } from './run.js';
import { join } from 'node:path';
import type { LockdownState } from '../../core/engine/lockdown.js';
import type { VaultStatus } from '../../core/engine/vault-engine.js';
import { serverProcessStatusSchema } from '../../node/agent-api/server-process-status.js';
import { OWNER_SOCKET } from '../../node/agent-api/vault-server.js';
import { resolveVaultDir } from '../../node/vault/vault-paths.js';
import { withOwnerChannel } from '../io/owner-channel.js';
import { collectHealth } from '../io/health.js';
import { neutraliseLine } from '../../core/text/terminal-text.js';

const ownerSocketOf = (g: GlobalOptions) => join(resolveVaultDir(g.vault), OWNER_SOCKET);

export function registerOwnerCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('tombstone <memory>')
    .description('Make a memory unrecallable forever (its key is destroyed; metadata stays for the audit log)')
    .option('--confirm <shortId>', "type the memory's short id to confirm (asked on the terminal otherwise)")
    .option('--reason <text>', 'why (recorded as a length only)')
    .action((memory: string, o: { confirm?: string; reason?: string }) =>
      run(globals(), async (g) => {
        const summary = await withVault(g, async (s) => {
          const m = s.engine.describe(memory);
          let confirm = o.confirm;
          if (confirm === undefined) {
            if (!hasTty()) throw new VaultError('INVALID_INPUT', 'Confirm with --confirm SHORTID (no terminal to ask).');
            process.stderr.write(`This makes memory ${describeRow(m)} unrecallable forever.\n`);
            confirm = await promptLine(`Type its short id (${m.shortId}) to confirm: `, false);
          }
          return s.engine.tombstone({ memoryId: m.id, confirmShortId: confirm, ...(o.reason ? { reason: o.reason } : {}) }, s.ownerProof());
        });
        emit(g, summary, (m) => `Tombstoned ${m.shortId} "${m.title}".`);
      }),
    );

  program
    .command('lockdown <action>')
    .description('on | off | status — while on, every recall is refused; turning it off needs your unlock')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .action((action: string, o: { reason?: string }) =>
      run(globals(), async (g) => {
        if (!['on', 'off', 'status'].includes(action)) throw new VaultError('INVALID_INPUT', 'lockdown takes on, off or status.');
        // With a server running, go through its owner socket rather than opening the vault twice.
        const remote = await withOwnerChannel(g, ownerSocketOf(g), (c) =>
          action === 'status'
            ? c.call<{ lockdown: LockdownState }>('vault.status').then((st) => st.lockdown)
            : c.call<LockdownState>('lockdown.set', { on: action === 'on', ...(o.reason ? { reason: o.reason } : {}) }),
        );
        const state = remote.used
          ? remote.value
          : await withVault(g, (s) => {
              if (action === 'on') return s.engine.lockdownOn({ kind: 'owner', channel: 'cli' }, o.reason ?? 'Owner request');
              if (action === 'off') return s.engine.lockdownOff(s.ownerProof());
              return Promise.resolve(s.engine.lockdownStatus());
            });
        emit(g, state, (st) =>
          st.on ? `Lockdown is ON since ${new Date(st.since ?? 0).toISOString()} (${st.reason ?? 'no reason'}).` : 'Lockdown is off.',
        );
      }),
    );

  program
    .command('purge')
    .description('Delete level-0 memories whose TTL has passed (also runs on every unlock)')
    .action(() =>
      run(globals(), async (g) => {
        // Unlocking already purges; report that too, or `purge` would always say 0.
        const r = await withVault(g, async (s) => ({ purged: s.purgedAtUnlock + (await s.engine.purgeExpired()).purged }));
        emit(g, r, (x) => `Purged ${x.purged} expired memories.`);
      }),
    );

  program
    .command('status')
    .description('Counts per level, audit log size, lockdown state; through a running server also its RSS and connections')
    .action(() =>
      run(globals(), async (g) => {
        type Suspended = { readonly id: string; readonly name: string }[];
        const remote = await withOwnerChannel(g, ownerSocketOf(g), (c) =>
          c.call<{ dir: string; vaultId: string; suspendedAgents?: Suspended; server?: unknown } & VaultStatus>('vault.status'),
        );
        const st = remote.used
          ? remote.value
          : await withVault(g, async (s) => {
              const health = await collectHealth(s);
              return { dir: s.paths.dir, vaultId: s.header.vaultId, ...s.engine.status(), suspendedAgents: health.suspendedAgents, health };
            });
        emit(g, st, (x) =>
          [
            `vault ${x.vaultId} at ${x.dir}`,
            ...LEVELS.map((l) => `  level ${l} ${LEVEL_NAMES[l].padEnd(9)} ${x.memories[l]}`),
            `  audit events: ${x.auditEvents}`,
            `  lockdown: ${x.lockdown.on ? `ON (${x.lockdown.reason ?? ''})` : 'off'}`,
            // A refusal burst suspends one agent; `agent resume` lifts it.
            ...(x.suspendedAgents ?? []).map(
              (a) => `  agent SUSPENDED: ${neutraliseLine(a.name)} (${a.id}) — \`memory-vault agent resume ${a.id}\``,
            ),
            `  limits: ${Object.entries(x.limits ?? {})
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`,
            ...serverLine('server' in x ? x.server : undefined),
          ].join('\n'),
        );
      }),
    );
}

/** The running server's own process (`serve` or the desktop), when status came over its owner socket. */
function serverLine(raw: unknown): string[] {
  const parsed = serverProcessStatusSchema.safeParse(raw);
  if (!parsed.success) return [];
  const p = parsed.data;
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
  return [
    `  server: pid ${p.pid}, RSS ${mb(p.rssBytes)} (heap ${mb(p.heapUsedBytes)}, external ${mb(p.externalBytes)}), up ${p.uptimeSeconds} s, ${p.agentConnections} agent / ${p.ownerConnections} owner connections`,
  ];
}
