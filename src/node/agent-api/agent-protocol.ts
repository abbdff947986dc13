// The agent wire protocol: JSON-RPC 2.0, one request per line (newline-delimited JSON) on a
// local socket. Every params object is parsed with a strict schema before anything runs, and
// every refusal carries the vault's stable error code in `error.data.code`. Agent input is taken
// as sent or not at all: `contentBase64` is strict RFC 4648 base64 (one spelling per byte string,
// never silently truncated) and no string anywhere in params may hold a lone surrogate (which
// UTF-8 would silently turn into U+FFFD); both are INVALID_INPUT.
import { z } from 'zod';
import { decodeBase64Strict } from '../../core/audit/base64.js';
import { waitMsSchema } from '../../core/common/approval-input.schema.js';
import { approvalRequestIdSchema, memoryRefSchema } from '../../core/common/ids.schema.js';
import { levelSchema } from '../../core/common/level.schema.js';
import {
  contentTextSchema,
  cooldownSecondsSchema,
  intentRefSchema,
  justificationSchema,
  listLimitSchema,
  LONE_SURROGATE_MESSAGE,
  metadataSchema,
  namespaceSchema,
  offsetSchema,
  searchLimitSchema,
  searchQuerySchema,
  tagsSchema,
  titleSchema,
  ttlSecondsSchema,
} from '../../core/common/memory-input.schema.js';
import { findIllFormedText } from '../../core/common/well-formed.js';
import { handleParamsSchema, useParamsSchema } from './use-protocol.js';

// The JSON-RPC envelope, replies and codes are the line transport's (src/node/rpc/json-rpc.ts).
export { envelopeSchema, JSONRPC, requestIdSchema, responseSchema, rpcCodeFor, type RpcError, type RpcResponse } from '../rpc/json-rpc.js';

export const MAX_FRAME_BYTES = 2 * 1024 * 1024;

const LONE_SURROGATE = LONE_SURROGATE_MESSAGE;

/** Canonical padded base64 decoded to bytes; anything else (bad alphabet, padding, trailing bits) is an issue. */
const strictBase64 = z
  .string()
  .max(1_400_000)
  .transform((text, ctx) => {
    const bytes = decodeBase64Strict(text);
    if (bytes === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be canonical padded base64 (RFC 4648 §4): invalid character, padding or trailing bits',
      });
      return z.NEVER;
    }
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  });

/** Refuses a lone surrogate in any string of the params, keys included, naming where it is. */
function wellFormedParams<T extends z.ZodType>(schema: T): T {
  return schema.superRefine((value, ctx) => {
    const path = findIllFormedText(value);
    if (path !== undefined) ctx.addIssue({ code: 'custom', path: [...path], message: LONE_SURROGATE });
  });
}

// Field schemas and limits come from core/common, shared with the IPC contracts and MCP.
export const methodSchemas = {
  'auth.login': wellFormedParams(z.object({ token: z.string().max(200) }).strict()),
  'memory.store': wellFormedParams(
    z
      .object({
        content: contentTextSchema.optional(),
        contentBase64: strictBase64.optional(),
        level: levelSchema,
        title: titleSchema,
        namespace: namespaceSchema.optional(),
        tags: tagsSchema.optional(),
        metadata: metadataSchema.optional(),
        intentRef: intentRefSchema.optional(),
        cooldownSeconds: cooldownSecondsSchema.optional(),
        ttlSeconds: ttlSecondsSchema.optional(),
      })
      .strict()
      .refine((v) => (v.content === undefined) !== (v.contentBase64 === undefined), {
        message: 'give exactly one of content or contentBase64',
      }),
  ),
  'memory.recall': wellFormedParams(z.object({ memoryId: memoryRefSchema, justification: justificationSchema.optional() }).strict()),
  'memory.search': wellFormedParams(
    z.object({ query: searchQuerySchema, limit: searchLimitSchema.optional(), namespace: namespaceSchema.optional() }).strict(),
  ),
  'memory.list': wellFormedParams(
    z
      .object({
        namespace: namespaceSchema.optional(),
        level: levelSchema.optional(),
        limit: listLimitSchema.optional(),
        offset: offsetSchema.optional(),
      })
      .strict(),
  ),
  'request.status': wellFormedParams(z.object({ requestId: approvalRequestIdSchema }).strict()),
  'request.wait': wellFormedParams(z.object({ requestId: approvalRequestIdSchema, timeoutMs: waitMsSchema.optional() }).strict()),
  'request.cancel': wellFormedParams(z.object({ requestId: approvalRequestIdSchema }).strict()),
  'vault.health': z.object({}).strict(),
  // Issue 19: a reference instead of content, and a run of an allowlisted command (use-protocol.ts).
  'memory.handle': wellFormedParams(handleParamsSchema),
  'memory.use': wellFormedParams(useParamsSchema),
} as const;

export type MethodName = keyof typeof methodSchemas;
/** The method names, narrowed by the guard below rather than asserted. */
export const METHOD_NAMES: readonly MethodName[] = Object.keys(methodSchemas).filter(isMethodName);
export type MethodParams<M extends MethodName> = z.output<(typeof methodSchemas)[M]>;

export function isMethodName(m: string): m is MethodName {
  return Object.prototype.hasOwnProperty.call(methodSchemas, m);
}
