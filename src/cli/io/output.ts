// One way out for every command: `--json` prints a single JSON document on stdout
// ({ ok: true, result } or { ok: false, error: { code, message, details } }); otherwise a
// human rendering on stdout and errors on stderr. Errors never carry plaintext or keys.
import { isVaultError, VaultError } from '../../core/errors.js';
import { EXIT_CODES } from './exit-codes.js';

export interface OutputOptions {
  readonly json: boolean;
}

export function emit<T>(opts: OutputOptions, result: T, human: (r: T) => string): void {
  if (opts.json) process.stdout.write(`${JSON.stringify({ ok: true, result })}\n`);
  else {
    const text = human(result);
    if (text.length > 0) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

export function toVaultError(e: unknown): VaultError {
  if (isVaultError(e)) return e;
  // Unknown failures are reported without their message: it could contain anything.
  if (process.env.MEMORY_VAULT_DEBUG === '1') process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  return new VaultError('INTERNAL', 'An unexpected error occurred (set MEMORY_VAULT_DEBUG=1 for details).');
}

export function fail(opts: OutputOptions, e: unknown): never {
  const err = toVaultError(e);
  if (opts.json) process.stdout.write(`${JSON.stringify({ ok: false, error: err.toJSON() })}\n`);
  else process.stderr.write(`error ${err.code}: ${err.message}\n`);
  process.exit(EXIT_CODES[err.code]);
}
