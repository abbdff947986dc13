// The fields of "store / recall / search / list a memory", with their limits written once. The
// IPC contracts (src/shared), the agent socket (agent-protocol.ts), MCP (mcp-server.ts) and the
// engine's own input schema (core/model/store-input.ts) all build from these objects, so a
// limit cannot drift between boundaries again (tests/lint/one-schema-source.test.ts checks it).
//
// Boundaries check shape and size only. Names an owner reads to decide (titles, tags, metadata
// keys) are additionally refused by the engine when they carry control, bidi or zero-width
// characters (`plainName`, applied in core/model/store-input.ts): such a name could redraw the
// owner's terminal or hide what it says, and a refusal there leaves an audited leaf
// (tests/security/refused-store-leaves-no-trace.test.ts), which a socket-side refusal would not.
// Content stays opaque; metadata values are neutralised on display, not refused.
import { z } from 'zod';
import { isPlainText, PLAIN_TEXT_MESSAGE } from './terminal-text.js';
import { isWellFormedText } from './well-formed.js';

export const MAX_CONTENT_BYTES = 1024 * 1024;
export const MAX_TITLE_CHARS = 500;
export const MAX_TAG_CHARS = 64;
export const MAX_TAGS = 32;
export const MAX_NAMESPACE_CHARS = 64;
export const MAX_METADATA_KEY_CHARS = 128;
export const MAX_METADATA_VALUE_CHARS = 4096;
export const MAX_INTENT_REF_CHARS = 256;
export const MAX_JUSTIFICATION_CHARS = 2000;
export const MAX_QUERY_CHARS = 500;
/** One year: the longest cooldown or level-0 lifetime a memory may carry. */
export const MAX_DURATION_SECONDS = 365 * 24 * 3600;
export const SEARCH_LIMIT_MAX = 500;
export const LIST_LIMIT_MAX = 1000;

export const LONE_SURROGATE_MESSAGE = 'contains a lone surrogate (not well-formed Unicode)';

/** Text that round-trips through UTF-8 (a lone surrogate would silently become U+FFFD). */
export const wellFormedText = (max: number) => z.string().max(max).refine(isWellFormedText, LONE_SURROGATE_MESSAGE);

/** The engine's extra rule for names the owner reads (see the header). */
export const plainName = (s: z.ZodString) => s.refine(isPlainText, PLAIN_TEXT_MESSAGE);

/**
 * Text content as it crosses a boundary, bounded in UTF-16 units by the byte cap (a string is
 * never fewer UTF-8 bytes than units, so nothing the engine would take is refused here; the
 * engine checks the encoded size itself).
 */
export const contentTextSchema = wellFormedText(MAX_CONTENT_BYTES);
export const titleSchema = wellFormedText(MAX_TITLE_CHARS).min(1);
/** ASCII letters, digits and `. _ -` only, so no character in it could act on a terminal. */
export const namespaceSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'namespace: letters, digits, . _ - (max 64)');
export const tagSchema = wellFormedText(MAX_TAG_CHARS).min(1);
export const tagsSchema = z.array(tagSchema).max(MAX_TAGS);
export const metadataKeySchema = wellFormedText(MAX_METADATA_KEY_CHARS);
export const metadataValueSchema = z.union([wellFormedText(MAX_METADATA_VALUE_CHARS), z.number().finite(), z.boolean(), z.null()]);
export const metadataSchema = z.record(metadataKeySchema, metadataValueSchema);
export const intentRefSchema = wellFormedText(MAX_INTENT_REF_CHARS).min(1);
export const justificationSchema = wellFormedText(MAX_JUSTIFICATION_CHARS);
export const cooldownSecondsSchema = z.number().int().min(0).max(MAX_DURATION_SECONDS);
/** Level-0 lifetime; at least a second (0 would be "already expired"). */
export const ttlSecondsSchema = z.number().int().min(1).max(MAX_DURATION_SECONDS);
export const searchQuerySchema = wellFormedText(MAX_QUERY_CHARS).min(1);
export const searchLimitSchema = z.number().int().min(1).max(SEARCH_LIMIT_MAX);
export const listLimitSchema = z.number().int().min(1).max(LIST_LIMIT_MAX);
export const offsetSchema = z.number().int().min(0);
