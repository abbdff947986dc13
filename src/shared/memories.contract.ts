// Memory browser: metadata search/list/describe, explicit reveal, tombstone.
import { z } from 'zod';
import { invokeContract } from './contract.js';
import { listLimitSchema, offsetSchema, searchLimitSchema, searchQuerySchema } from '../core/common/memory-input.schema.js';
import { levelSchema, memoryIdSchema, memorySummarySchema } from './memory.dto.js';
import { ownerCredentialSchema } from './vault.contract.js';

const memoryRef = z.object({ memoryId: memoryIdSchema }).strict();

export const revealedMemorySchema = z.object({ memory: memorySummarySchema, content: z.string(), auditSeq: z.number().int() });
export type RevealedMemoryDto = z.infer<typeof revealedMemorySchema>;

export const memoriesContracts = {
  search: invokeContract(
    'memories:search',
    z.object({ query: searchQuerySchema, limit: searchLimitSchema.optional() }).strict(),
    z.array(memorySummarySchema),
  ),
  list: invokeContract(
    'memories:list',
    z
      .object({
        limit: listLimitSchema.optional(),
        offset: offsetSchema.optional(),
        level: levelSchema.optional(),
        includeTombstoned: z.boolean().optional(),
      })
      .strict(),
    z.array(memorySummarySchema),
  ),
  describe: invokeContract('memories:describe', memoryRef, memorySummarySchema),
  /** Level ≥ 3 needs the vault's credential again: an unlocked, unattended screen is not consent. */
  reveal: invokeContract(
    'memories:reveal',
    z.object({ memoryId: memoryIdSchema, credential: ownerCredentialSchema.optional() }).strict(),
    revealedMemorySchema,
  ),
  tombstone: invokeContract(
    'memories:tombstone',
    z.object({ memoryId: memoryIdSchema, confirmShortId: z.string().min(1).max(64) }).strict(),
    memorySummarySchema,
  ),
} as const;
