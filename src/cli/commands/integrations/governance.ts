// `memory-vault governance …`: the Agent-OS governance daemon as configured for the boundary.
import type { Command } from 'commander';
import { VaultError } from '../../../core/errors.js';
import { loadBoundaryConfig } from '../../../core/integrations/boundary/boundary-config.js';
import { changeBoundaryConfig } from '../../../node/integrations/boundary-settings.js';
import { governanceFor } from '../../../node/integrations/governance.js';
import { emit } from '../../io/output.js';
import { withVault, type GlobalOptions } from '../../io/vault-access.js';
import { run } from '../run.js';

export function registerGovernanceCommands(program: Command, globals: () => GlobalOptions): void {
  const governance = program
    .command('governance')
    .description('Agent-OS governance: verify agents and ask permission before sensitive actions');
  governance
    .command('status')
    .description('Whether a governance daemon is configured and answers')
    .action(() =>
      run(globals(), async (g) =>
        emit(
          g,
          await withVault(g, async (s) => ({
            ...(await governanceFor(s).status()),
            enforced: loadBoundaryConfig(s.ports.state).governance === 'enforce',
          })),
          (st) =>
            `${st.configured ? `${st.where}: ${st.reachable ? `answers${st.mode ? `, mode ${st.mode}` : ''}` : st.detail}` : st.detail}\n` +
            `enforced on agent requests: ${st.enforced ? 'yes' : 'no (memory-vault governance enforce on)'}`,
        ),
      ),
    );
  governance
    .command('enforce <on|off>')
    .description('Ask the daemon before every agent recall, use and store (fail closed); off: only `governance check` asks')
    .action((state: string) =>
      run(globals(), async (g) => {
        if (state !== 'on' && state !== 'off')
          throw new VaultError('INVALID_INPUT', 'Say `governance enforce on` or `governance enforce off`.');
        const next = await withVault(g, (s) =>
          changeBoundaryConfig(s.engine, { governance: state === 'on' ? 'enforce' : 'off' }, { type: 'owner', id: s.ownerProof().channel }),
        );
        emit(g, { enforced: next.governance === 'enforce', daemon: next.daemon }, (r) =>
          r.enforced
            ? `Governance enforced: agent requests now ask the Agent-OS daemon (${r.daemon}) first, failing closed.`
            : 'Governance not enforced: agent requests no longer ask the daemon.',
        );
      }),
    );
  governance
    .command('check <agent> <action>')
    .description('Ask the daemon whether an agent may perform an action (the decision is audited)')
    .option('--memory <id>', 'the memory concerned')
    .action((agent: string, action: string, o: { memory?: string }) =>
      run(globals(), async (g) =>
        emit(
          g,
          await withVault(g, (s) => {
            // The memory's class goes to the daemon as memory_class (it was sent as null).
            const memory = o.memory !== undefined ? s.engine.describe(o.memory) : undefined;
            return governanceFor(s).authorize({ agentId: agent, action, ...(memory ? { memoryId: memory.id, level: memory.level } : {}) });
          }),
          (d) => `${d.permitted ? 'permitted' : 'refused'}: ${d.reason}`,
        ),
      ),
    );
}
