// The one path every IPC message takes: sender, then shape, then capability. Handlers receive
// parsed, typed arguments; failures leave as `{ ok: false, error: { code, ... } }` data, and an
// unexpected exception is logged loudly and reported as INTERNAL without its message (it could
// name a path or worse).
import type { z } from 'zod';
import { ERROR_CODES, isVaultError } from '../../core/errors.js';
import type { InvokeContract, IpcResult } from '../../shared/contract.js';
import type { IpcError } from '../../shared/errors.contract.js';
import type { SenderEvent, SenderPolicy } from './sender-policy.js';

export type IpcListener = (event: SenderEvent, raw: unknown) => Promise<IpcResult<unknown>>;

export interface RegisteredHandler {
  readonly channel: string;
  readonly listener: IpcListener;
}

function failure(code: IpcError['code'], message: string, details: IpcError['details'] = {}): IpcResult<never> {
  return { ok: false, error: { code, message, details } };
}

function flatten(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || 'input'}: ${i.message}`).join('; ');
}

export function handle<Req extends z.ZodType, Res extends z.ZodType>(
  policy: SenderPolicy,
  contract: InvokeContract<Req, Res>,
  impl: (args: z.output<Req>) => Promise<z.input<Res>> | z.input<Res>,
): RegisteredHandler {
  const listener: IpcListener = async (event, raw) => {
    if (!policy.trusted(event)) return failure('UNAUTHORIZED', 'This window is not allowed to talk to the vault.');
    const parsed = contract.request.safeParse(raw);
    if (!parsed.success) return failure('INVALID_INPUT', `Invalid request: ${flatten(parsed.error)}`);
    try {
      const value: unknown = await impl(parsed.data);
      // The response is parsed too: fields outside the DTO (a key, a buffer) are stripped, never sent.
      const out = contract.response.safeParse(value);
      if (!out.success) {
        console.error(`[ipc] ${contract.channel}: response does not match its contract`, flatten(out.error));
        return failure('INTERNAL', 'The vault produced an unexpected reply.');
      }
      return { ok: true, value: out.data };
    } catch (e) {
      if (isVaultError(e) && (ERROR_CODES as readonly string[]).includes(e.code)) return failure(e.code, e.message, { ...e.details });
      // Name and code only: an unexpected error's message or stack could quote vault data.
      console.error(`[ipc] ${contract.channel} failed`, {
        name: e instanceof Error ? e.name : typeof e,
        code: typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : undefined,
      });
      return failure('INTERNAL', 'Something went wrong in the vault process.');
    }
  };
  return { channel: contract.channel, listener };
}
