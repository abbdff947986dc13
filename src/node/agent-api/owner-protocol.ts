// The owner channel of a running server: a second socket whose every connection must first
// log in with OPAQUE (src/node/owner-channel): the owner's passphrase or keyfile never crosses
// the socket, the client checks that the server holds the vault's registration, and every frame
// after login is sealed. Agents running as the same OS user can reach (and even replace) the
// socket file, so neither file permissions nor the socket path are what makes a peer the owner.
import { z } from 'zod';
import { agentNameSchema, agentNamespacesSchema } from '../../core/common/agent-input.schema.js';
import { approvalDecisionSchema, lockdownReasonSchema } from '../../core/common/approval-input.schema.js';
import { agentRefSchema, grantIdSchema } from '../../core/common/ids.schema.js';
import { levelSchema } from '../../core/common/level.schema.js';
import { ownerWorkSchemas } from './owner-vault-work.js';

/**
 * Login messages, the only ones served in clear (src/node/owner-channel/owner-transport.ts).
 * They carry OPAQUE messages (base64url), never the credential.
 */
export const ownerLoginSchemas = {
  'owner.login.start': z.object({ startLoginRequest: z.string().max(4096) }).strict(),
  'owner.login.finish': z.object({ finishLoginRequest: z.string().max(4096) }).strict(),
} as const;
export type OwnerLoginMethod = keyof typeof ownerLoginSchemas;
export const loginStartResultSchema = z.object({ loginResponse: z.string().max(4096) }).strict();
export const loginFinishResultSchema = z.object({ ok: z.literal(true) }).strict();

/** Methods served only after login, inside the sealed channel. Field schemas come from core/common, shared with the IPC contracts. */
export const ownerMethodSchemas = {
  'approvals.list': z.object({}).strict(),
  'approvals.decide': approvalDecisionSchema,
  'agents.create': z
    .object({
      name: agentNameSchema,
      maxLevel: levelSchema,
      /** null = every namespace; a list is non-empty and distinct, as on the desktop. */
      namespaces: agentNamespacesSchema.nullable(),
      expiresAt: z.number().int().nullable(),
    })
    .strict(),
  'agents.list': z.object({}).strict(),
  'agents.revoke': z.object({ agent: agentRefSchema }).strict(),
  /** Lift an agent's suspension (refusal burst); audited as agent.resume. */
  'agents.resume': z.object({ agent: agentRefSchema }).strict(),
  'vault.status': z.object({}).strict(),
  'lockdown.set': z.object({ on: z.boolean(), reason: lockdownReasonSchema.optional() }).strict(),
  /** Live level-3 grants (agent + memory, until when). */
  'grants.list': z.object({}).strict(),
  /** Delete one grant now; audited as grant.revoke. */
  'grants.revoke': z.object({ grantId: grantIdSchema }).strict(),
  /** Issue 19: an agent's command allowlist (entry parsed again by command-allowlist.service.ts). */
  'agentCommands.allow': z.object({ agent: z.string().min(1).max(64), entry: z.unknown() }).strict(),
  'agentCommands.list': z.object({ agent: z.string().min(1).max(64) }).strict(),
  'agentCommands.disallow': z.object({ agent: z.string().min(1).max(64), commandId: z.string().uuid() }).strict(),
  /** Issue 16: owner work on the served vault (audit verify / export, backup create), see owner-vault-work.ts. */
  ...ownerWorkSchemas,
} as const;

export type OwnerMethod = keyof typeof ownerMethodSchemas;
export type OwnerParams<M extends OwnerMethod> = z.output<(typeof ownerMethodSchemas)[M]>;

export function isOwnerMethod(m: string): m is OwnerMethod {
  return Object.prototype.hasOwnProperty.call(ownerMethodSchemas, m);
}
