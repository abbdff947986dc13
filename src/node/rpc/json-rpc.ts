// JSON-RPC 2.0 messages as both vault sockets speak them: the request envelope (parsed strictly
// before anything else runs), the reply shapes, and the codes. Each vault error code has its own
// frozen server code in ERROR_TABLE (src/core/common/error-codes.ts); the reserved codes are
// JSON-RPC 2.0 §5.1's.
import { z } from 'zod';
import { ERROR_CODES, ERROR_TABLE, type ErrorCode } from '../../core/errors.js';
import { LONE_SURROGATE_MESSAGE } from '../../core/common/memory-input.schema.js';
import { isWellFormedText } from '../../core/common/well-formed.js';

export const requestIdSchema = z.union([z.string().max(128).refine(isWellFormedText, LONE_SURROGATE_MESSAGE), z.number().int(), z.null()]);

/** A request or notification; extra keys are refused (no batches: an array is not an object). */
export const envelopeSchema = z
  .object({
    jsonrpc: z.literal('2.0'),
    id: requestIdSchema.optional(),
    method: z.string().max(64),
    params: z.unknown().optional(),
  })
  .strict();

/** JSON-RPC 2.0 §5.1 reserved codes (protocol errors; their vault code is INVALID_INPUT). */
export const JSONRPC = { PARSE_ERROR: -32700, INVALID_REQUEST: -32600, METHOD_NOT_FOUND: -32601, INVALID_PARAMS: -32602 } as const;

export function rpcCodeFor(code: ErrorCode): number {
  return ERROR_TABLE[code].rpc;
}

export interface RpcError {
  readonly code: number;
  readonly message: string;
  readonly data: { readonly code: ErrorCode; readonly details?: Readonly<Record<string, unknown>> };
}

export type RpcResponse =
  | { readonly jsonrpc: '2.0'; readonly id: string | number | null; readonly result: unknown }
  | { readonly jsonrpc: '2.0'; readonly id: string | number | null; readonly error: RpcError };

/** A reply as a client reads it back (agent-client.ts, owner-client.ts). */
export const responseSchema = z.union([
  z.object({ jsonrpc: z.literal('2.0'), id: requestIdSchema, result: z.unknown() }).strict(),
  z
    .object({
      jsonrpc: z.literal('2.0'),
      id: requestIdSchema,
      error: z.object({
        code: z.number().int(),
        message: z.string(),
        data: z.object({ code: z.enum(ERROR_CODES), details: z.record(z.string(), z.unknown()).optional() }),
      }),
    })
    .strict(),
]);
