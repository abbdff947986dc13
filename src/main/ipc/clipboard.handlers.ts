// Copying revealed content to the OS clipboard, cleared after a while (clipboard-guard.ts).
import { VaultError } from '../../core/errors.js';
import { clipboardContracts } from '../../shared/clipboard.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { handle, type RegisteredHandler } from './handle.js';
import type { SenderPolicy } from './sender-policy.js';

export function clipboardHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  return [
    handle(policy, clipboardContracts.copySecret, ({ text }) => {
      // Only revealed content is copied, and that exists only while the vault is open.
      if (!backend.isUnlocked) throw new VaultError('VAULT_LOCKED', 'The vault is locked.');
      return backend.clipboard.copy(text);
    }),
  ];
}
