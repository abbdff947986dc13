// Grant handlers: the owner lists live level-3 grants and revokes one (audited as grant.revoke).
import { grantsContracts } from '../../shared/grants.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { handle, type RegisteredHandler } from './handle.js';
import type { SenderPolicy } from './sender-policy.js';

export function grantsHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  return [
    handle(policy, grantsContracts.list, () => backend.listGrants()),
    handle(policy, grantsContracts.revoke, ({ grantId }) => backend.revokeGrant(grantId)),
  ];
}
