// Vault lifecycle handlers: status, first-run create, unlock, lock.
import { vaultContracts } from '../../shared/vault.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { handle, type RegisteredHandler } from './handle.js';
import type { SenderPolicy } from './sender-policy.js';

export function vaultHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  return [
    handle(policy, vaultContracts.status, () => backend.status()),
    handle(policy, vaultContracts.create, ({ credential }) => backend.create(credential)),
    handle(policy, vaultContracts.unlock, ({ credential }) => backend.unlock(credential)),
    handle(policy, vaultContracts.lock, () => backend.lock()),
  ];
}
