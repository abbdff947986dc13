// The owner's FIDO2 security keys (level 5) from the desktop window: list, register with a touch,
// rename, revoke. Nothing secret crosses: a credential id, a name, an AAGUID, a counter, times.
// The PIN (only for keys that have one) goes to main and no further than the key.
import { z } from 'zod';
import { invokeContract, noArgs } from './contract.js';

/** The same rule as `memory-vault key add --name` and the key store (1–64 printable characters). */
export const securityKeyNameSchema = z
  .string()
  .trim()
  .min(1, 'A key name needs 1 to 64 characters.')
  .max(64, 'A key name needs 1 to 64 characters.')
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'A key name must have printable characters only.');

/** A credential id as the vault stores it (base64url). */
export const securityKeyIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,1400}$/, 'not a security key id');

export const securityKeySchema = z.object({
  id: z.string(),
  shortId: z.string(),
  name: z.string(),
  aaguid: z.string(),
  signCount: z.number().int().min(0),
  /** Bound to the key's PIN (user verification) at registration. */
  userVerification: z.boolean(),
  cloneSuspected: z.boolean(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** Live level-5 memories wrapped to this key: revoking it makes them unrecallable. */
  boundMemories: z.number().int().min(0),
  /** This key armed the dead-man switch: revoked, nothing could disarm it (only a check-in keeps it from releasing). */
  armsDeadman: z.boolean(),
});
export type SecurityKeyDto = z.infer<typeof securityKeySchema>;

export const registerSecurityKeySchema = z
  .object({
    name: securityKeyNameSchema,
    /** Only when the key has a PIN set (the reply says so when one is needed). */
    pin: z.string().min(4).max(63).optional(),
  })
  .strict();

export const securityKeysContracts = {
  list: invokeContract('securityKeys:list', z.object({ includeRevoked: z.boolean().optional() }).strict(), z.array(securityKeySchema)),
  /** Waits for the owner's touch; ends with TOKEN_REQUIRED (no key), FIDO2_ERROR (PIN needed, timeout) or the new key. */
  register: invokeContract('securityKeys:register', registerSecurityKeySchema, securityKeySchema),
  /** Stop a registration that is waiting for a touch (CTAPHID CANCEL goes to the key). */
  cancelRegister: invokeContract('securityKeys:cancelRegister', noArgs, z.object({ cancelled: z.boolean() })),
  rename: invokeContract(
    'securityKeys:rename',
    z.object({ id: securityKeyIdSchema, name: securityKeyNameSchema }).strict(),
    securityKeySchema,
  ),
  /** `force`: revoke although level-5 memories are bound to it (they become unrecallable). */
  revoke: invokeContract(
    'securityKeys:revoke',
    z.object({ id: securityKeyIdSchema, force: z.boolean().optional() }).strict(),
    securityKeySchema,
  ),
} as const;
