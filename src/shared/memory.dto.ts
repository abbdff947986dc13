// What the renderer may know about a memory: metadata only. Content crosses only on an explicit
// owner reveal (memories.contract.ts), never inside a summary.
import { z } from 'zod';
import type { Level } from '../core/common/level.js';
import { levelSchema } from '../core/common/level.schema.js';

/** The one level parser (core/common): its output is the core's `Level`, so main needs no cast. */
export { levelSchema };
export type LevelDto = Level;

export const memorySummarySchema = z.object({
  id: z.string(),
  shortId: z.string(),
  namespace: z.string(),
  level: levelSchema,
  title: z.string(),
  tags: z.array(z.string()).readonly(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  intentRef: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  expiresAt: z.string().nullable(),
  cooldownSeconds: z.number(),
  tombstoned: z.boolean(),
  size: z.number(),
});
export type MemorySummaryDto = z.infer<typeof memorySummarySchema>;

/** The desktop only ever names a memory by the full id of a summary it was given. */
export { memoryIdSchema } from '../core/common/ids.schema.js';
export const passphraseSchema = z.string().min(1).max(1024);
