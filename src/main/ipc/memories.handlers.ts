// Memory browser handlers: metadata only, except the explicit (re-authenticated) reveal.
import { memoriesContracts } from '../../shared/memories.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { handle, type RegisteredHandler } from './handle.js';
import type { SenderPolicy } from './sender-policy.js';

export function memoriesHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  return [
    handle(policy, memoriesContracts.search, ({ query, limit }) => backend.search(query, limit)),
    handle(policy, memoriesContracts.list, (args) => backend.list(args)),
    handle(policy, memoriesContracts.describe, ({ memoryId }) => backend.describe(memoryId)),
    handle(policy, memoriesContracts.reveal, ({ memoryId, credential }) => backend.reveal(memoryId, credential)),
    handle(policy, memoriesContracts.tombstone, ({ memoryId, confirmShortId }) => backend.tombstone(memoryId, confirmShortId)),
  ];
}
