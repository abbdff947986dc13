// Memory browser: metadata search/list/describe, explicit reveal, tombstone.
import { z } from 'zod';
import { invokeContract } from './contract.js';
import { levelSchema, memoryIdSchema, memorySummarySchema, passphraseSchema } from './memory.dto.js';

const memoryRef = z.object({ memoryId: memoryIdSchema }).strict();

export const revealedMemorySchema = z.object({ memory: memorySummarySchema, content: z.string(), auditSeq: z.number().int() });
export type RevealedMemoryDto = z.infer<typeof revealedMemorySchema>;

export const memoriesContracts = {
  search: invokeContract('memories:search', z.object({ query: z.string().min(1).max(500), limit: z.number().int().min(1).max(500).optional() }).strict(), z.array(memorySummarySchema)),
  list: invokeContract(
    'memories:list',
    z
      .object({
        limit: z.number().int().min(1).max(1000).optional(),
        offset: z.number().int().min(0).optional(),
        level: levelSchema.optional(),
        includeTombstoned: z.boolean().optional(),
      })
      .strict(),
    z.array(memorySummarySchema),
  ),
  describe: invokeContract('memories:describe', memoryRef, memorySummarySchema),
  /** Level ≥ 3 needs the passphrase again: an unlocked, unattended screen is not consent. */
  reveal: invokeContract('memories:reveal', z.object({ memoryId: memoryIdSchema, passphrase: passphraseSchema.optional() }).strict(), revealedMemorySchema),
  tombstone: invokeContract(
    'memories:tombstone',
    z.object({ memoryId: memoryIdSchema, confirmShortId: z.string().min(1).max(64) }).strict(),
    memorySummarySchema,
  ),
} as const;
