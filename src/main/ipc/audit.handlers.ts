// Audit browser handlers: paged listing, full verification, proof-bundle export.
import { auditContracts } from '../../shared/audit.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { handle, type RegisteredHandler } from './handle.js';
import type { SenderPolicy } from './sender-policy.js';

export function auditHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  return [
    handle(policy, auditContracts.list, (query) => backend.auditPage(query)),
    handle(policy, auditContracts.verify, () => backend.verifyAudit()),
    handle(policy, auditContracts.exportBundle, ({ filter }) => backend.exportBundle(filter)),
  ];
}
