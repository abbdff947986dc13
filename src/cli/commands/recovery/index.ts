// Issue 7 commands: backups, key rotation, escrow and recovery, dead-man switch, lockdown rules.
import type { Command } from 'commander';
import type { GlobalOptions } from '../../io/vault-access.js';
import { registerBackupCommands } from './backup.js';
import { registerDeadmanCommands } from './deadman.js';
import { registerEscrowCommands } from './escrow.js';
import { registerLockdownRulesCommand } from './lockdown-rules.js';
import { registerRotateCommand } from './rotate.js';

export function registerRecoveryCommands(program: Command, globals: () => GlobalOptions): void {
  registerBackupCommands(program, globals);
  registerRotateCommand(program, globals);
  registerEscrowCommands(program, globals);
  registerDeadmanCommands(program, globals);
  registerLockdownRulesCommand(program, globals);
}
