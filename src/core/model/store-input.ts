// The engine's input schemas for store / recall / search / list, shared by every shell (CLI,
// agent API, MCP, IPC). Their fields and limits come from the pure common layer
// (core/common/memory-input.schema.ts), which the boundary schemas build from too; what is
// added here is the engine's own defaults, cross-field rules, and the plain-name rule on what the
// owner reads (refused here, so the refusal is audited).
import { z } from 'zod';
import { levelSchema } from '../common/level.schema.js';
import { memoryRefSchema } from '../common/ids.schema.js';
import {
  cooldownSecondsSchema,
  intentRefSchema,
  justificationSchema,
  listLimitSchema,
  metadataKeySchema,
  metadataValueSchema,
  namespaceSchema,
  offsetSchema,
  plainName,
  searchLimitSchema,
  searchQuerySchema,
  MAX_TAGS,
  tagSchema,
  titleSchema,
  ttlSecondsSchema,
} from '../common/memory-input.schema.js';

export { MAX_CONTENT_BYTES, MAX_TITLE_CHARS } from '../common/memory-input.schema.js';
export { levelSchema };

export const storeInputSchema = z
  .object({
    content: z.union([z.string(), z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'content must be text or bytes')]),
    level: levelSchema,
    title: plainName(titleSchema),
    namespace: namespaceSchema.default('default'),
    tags: z.array(plainName(tagSchema)).max(MAX_TAGS).default([]),
    metadata: z.record(plainName(metadataKeySchema), metadataValueSchema).default({}),
    intentRef: intentRefSchema.nullable().default(null),
    cooldownSeconds: cooldownSecondsSchema.default(0),
    ttlSeconds: ttlSecondsSchema.optional(),
  })
  .strict()
  .refine((v) => v.ttlSeconds === undefined || v.level === 0, { message: 'ttlSeconds applies to level 0 only', path: ['ttlSeconds'] });

export type StoreInput = z.input<typeof storeInputSchema>;
export type ParsedStoreInput = z.output<typeof storeInputSchema>;

export const recallInputSchema = z
  .object({
    memoryId: memoryRefSchema,
    justification: justificationSchema.default(''),
  })
  .strict();
export type RecallInput = z.input<typeof recallInputSchema>;

export const searchInputSchema = z
  .object({
    query: searchQuerySchema,
    limit: searchLimitSchema.default(50),
    namespace: namespaceSchema.optional(),
  })
  .strict();
export type SearchInput = z.input<typeof searchInputSchema>;

export const listInputSchema = z
  .object({
    namespace: namespaceSchema.optional(),
    level: levelSchema.optional(),
    includeTombstoned: z.boolean().default(false),
    limit: listLimitSchema.default(100),
    offset: offsetSchema.default(0),
  })
  .strict();
export type ListInput = z.input<typeof listInputSchema>;
