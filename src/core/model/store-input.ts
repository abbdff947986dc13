// The one schema for "store a memory", shared by every shell (CLI, agent API, MCP, IPC).
import { z } from 'zod';
import { LEVELS } from '../levels.js';
import { isPlainText, PLAIN_TEXT_MESSAGE } from '../text/terminal-text.js';

export const MAX_CONTENT_BYTES = 1024 * 1024;
export const MAX_TITLE_CHARS = 500;

/**
 * Names an owner reads to decide (titles, tags, namespaces, metadata keys) are refused when they
 * carry control, bidi or zero-width characters: such a name could redraw the owner's terminal or
 * hide what it says. Content stays opaque bytes; metadata values are only neutralised on display.
 */
const plainText = (s: z.ZodString) => s.refine(isPlainText, PLAIN_TEXT_MESSAGE);

const namespaceSchema = plainText(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'namespace: letters, digits, . _ - (max 64)'));
const metadataValue = z.union([z.string().max(4096), z.number().finite(), z.boolean(), z.null()]);

export const levelSchema = z.union(LEVELS.map((l) => z.literal(l)) as [z.ZodLiteral<0>, z.ZodLiteral<1>, ...z.ZodLiteral<2 | 3 | 4 | 5>[]]);

export const storeInputSchema = z
  .object({
    content: z.union([z.string(), z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'content must be text or bytes')]),
    level: levelSchema,
    title: plainText(z.string().min(1).max(MAX_TITLE_CHARS)),
    namespace: namespaceSchema.default('default'),
    tags: z.array(plainText(z.string().min(1).max(64))).max(32).default([]),
    metadata: z.record(plainText(z.string().max(128)), metadataValue).default({}),
    intentRef: z.string().min(1).max(256).nullable().default(null),
    cooldownSeconds: z.number().int().min(0).max(365 * 24 * 3600).default(0),
    ttlSeconds: z.number().int().min(1).max(365 * 24 * 3600).optional(),
  })
  .strict()
  .refine((v) => v.ttlSeconds === undefined || v.level === 0, { message: 'ttlSeconds applies to level 0 only', path: ['ttlSeconds'] });

export type StoreInput = z.input<typeof storeInputSchema>;
export type ParsedStoreInput = z.output<typeof storeInputSchema>;

export const recallInputSchema = z
  .object({
    memoryId: z.string().min(1).max(64),
    justification: z.string().max(2000).default(''),
  })
  .strict();
export type RecallInput = z.input<typeof recallInputSchema>;

export const searchInputSchema = z
  .object({
    query: z.string().min(1).max(500),
    limit: z.number().int().min(1).max(500).default(50),
    namespace: namespaceSchema.optional(),
  })
  .strict();
export type SearchInput = z.input<typeof searchInputSchema>;

export const listInputSchema = z
  .object({
    namespace: namespaceSchema.optional(),
    level: levelSchema.optional(),
    includeTombstoned: z.boolean().default(false),
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().min(0).default(0),
  })
  .strict();
export type ListInput = z.input<typeof listInputSchema>;
