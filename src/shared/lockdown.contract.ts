// Lockdown: one click to refuse every recall; lifting it needs the vault's own credential again.
import { z } from 'zod';
import { lockdownReasonSchema } from '../core/common/approval-input.schema.js';
import { invokeContract, noArgs } from './contract.js';
import { ownerCredentialSchema } from './vault.contract.js';

export const lockdownStateSchema = z.object({
  on: z.boolean(),
  since: z.number().nullable(),
  by: z.string().nullable(),
  reason: z.string().nullable(),
});
export type LockdownStateDto = z.infer<typeof lockdownStateSchema>;

export const lockdownContracts = {
  status: invokeContract('lockdown:status', noArgs, lockdownStateSchema),
  engage: invokeContract('lockdown:engage', z.object({ reason: lockdownReasonSchema.optional() }).strict(), lockdownStateSchema),
  lift: invokeContract('lockdown:lift', z.object({ credential: ownerCredentialSchema }).strict(), lockdownStateSchema),
} as const;
