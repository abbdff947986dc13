// Progress of the owner's long operations (backup, verify, restore, key rotation), pushed by main
// while the operation runs. Counts only — never a path, a key or content. `total` 0 means the
// phase has no measure (a step that is either not started or done).
import { z } from 'zod';
import { eventContract } from './contract.js';

export const OPERATIONS = ['backup', 'verify', 'restore', 'rotate'] as const;

export const operationProgressSchema = z
  .object({
    operation: z.enum(OPERATIONS),
    /** A short machine word: 'start', 'write', 'read', 'rewrap', … and 'done' (or 'failed') last. */
    phase: z.string().min(1).max(40),
    done: z.number().int().min(0),
    total: z.number().int().min(0),
    /** The operation runs with the vault locked and leaves it locked (rotation, restore over this vault). */
    relock: z.boolean().optional(),
  })
  .strict();
export type OperationProgressDto = z.infer<typeof operationProgressSchema>;

export const operationProgressEvent = eventContract('operations:progress', operationProgressSchema);
