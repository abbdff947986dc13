import { VaultError } from '../../core/errors.js';
import { fail } from '../io/output.js';
import type { GlobalOptions } from '../io/vault-access.js';

/** Run a command body; every failure leaves through `fail` with its stable exit code. */
export async function run(g: GlobalOptions, body: (g: GlobalOptions) => Promise<void>): Promise<void> {
  try {
    await body(g);
  } catch (e) {
    fail(g, e);
  }
}

export function intOption(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new VaultError('INVALID_INPUT', `${name} must be an integer from ${min} to ${max}.`);
  return n;
}
