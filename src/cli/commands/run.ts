import { isLevel, type Level } from '../../core/common/level.js';
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
  if (!Number.isInteger(n) || n < min || n > max)
    throw new VaultError('INVALID_INPUT', `${name} must be an integer from ${min} to ${max}.`);
  return n;
}

/** A `--level`-style option parsed to the one `Level` type (no cast: the guard narrows it). */
export function levelOption(value: string, name: string): Level {
  const n = intOption(value, name, 0, 5);
  if (!isLevel(n)) throw new VaultError('INVALID_INPUT', `${name} must be an integer from 0 to 5.`);
  return n;
}
