// Settings handlers: read and replace the desktop settings kept in the vault.
import { settingsContracts } from '../../shared/settings.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { handle, type RegisteredHandler } from './handle.js';
import type { SenderPolicy } from './sender-policy.js';

export function settingsHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  return [
    handle(policy, settingsContracts.get, () => backend.settings()),
    handle(policy, settingsContracts.update, (settings) => backend.updateSettings(settings)),
  ];
}
