// The owner's writes to memories from the window: store a new memory (any level, namespace,
// tags, metadata, cooldown, level-0 TTL) and edit a memory's labels (title, tags, metadata).
// Both go through the engine's audited paths as the owner; the engine re-checks every field
// (plain names, TTL only at level 0) so its refusal is audited too.
import { z } from 'zod';
import {
  contentTextSchema,
  cooldownSecondsSchema,
  metadataSchema,
  namespaceSchema,
  tagsSchema,
  titleSchema,
  ttlSecondsSchema,
} from '../core/common/memory-input.schema.js';
import { invokeContract } from './contract.js';
import { levelSchema, memoryIdSchema, memorySummarySchema } from './memory.dto.js';

export const storeMemoryRequestSchema = z
  .object({
    content: contentTextSchema,
    level: levelSchema,
    title: titleSchema,
    namespace: namespaceSchema.optional(),
    tags: tagsSchema.optional(),
    metadata: metadataSchema.optional(),
    cooldownSeconds: cooldownSecondsSchema.optional(),
    ttlSeconds: ttlSecondsSchema.optional(),
  })
  .strict();
export type StoreMemoryRequest = z.infer<typeof storeMemoryRequestSchema>;

export const editLabelsRequestSchema = z
  .object({ memoryId: memoryIdSchema, title: titleSchema.optional(), tags: tagsSchema.optional(), metadata: metadataSchema.optional() })
  .strict();
export type EditLabelsRequest = z.infer<typeof editLabelsRequestSchema>;
/** What the window sends (the memory id as a plain string, checked by main). */
export type EditLabelsInput = z.input<typeof editLabelsRequestSchema>;

export const memoryWriteContracts = {
  store: invokeContract('memories:store', storeMemoryRequestSchema, memorySummarySchema),
  editLabels: invokeContract('memories:edit-labels', editLabelsRequestSchema, memorySummarySchema),
} as const;
