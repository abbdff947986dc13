// Audit events are the leaves of the transparency log. Invariant: no plaintext and no key
// material ever appears in an event — memories appear as id, level and a hiding commitment;
// search queries as a hash; keys as fingerprints.
import type { ErrorCode } from '../errors.js';
import type { Level } from '../levels.js';

export const AUDIT_EVENT_KINDS = [
  'vault.init',
  'vault.unlock',
  'memory.store',
  'memory.recall',
  'memory.search',
  'memory.list',
  'memory.tombstone',
  'memory.purge',
  'approval.requested',
  'approval.granted',
  'approval.denied',
  'approval.expired',
  'approval.cancelled',
  'lockdown.on',
  'lockdown.off',
  'profile.change',
  'key.rotation',
  'agent.create',
  'agent.revoke',
  'backup.create',
  'backup.restore',
  'audit.export',
  'boundary.denied',
  'integrity.failure',
  'owner.auth',
  'boundary.config',
  'intent.link',
  'intent.unlink',
  'existence.export',
  'effort.receipt',
  'governance.decision',
  'escrow.create',
  'escrow.delete',
  'escrow.recover',
  'deadman.arm',
  'deadman.checkin',
  'deadman.disarm',
  'deadman.release',
  'lockdown.rules',
  'unlock.failed',
  'grant.revoke',
  'agent.suspend',
  'agent.resume',
  // Desktop settings saved: details name the settings that changed, never their values.
  'settings.change',
  // Failed agent logins, aggregated: one leaf per source per interval with the count.
  'agent.auth',
  // Requests refused by the agent socket's rate/resource limits, aggregated the same way.
  'agent.throttle',
  // The owner changed an agent's command allowlist (issue 19): details name the agent, the entry
  // id, its executable and its digest (agentCommandDigest), never a secret or a resolved value.
  'command.allow',
  'command.disallow',
  // A secret resolved for a command (issue 19): memory id, requester and the command's digest
  // (use-purpose.ts commandDigest), never argv or the value. Refusals of a use are this kind too.
  'memory.use',
] as const;

export type AuditEventKind = (typeof AUDIT_EVENT_KINDS)[number];

export type AuditOutcome = 'ok' | 'refused' | 'error';

export type AuditScalar = string | number | boolean | null;

export interface AuditEventInput {
  readonly kind: AuditEventKind;
  readonly actor: { readonly type: 'owner' | 'agent' | 'system'; readonly id: string };
  readonly outcome: AuditOutcome;
  readonly memory?: { readonly id: string; readonly level: Level; readonly commitment?: string };
  readonly code?: ErrorCode;
  readonly reason?: string;
  readonly details?: Readonly<Record<string, AuditScalar | readonly AuditScalar[]>>;
}

/** The stored leaf: the event plus its position and time, serialized as RFC 8785 JSON. */
export interface AuditLeaf extends AuditEventInput {
  readonly v: 1;
  readonly seq: number;
  readonly ts: string;
}
