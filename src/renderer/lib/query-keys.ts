// One place for react-query keys, so invalidation after a mutation cannot miss a view.
import type { AuditFilterDto, AuditOrder } from '../../shared/audit.contract.js';

export const queryKeys = {
  status: ['vault', 'status'] as const,
  approvals: ['approvals'] as const,
  lockdown: ['lockdown'] as const,
  memories: (query: string) => ['memories', query] as const,
  memoriesAll: ['memories'] as const,
  auditPages: (filter: AuditFilterDto, order: AuditOrder) => ['audit', 'pages', order, filter] as const,
  auditAll: ['audit'] as const,
  /** Not under 'audit': a full verification must not re-run on every appended event (the app shell keeps it mounted). */
  auditVerify: ['integrity', 'verify'] as const,
  /** Agent records only: a created token never goes into the query cache. */
  agents: ['agents'] as const,
  settings: ['settings'] as const,
  grants: ['grants'] as const,
  backups: ['backups'] as const,
  escrows: ['escrows'] as const,
  pendingEscrows: ['escrows', 'pending'] as const,
  securityKeys: ['security-keys'] as const,
  /** A touch updates a key's counter and last use: the dead-man screen invalidates this too. */
  deadman: ['deadman'] as const,
  /** Level-5 security-key attempts (updated in place by main's key:touch-status pushes). */
  keyTouch: ['key-touch'] as const,
  inbox: ['inbox'] as const,
};
