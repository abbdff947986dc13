// The integration commands (issue 8), registered together from src/cli/main.ts.
import type { Command } from 'commander';
import type { GlobalOptions } from '../../io/vault-access.js';
import { registerAnchorCommands } from './anchor.js';
import { registerBoundaryCommands } from './boundary.js';
import { registerEffortCommands } from './effort.js';
import { registerExistenceCommands } from './existence.js';
import { registerGovernanceCommands } from './governance.js';
import { registerIntentCommands } from './intents.js';

export function registerIntegrationCommands(program: Command, globals: () => GlobalOptions): void {
  registerBoundaryCommands(program, globals);
  registerIntentCommands(program, globals);
  registerExistenceCommands(program, globals);
  registerAnchorCommands(program, globals);
  registerEffortCommands(program, globals);
  registerGovernanceCommands(program, globals);
}
