// The owner's inbox of recent request outcomes (read-only).
import { inboxContracts } from '../../shared/inbox.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { DesktopInbox } from '../services/desktop-inbox.js';
import { handle, type RegisteredHandler } from './handle.js';
import type { SenderPolicy } from './sender-policy.js';

export function inboxHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  const inbox = new DesktopInbox(backend);
  return [handle(policy, inboxContracts.list, ({ limit }) => inbox.list(limit))];
}
