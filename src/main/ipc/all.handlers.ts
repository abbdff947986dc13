// The complete, closed set of IPC handlers. tests/ipc checks it covers every shared contract.
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { agentsHandlers } from './agents.handlers.js';
import { approvalsHandlers } from './approvals.handlers.js';
import { auditHandlers } from './audit.handlers.js';
import { backupHandlers } from './backup.handlers.js';
import { clipboardHandlers } from './clipboard.handlers.js';
import { deadmanHandlers } from './deadman.handlers.js';
import { grantsHandlers } from './grants.handlers.js';
import type { RegisteredHandler } from './handle.js';
import { inboxHandlers } from './inbox.handlers.js';
import { keyTouchHandlers } from './key-touch.handlers.js';
import { lockdownHandlers } from './lockdown.handlers.js';
import { memoriesHandlers } from './memories.handlers.js';
import { memoryWriteHandlers } from './memory-write.handlers.js';
import { recoveryHandlers } from './recovery.handlers.js';
import { securityKeysHandlers } from './security-keys.handlers.js';
import type { SenderPolicy } from './sender-policy.js';
import { settingsHandlers } from './settings.handlers.js';
import { vaultHandlers } from './vault.handlers.js';

export function allHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  return [
    ...vaultHandlers(policy, backend),
    ...approvalsHandlers(policy, backend),
    ...memoriesHandlers(policy, backend),
    ...memoryWriteHandlers(policy, backend),
    ...auditHandlers(policy, backend),
    ...lockdownHandlers(policy, backend),
    ...agentsHandlers(policy, backend),
    ...grantsHandlers(policy, backend),
    ...settingsHandlers(policy, backend),
    ...keyTouchHandlers(policy, backend),
    ...inboxHandlers(policy, backend),
    ...backupHandlers(policy, backend),
    ...clipboardHandlers(policy, backend),
    ...recoveryHandlers(policy, backend),
    ...securityKeysHandlers(policy, backend),
    ...deadmanHandlers(policy, backend),
  ];
}
