// `memory-vault governance …`: the Agent-OS governance daemon as configured for the boundary.
import type { Command } from 'commander';
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
        emit(g, await withVault(g, (s) => governanceFor(s).status()), (st) =>
          st.configured ? `${st.where}: ${st.reachable ? `answers${st.mode ? `, mode ${st.mode}` : ''}` : st.detail}` : st.detail,
        ),
      ),
    );
  governance
    .command('check <agent> <action>')
    .description('Ask the daemon whether an agent may perform an action (the decision is audited)')
    .option('--memory <id>', 'the memory concerned')
    .action((agent: string, action: string, o: { memory?: string }) =>
      run(globals(), async (g) =>
        emit(
          g,
          await withVault(g, (s) => governanceFor(s).authorize({ agentId: agent, action, ...(o.memory ? { memoryId: o.memory } : {}) })),
          (d) => `${d.permitted ? 'permitted' : 'refused'}: ${d.reason}`,
        ),
      ),
    );
}
