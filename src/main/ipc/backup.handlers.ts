// Backup handlers: create, open, verify and restore backups (desktop-backup.ts). One service per
// registration: it keeps the files the owner chose for this window.
import { backupContracts } from '../../shared/backup.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { DesktopBackups } from '../services/desktop-backup.js';
import { handle, type RegisteredHandler } from './handle.js';
import type { SenderPolicy } from './sender-policy.js';

export function backupHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  const backups = new DesktopBackups(backend);
  return [
    handle(policy, backupContracts.list, () => backups.list()),
    handle(policy, backupContracts.create, ({ protection }) => backups.create(protection)),
    handle(policy, backupContracts.open, () => backups.open()),
    handle(policy, backupContracts.verify, ({ backupId, unlock }) => backups.verify(backupId, unlock)),
    handle(policy, backupContracts.restore, (args) => backups.restore(args)),
  ];
}
