// The owner channel of a running server: a second socket whose every connection must first
// prove the owner's credentials (passphrase or keyfile, checked by unwrapping the profile key).
// Agents running as the same OS user can reach the socket file, so file permissions alone
// must not be what separates "owner" from "agent" here.
import { z } from 'zod';
import { levelSchema } from '../../core/model/store-input.js';
import { isPlainText, PLAIN_TEXT_MESSAGE } from '../../core/text/terminal-text.js';

export const ownerMethodSchemas = {
  'owner.login': z.union([
    z.object({ passphrase: z.string().max(4096) }).strict(),
    z.object({ keyfileBase64: z.string().max(65536) }).strict(),
  ]),
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
  'vault.status': z.object({}).strict(),
  'lockdown.set': z.object({ on: z.boolean(), reason: z.string().max(500).optional() }).strict(),
} as const;

export type OwnerMethod = keyof typeof ownerMethodSchemas;
export type OwnerParams<M extends OwnerMethod> = z.output<(typeof ownerMethodSchemas)[M]>;

export function isOwnerMethod(m: string): m is OwnerMethod {
  return Object.prototype.hasOwnProperty.call(ownerMethodSchemas, m);
}
