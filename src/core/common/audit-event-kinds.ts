// Every kind of audit leaf, in one list: the engine writes only these, the CLI's and desktop's
// audit filters offer exactly these (src/shared/audit-event-kinds.ts), docs/AGENT-API.md lists
// them (generated). Append only: a kind is part of the signed log's format.
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
  // The owner edited a memory's labels (title, tags, metadata): details name the fields changed,
  // never their old or new values.
  'memory.edit',
] as const;

export type AuditEventKind = (typeof AUDIT_EVENT_KINDS)[number];
