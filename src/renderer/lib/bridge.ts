// The renderer's only way to the vault: `window.vault` (typed by the preload). Bridge verbs return
// results as data; `unwrap` turns a failure into a BridgeError so react-query sees it as an error.
import type { IpcResult } from '../../shared/contract.js';
import type { IpcErrorCode } from '../../shared/errors.contract.js';

export class BridgeError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

export async function unwrap<T>(pending: Promise<IpcResult<T>>): Promise<T> {
  const result = await pending;
  if (result.ok) return result.value;
  throw new BridgeError(result.error.code, result.error.message);
}

export function vault(): Window['vault'] {
  return window.vault;
}

export function errorText(error: unknown): string {
  if (error instanceof BridgeError) return error.message;
  return 'Something went wrong. Try again.';
}
