// The dead-man switch from the desktop window: status, arm (with a touch of a registered security
// key), check in, disarm (with the key that armed it). Packages are sealed in main to the heirs'
// age recipients; only their names, recipients, counts and times come back.
import { z } from 'zod';
import { heirSchema } from '../core/common/heir-input.schema.js';
import { invokeContract, noArgs } from './contract.js';
import { ownerCredentialSchema } from './vault.contract.js';

export { heirSchema };

const MINUTE_MS = 60_000;
/** Ten years: longer than any check-in interval anyone means. */
const MAX_INTERVAL_MS = 10 * 366 * 24 * 60 * MINUTE_MS;

export const deadmanPhaseSchema = z.enum(['disarmed', 'armed', 'warning', 'grace', 'due', 'released']);

export const deadmanStatusSchema = z.object({
  armed: z.boolean(),
  switchId: z.string().nullable(),
  phase: deadmanPhaseSchema,
  deadline: z.string().nullable(),
  releaseAt: z.string().nullable(),
  msToDeadline: z.number().nullable(),
  heirs: z.array(heirSchema).readonly(),
  releaseDir: z.string().nullable(),
  memories: z.number().int().min(0),
  recoveryKeyIncluded: z.boolean(),
  released: z.object({ at: z.string(), files: z.array(z.string()).readonly() }).nullable(),
  warnings: z.array(z.string()).readonly(),
});
export type DeadmanStatusDto = z.infer<typeof deadmanStatusSchema>;

export const armDeadmanSchema = z
  .object({
    intervalMs: z.number().int().min(MINUTE_MS, 'The check-in interval must be at least a minute.').max(MAX_INTERVAL_MS),
    graceMs: z.number().int().min(0).max(MAX_INTERVAL_MS),
    /** An absolute directory on this computer where the packages are written on release. */
    releaseDir: z
      .string()
      .trim()
      .min(1, 'Choose where packages are written on release.')
      .max(4096)
      .refine((p) => /^(\/|[A-Za-z]:[\\/])/.test(p), 'The release folder must be a full path (starting with /).'),
    heirs: z.array(heirSchema).min(1, 'Name at least one heir.').max(32),
    memoryIds: z.array(z.string().uuid()).max(1000),
    /** Also seal a recovery key (a new header slot) into the packages; needs the vault's credential again. */
    recoveryKey: z.object({ credential: ownerCredentialSchema }).strict().optional(),
  })
  .strict()
  .refine((a) => a.memoryIds.length > 0 || a.recoveryKey !== undefined, 'Choose memories to release, a recovery key, or both.');
export type ArmDeadmanInput = z.input<typeof armDeadmanSchema>;
export type ArmDeadmanRequest = z.output<typeof armDeadmanSchema>;

export const deadmanContracts = {
  status: invokeContract('deadman:status', noArgs, deadmanStatusSchema),
  /** Waits for the security-key touch; each packaged recall is gated and audited like any owner recall. */
  arm: invokeContract('deadman:arm', armDeadmanSchema, deadmanStatusSchema),
  checkIn: invokeContract('deadman:checkIn', noArgs, deadmanStatusSchema),
  /** Needs a touch of the key that armed it (TOKEN_MISMATCH for any other). */
  disarm: invokeContract('deadman:disarm', noArgs, deadmanStatusSchema),
} as const;
