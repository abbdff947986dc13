// A typed JSON-RPC method table (method name → zod params schema → handler) and the one request
// path both sockets serve through. Invariants: nothing runs before the envelope and then the
// params have parsed against their schema (a handler only ever sees its schema's output); every
// failure becomes a JSON-RPC error carrying a stable vault code (rpc-reply.ts), never a throw to
// the transport; a notification (no `id`) is executed but never answered.
import { z } from 'zod';
import type { VaultError } from '../../core/errors.js';
import { envelopeSchema, type RpcResponse } from './json-rpc.js';
import { failResponse, idOfParsed, invalidResponse, JSONRPC, type RpcId } from './rpc-reply.js';

export type ParamSchemas = Readonly<Record<string, z.ZodType>>;

/** One handler per method of the schema table, typed by that method's parsed params. */
export type MethodHandlers<S extends ParamSchemas, Ctx> = {
  readonly [M in keyof S & string]: (params: z.output<S[M]>, ctx: Ctx) => unknown;
};

export interface MethodTable<S extends ParamSchemas, Ctx> {
  readonly schemas: S;
  readonly handlers: MethodHandlers<S, Ctx>;
}

/** A method table: the compiler insists on exactly one handler per schema (a new method is one line). */
export function methodTable<S extends ParamSchemas, Ctx>(schemas: S, handlers: MethodHandlers<S, Ctx>): MethodTable<S, Ctx> {
  return { schemas, handlers };
}

export interface CallPolicy<M extends string> {
  /** A refusal decided before the method is looked up (shutting down, rate limits); null admits. */
  admit?(id: RpcId, method: string): VaultError | null;
  /** A handler refused (threw): for logs and audit aggregation. Never changes the reply. */
  onRefused?(method: M, reply: RpcResponse, e: unknown): void;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

const PARSE_ERROR = 'Parse error: send one JSON-RPC 2.0 object per line, in well-formed UTF-8.';
const INVALID_REQUEST = 'Invalid request: expected {"jsonrpc":"2.0","id":…,"method":…,"params":{…}}.';

function hasMethod<S extends ParamSchemas>(schemas: S, method: string): method is keyof S & string {
  return Object.hasOwn(schemas, method);
}

async function invoke<S extends ParamSchemas, Ctx, M extends keyof S & string>(
  table: MethodTable<S, Ctx>,
  method: M,
  params: unknown,
  id: RpcId,
  ctx: Ctx,
  policy: CallPolicy<keyof S & string>,
): Promise<RpcResponse> {
  const schema: S[M] = table.schemas[method];
  const parsed = z.safeParse(schema, params ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
    return invalidResponse(id, JSONRPC.INVALID_PARAMS, `Invalid params for ${method}: ${issues}`);
  }
  try {
    return { jsonrpc: '2.0', id, result: await table.handlers[method](parsed.data, ctx) };
  } catch (e) {
    const reply = failResponse(id, e);
    policy.onRefused?.(method, reply, e);
    return reply;
  }
}

/**
 * Serve one frame (bytes from the socket, or text a sealed channel opened) through `table`.
 * Returns the reply to send, or null for an empty line or a notification.
 */
export async function serveFrame<S extends ParamSchemas, Ctx>(
  frame: Buffer | string,
  table: MethodTable<S, Ctx>,
  ctx: Ctx,
  policy: CallPolicy<keyof S & string> = {},
): Promise<RpcResponse | null> {
  // Empty lines (and a bare "\r" of a CRLF client) are ignored, as docs/AGENT-API.md says.
  if (frame.length === 0 || (typeof frame === 'string' ? frame === '\r' : frame.length === 1 && frame[0] === 0x0d)) return null;
  let raw: unknown;
  try {
    // Fatal decoding: malformed UTF-8 is refused, never silently turned into U+FFFD and stored.
    raw = JSON.parse(typeof frame === 'string' ? frame : STRICT_UTF8.decode(frame));
  } catch {
    return invalidResponse(null, JSONRPC.PARSE_ERROR, PARSE_ERROR);
  }
  const env = envelopeSchema.safeParse(raw);
  if (!env.success) return invalidResponse(idOfParsed(raw), JSONRPC.INVALID_REQUEST, INVALID_REQUEST);
  const { id = null, method, params } = env.data;
  const reply = (r: RpcResponse): RpcResponse | null => (env.data.id === undefined ? null : r);
  const refused = policy.admit?.(id, method) ?? null;
  if (refused) return reply(failResponse(id, refused));
  const name: string = method;
  if (!hasMethod(table.schemas, method))
    return reply(invalidResponse(id, JSONRPC.METHOD_NOT_FOUND, `Unknown method "${name.slice(0, 64)}".`));
  return reply(await invoke(table, method, params, id, ctx, policy));
}
