// The dead-man switch's stored state and its clock arithmetic (pure: the caller passes `now`).
// Invariant: the release decision depends only on the stored last check-in, interval and grace
// period and the given time; once `released` is set it is never cleared, so a release happens
// exactly once however often the switch is checked.
import { z } from 'zod';
import { heirSchema } from '../common/heir-input.schema.js';

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

export { heirSchema };

export const deadmanStateSchema = z
  .object({
    v: z.literal(1),
    id: z.string().uuid(),
    armedAt: z.number().int(),
    intervalMs: z.number().int().min(60_000),
    graceMs: z.number().int().min(0),
    warnBeforeMs: z.number().int().min(0),
    lastCheckIn: z.number().int(),
    releaseDir: z.string().min(1),
    heirs: z.array(heirSchema).min(1),
    payload: z.object({
      memoryIds: z.array(z.string()),
      /** Header recovery slot whose key is inside the packages, if one was included. */
      recoverySlot: z.string().uuid().nullable(),
    }),
    /** The FIDO2 credential that armed the switch; `check` proves the same token at disarm. */
    token: z.object({ credentialId: z.string().min(1), salt: b64, check: z.string().regex(/^[0-9a-f]{64}$/) }),
    released: z.object({ at: z.number().int(), files: z.array(z.string()) }).nullable(),
  })
  .strict();

export type DeadmanState = z.infer<typeof deadmanStateSchema>;
export type Heir = z.infer<typeof heirSchema>;

export type DeadmanPhase = 'armed' | 'warning' | 'grace' | 'due' | 'released';

export interface DeadmanTiming {
  readonly phase: DeadmanPhase;
  readonly deadline: number;
  readonly releaseAt: number;
  readonly msToDeadline: number;
}

/** Default warning lead: a quarter of the interval, so a weekly switch warns ~42 h ahead. */
export function defaultWarnBefore(intervalMs: number): number {
  return Math.floor(intervalMs / 4);
}

export function deadmanTiming(s: DeadmanState, now: number): DeadmanTiming {
  const deadline = s.lastCheckIn + s.intervalMs;
  const releaseAt = deadline + s.graceMs;
  let phase: DeadmanPhase;
  if (s.released) phase = 'released';
  else if (now >= releaseAt) phase = 'due';
  else if (now >= deadline) phase = 'grace';
  else if (now >= deadline - s.warnBeforeMs) phase = 'warning';
  else phase = 'armed';
  return { phase, deadline, releaseAt, msToDeadline: deadline - now };
}

/** What a heir finds inside a package once `age -d` has decrypted it (validated when read back). */
export const heirPackageSchema = z
  .object({
    format: z.literal('memory-vault-heir-package'),
    version: z.literal(1),
    vaultId: z.string(),
    switchId: z.string().uuid(),
    heir: z.string(),
    sealedAt: z.string(),
    memories: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        level: z.number().int(),
        namespace: z.string(),
        contentBase64: b64,
        contentUtf8: z.string().nullable(),
      }),
    ),
    recovery: z.object({ slotId: z.string().uuid(), recoveryKeyBase64: b64, howTo: z.string() }).nullable(),
  })
  .strict();

export type HeirPackage = z.infer<typeof heirPackageSchema>;
