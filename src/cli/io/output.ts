// One way out for every command: `--json` prints a single JSON document on stdout
// ({ ok: true, result } or { ok: false, error: { code, message, details } }); otherwise a
// human rendering on stdout and errors on stderr. Errors never carry plaintext or keys.
// Invariant: nothing written here carries a raw control, bidi or zero-width character — the
// printers neutralise each agent-supplied field on its own line, and this last stage
// neutralises the whole text (and writes JSON with such characters as \uXXXX) in case one slips.
import { isVaultError, VaultError } from '../../core/errors.js';
import { neutraliseText, toTerminalJson } from '../../core/text/terminal-text.js';
import { storageDamageError } from '../../node/store/storage-damage.js';
import { EXIT_CODES } from './exit-codes.js';

export interface OutputOptions {
  readonly json: boolean;
}

export function emit<T>(opts: OutputOptions, result: T, human: (r: T) => string): void {
  if (opts.json) process.stdout.write(`${toTerminalJson({ ok: true, result })}\n`);
  else {
    const text = neutraliseText(human(result));
    if (text.length > 0) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

export function toVaultError(e: unknown): VaultError {
  if (isVaultError(e)) return e;
  // A damaged database page surfaces at whatever read touched it: named, with a hint.
  const damage = storageDamageError(e);
  if (damage) return damage;
  // Unknown failures are reported without their message: it could contain anything.
  if (process.env.MEMORY_VAULT_DEBUG === '1') process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  return new VaultError('INTERNAL', 'An unexpected error occurred (set MEMORY_VAULT_DEBUG=1 for details).');
}

export function fail(opts: OutputOptions, e: unknown): never {
  const err = toVaultError(e);
  // A message may quote input (a zod path naming a metadata key, an id the owner typed).
  if (opts.json) process.stdout.write(`${toTerminalJson({ ok: false, error: err.toJSON() })}\n`);
  else process.stderr.write(`error ${err.code}: ${neutraliseText(err.message)}\n`);
  process.exit(EXIT_CODES[err.code]);
}
