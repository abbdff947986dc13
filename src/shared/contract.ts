// One IPC capability = one contract: a channel name plus the zod schemas of what crosses the
// bridge in each direction. Main parses requests with `request`; the preload bridge parses
// responses with `response`, so neither side trusts the other's shapes.
import { z } from 'zod';
import { ipcErrorSchema } from './errors.contract.js';

export interface InvokeContract<Req extends z.ZodType, Res extends z.ZodType> {
  readonly channel: string;
  readonly request: Req;
  readonly response: Res;
}

export interface EventContract<Payload extends z.ZodType> {
  readonly channel: string;
  readonly payload: Payload;
}

export function invokeContract<Req extends z.ZodType, Res extends z.ZodType>(
  channel: string,
  request: Req,
  response: Res,
): InvokeContract<Req, Res> {
  return { channel, request, response };
}

export function eventContract<Payload extends z.ZodType>(channel: string, payload: Payload): EventContract<Payload> {
  return { channel, payload };
}

/** Requests with no arguments still cross as an (empty, strict) object so extra keys are refused. */
export const noArgs = z.object({}).strict();

export type RequestOf<C> = C extends InvokeContract<infer Req, z.ZodType> ? z.input<Req> : never;
export type ResponseOf<C> = C extends InvokeContract<z.ZodType, infer Res> ? z.output<Res> : never;

/** Failures cross the bridge as data (STYLE principle 3): never a thrown, half-cloned Error. */
export type IpcResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: z.output<typeof ipcErrorSchema> };

export function ipcResultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: ipcErrorSchema })]);
}
