// `memory-vault boundary …`: where environment verdicts come from (Agent-OS boundary daemon or
// local detection), the owner's air-gap assertion and online policy.
import type { Command } from 'commander';
import { VaultError } from '../../../core/errors.js';
import { loadBoundaryConfig, type BoundaryConfig } from '../../../core/integrations/boundary/boundary-config.js';
import { boundaryHealth, type BoundaryHealth } from '../../../node/integrations/boundary-health.js';
import { changeBoundaryConfig } from '../../../node/integrations/boundary-settings.js';
import type { VaultSession } from '../../../node/vault/vault-session.js';
import { emit } from '../../io/output.js';
import { withVault, type GlobalOptions } from '../../io/vault-access.js';
import { intOption, run } from '../run.js';

function renderHealth(h: BoundaryHealth): string {
  const lines = [
    `provider: ${h.provider}`,
    `daemon setting: ${h.config.daemon}`,
    `air gap asserted: ${h.config.airgap ? 'yes' : 'no'}`,
    `online policy: up to level ${h.config.onlineMaxLevel}`,
    `external model access: ${h.config.externalModels === true ? 'on (levels 3–5 refused to agents)' : 'off'}`,
  ];
  if (h.daemon)
    lines.push(
      `daemon: ${h.daemon.socketPath} — ${h.daemon.reachable ? `answers, mode ${h.daemon.mode}` : `unreachable (${h.daemon.error})`}`,
    );
  if (h.local) lines.push(`local: ${h.local.mode} — ${h.local.detail}`);
  lines.push(`releases now: levels 0–${h.releasesUpTo}`);
  for (const p of h.problems) lines.push(`problem: ${p}`);
  return lines.join('\n');
}

async function change(session: VaultSession, patch: Partial<BoundaryConfig>): Promise<BoundaryConfig> {
  // The settings and their `boundary.config` leaf commit together (boundary-settings.ts).
  return changeBoundaryConfig(session.engine, patch, { type: 'owner', id: session.ownerProof().channel });
}

export function registerBoundaryCommands(program: Command, globals: () => GlobalOptions): void {
  const boundary = program
    .command('boundary')
    .description('Environment gate for level ≥ 3 recalls: Agent-OS boundary daemon or local network detection');

  boundary
    .command('status')
    .description('Show the boundary settings and what the environment releases right now')
    .action(() =>
      run(globals(), async (g) => emit(g, await withVault(g, (s) => boundaryHealth(loadBoundaryConfig(s.ports.state))), renderHealth)),
    );

  boundary
    .command('set-socket <path>')
    .description(
      'Use the boundary daemon at PATH (fails closed if it is down); "auto" = the default socket when present; "off" = local detection only',
    )
    .action((path: string) =>
      run(globals(), async (g) =>
        emit(g, await withVault(g, (s) => change(s, { daemon: path })), (c) => `boundary daemon setting: ${c.daemon}`),
      ),
    );

  boundary
    .command('airgap <state>')
    .description('on|off: the owner asserts this machine is air-gapped (local detection only)')
    .action((state: string) =>
      run(globals(), async (g) => {
        if (state !== 'on' && state !== 'off') throw new VaultError('INVALID_INPUT', 'Say `airgap on` or `airgap off`.');
        emit(g, await withVault(g, (s) => change(s, { airgap: state === 'on' })), (c) => `air gap asserted: ${c.airgap ? 'yes' : 'no'}`);
      }),
    );

  boundary
    .command('external-models <state>')
    .description('on|off: models outside this machine can receive recalled content; while on, levels 3–5 are refused (reference §7)')
    .action((state: string) =>
      run(globals(), async (g) => {
        if (state !== 'on' && state !== 'off') throw new VaultError('INVALID_INPUT', 'Say `external-models on` or `external-models off`.');
        emit(
          g,
          await withVault(g, (s) => change(s, { externalModels: state === 'on' })),
          (c) => `external model access: ${c.externalModels === true ? 'on — levels 3–5 refused' : 'off'}`,
        );
      }),
    );

  boundary
    .command('online-max-level <level>')
    .description('Highest level released while online by the local check (2–5; default 3)')
    .action((level: string) =>
      run(globals(), async (g) => {
        const n = intOption(level, 'level', 2, 5);
        emit(g, await withVault(g, (s) => change(s, { onlineMaxLevel: n })), (c) => `online policy: up to level ${c.onlineMaxLevel}`);
      }),
    );
}
