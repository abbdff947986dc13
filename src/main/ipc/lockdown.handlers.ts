// Lockdown handlers: engaging is one click; lifting needs the vault's credential (an OwnerProof).
import { lockdownContracts } from '../../shared/lockdown.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { handle, type RegisteredHandler } from './handle.js';
import type { SenderPolicy } from './sender-policy.js';

export function lockdownHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  return [
    handle(policy, lockdownContracts.status, () => backend.lockdownStatus()),
    handle(policy, lockdownContracts.engage, ({ reason }) => backend.engageLockdown(reason)),
    handle(policy, lockdownContracts.lift, ({ credential }) => backend.liftLockdown(credential)),
  ];
}
