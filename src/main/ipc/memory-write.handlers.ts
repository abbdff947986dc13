// The owner's memory writes: store a new memory, edit a memory's labels (desktop-memory-write.ts).
import { memoryWriteContracts } from '../../shared/memory-write.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { DesktopMemoryWrites } from '../services/desktop-memory-write.js';
import { handle, type RegisteredHandler } from './handle.js';
import type { SenderPolicy } from './sender-policy.js';

export function memoryWriteHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  const writes = new DesktopMemoryWrites(backend);
  return [
    handle(policy, memoryWriteContracts.store, (req) => writes.store(req)),
    handle(policy, memoryWriteContracts.editLabels, (req) => writes.editLabels(req)),
  ];
}
