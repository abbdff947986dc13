// Every capability that crosses the bridge, in one closed table (main registers exactly these).
import { agentsContracts } from './agents.contract.js';
import { approvalsContracts } from './approvals.contract.js';
import { auditContracts } from './audit.contract.js';
import { backupContracts } from './backup.contract.js';
import { clipboardContracts } from './clipboard.contract.js';
import { deadmanContracts } from './deadman.contract.js';
import { grantsContracts } from './grants.contract.js';
import { inboxContracts } from './inbox.contract.js';
import { keyTouchContracts } from './key-touch.contract.js';
import { lockdownContracts } from './lockdown.contract.js';
import { memoriesContracts } from './memories.contract.js';
import { memoryWriteContracts } from './memory-write.contract.js';
import { recoveryContracts } from './recovery.contract.js';
import { securityKeysContracts } from './security-keys.contract.js';
import { settingsContracts } from './settings.contract.js';
import { vaultContracts } from './vault.contract.js';

export const contracts = {
  vault: vaultContracts,
  approvals: approvalsContracts,
  memories: memoriesContracts,
  memoryWrite: memoryWriteContracts,
  audit: auditContracts,
  lockdown: lockdownContracts,
  agents: agentsContracts,
  grants: grantsContracts,
  settings: settingsContracts,
  keyTouch: keyTouchContracts,
  inbox: inboxContracts,
  backup: backupContracts,
  clipboard: clipboardContracts,
  recovery: recoveryContracts,
  securityKeys: securityKeysContracts,
  deadman: deadmanContracts,
} as const;

export type Contracts = typeof contracts;

export function allChannels(): string[] {
  return Object.values(contracts).flatMap((group) => Object.values(group).map((c) => c.channel));
}
