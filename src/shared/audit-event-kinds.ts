// The audit event kinds for the renderer (no zod in its bundle): the one list from core/common.
export { AUDIT_EVENT_KINDS } from '../core/common/audit-event-kinds.js';
export type { AuditEventKind } from '../core/common/audit-event-kinds.js';
