// Recovery handlers: key rotation (desktop-rotation.ts) and escrow shares (desktop-escrow.ts).
import { recoveryContracts } from '../../shared/recovery.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { DesktopEscrows } from '../services/desktop-escrow.js';
import { rotateFromDesktop } from '../services/desktop-rotation.js';
import { handle, type RegisteredHandler } from './handle.js';
import type { SenderPolicy } from './sender-policy.js';

export function recoveryHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  const escrows = new DesktopEscrows(backend);
  return [
    handle(policy, recoveryContracts.rotate, (args) => rotateFromDesktop(backend, args)),
    handle(policy, recoveryContracts.listEscrows, () => escrows.list()),
    handle(policy, recoveryContracts.pendingEscrows, () => escrows.pending()),
    handle(policy, recoveryContracts.createEscrow, (args) => escrows.create(args)),
    handle(policy, recoveryContracts.saveShare, ({ escrowId, index }) => escrows.saveShare(escrowId, index)),
    handle(policy, recoveryContracts.dismissShares, ({ escrowId }) => escrows.dismiss(escrowId)),
    handle(policy, recoveryContracts.deleteEscrow, ({ escrowId }) => escrows.delete(escrowId)),
  ];
}
