// The owner channel of a running server: a second socket whose every connection must first
// log in with OPAQUE (src/node/owner-channel): the owner's passphrase or keyfile never crosses
// the socket, the client checks that the server holds the vault's registration, and every frame
// after login is sealed. Agents running as the same OS user can reach (and even replace) the
// socket file, so neither file permissions nor the socket path are what makes a peer the owner.
import { z } from 'zod';
import { levelSchema } from '../../core/model/store-input.js';
import { isPlainText, PLAIN_TEXT_MESSAGE } from '../../core/text/terminal-text.js';

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

/** Methods served only after login, inside the sealed channel. */
export const ownerMethodSchemas = {
  'approvals.list': z.object({}).strict(),
  'approvals.decide': z.object({ requestId: z.string().uuid(), approve: z.boolean(), grantMinutes: z.number().int().min(0).max(60).optional(), digest: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
  'agents.create': z
    .object({
      name: z.string().regex(/^[\w.-]{1,64}$/).refine(isPlainText, PLAIN_TEXT_MESSAGE),
      maxLevel: levelSchema,
      namespaces: z.array(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i)).max(64).nullable(),
      expiresAt: z.number().int().nullable(),
    })
    .strict(),
  'agents.list': z.object({}).strict(),
  'agents.revoke': z.object({ agent: z.string().min(1).max(64) }).strict(),
  /** Lift an agent's suspension (refusal burst); audited as agent.resume. */
  'agents.resume': z.object({ agent: z.string().min(1).max(64) }).strict(),
  'vault.status': z.object({}).strict(),
  'lockdown.set': z.object({ on: z.boolean(), reason: z.string().max(500).optional() }).strict(),
  /** Live level-3 grants (agent + memory, until when). */
  'grants.list': z.object({}).strict(),
  /** Delete one grant now; audited as grant.revoke. */
  'grants.revoke': z.object({ grantId: z.string().uuid() }).strict(),
} as const;

export type OwnerMethod = keyof typeof ownerMethodSchemas;
export type OwnerParams<M extends OwnerMethod> = z.output<(typeof ownerMethodSchemas)[M]>;

export function isOwnerMethod(m: string): m is OwnerMethod {
  return Object.prototype.hasOwnProperty.call(ownerMethodSchemas, m);
}
