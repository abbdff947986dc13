// Dead-man switch handlers: status, arm (waits for the key touch), check in, disarm.
import { deadmanContracts } from '../../shared/deadman.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { DesktopDeadman } from '../services/desktop-deadman.js';
import { handle, type RegisteredHandler } from './handle.js';
import type { SenderPolicy } from './sender-policy.js';

export function deadmanHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  const deadman = new DesktopDeadman(backend);
  return [
    handle(policy, deadmanContracts.status, () => deadman.status()),
    handle(policy, deadmanContracts.arm, (input) => deadman.arm(input)),
    handle(policy, deadmanContracts.checkIn, () => deadman.checkIn()),
    handle(policy, deadmanContracts.disarm, () => deadman.disarm()),
  ];
}
