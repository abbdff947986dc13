// FIDO2 security key handlers: list, register (waits for the touch), cancel, rename, revoke.
import { securityKeysContracts } from '../../shared/security-keys.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { DesktopSecurityKeys } from '../services/desktop-security-keys.js';
import { handle, type RegisteredHandler } from './handle.js';
import type { SenderPolicy } from './sender-policy.js';

export function securityKeysHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  const keys = new DesktopSecurityKeys(backend);
  return [
    handle(policy, securityKeysContracts.list, ({ includeRevoked }) => keys.list(includeRevoked === true)),
    handle(policy, securityKeysContracts.register, ({ name, pin }) => keys.register(name, pin)),
    handle(policy, securityKeysContracts.cancelRegister, () => ({ cancelled: keys.cancelRegister() })),
    handle(policy, securityKeysContracts.rename, ({ id, name }) => keys.rename(id, name)),
    handle(policy, securityKeysContracts.revoke, ({ id, force }) => keys.revoke(id, force === true)),
  ];
}
