// Owner approval handlers: the renderer is an owner channel ('desktop'); `decide` is the only
// approve/deny path and it exists only here.
import { approvalsContracts } from '../../shared/approvals.contract.js';
import type { DesktopBackend } from '../services/desktop-backend.service.js';
import { handle, type RegisteredHandler } from './handle.js';
import type { SenderPolicy } from './sender-policy.js';

export function approvalsHandlers(policy: SenderPolicy, backend: DesktopBackend): RegisteredHandler[] {
  return [
    handle(policy, approvalsContracts.list, () => backend.pendingApprovals()),
    handle(policy, approvalsContracts.decide, ({ requestId, approve, grantMinutes, digest }) =>
      backend.decide(requestId, approve, grantMinutes, digest),
    ),
  ];
}
