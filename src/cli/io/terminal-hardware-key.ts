// The owner's security key as the CLI uses it: real keys over node-hid, "insert / touch your key"
// and PIN prompts on the owner's terminal (stderr, so --json stdout stays one document), PINs and
// other one-line secrets from files for scripts. Shared by the session composition
// (vault-access.ts) and the `key` commands; lives in io/ so neither imports the other.
import { readFileSync } from 'node:fs';
import { VaultError } from '../../core/errors.js';
import type { Fido2Status, PinProvider } from '../../node/fido2/fido2-status.js';
import { NodeHidTransport } from '../../node/fido2/node-hid-device.js';
import type { HardwareKeyBindingOptions } from '../../node/hardware/vault-hardware-key.js';
import { hasTty, promptLine } from './tty-prompt.js';

/** Reads a one-line secret (PIN) from a file; the trailing newline is not part of it. */
export function readSecretFile(path: string, what: string): string {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    throw new VaultError('INVALID_INPUT', `The ${what} file cannot be read.`);
  }
  const value = raw.replace(/\r?\n$/, '');
  if (value.length === 0) throw new VaultError('INVALID_INPUT', `The ${what} file is empty.`);
  return value;
}

/** Status lines for the owner on stderr; repeated identical lines are shown once. */
export function stderrFido2Status(): (status: Fido2Status) => void {
  let last = '';
  return (s) => {
    const line =
      s.kind === 'insert-key'
        ? `Insert your security key (${s.reason})…`
        : s.kind === 'touch-key'
          ? `Touch your security key now (${s.reason})…`
          : s.kind === 'enter-pin'
            ? `Security key "${s.keyName}" needs its PIN.`
            : '';
    if (line === '' || line === last) return;
    last = line;
    process.stderr.write(`${line}\n`);
  };
}

/** The security-key PIN: MEMORY_VAULT_FIDO2_PIN_FILE (scripts) or the terminal without echo. */
export function fido2PinFrom(pinFile?: string): () => Promise<string | undefined> {
  return async () => {
    const file = pinFile ?? process.env.MEMORY_VAULT_FIDO2_PIN_FILE;
    if (file) return readSecretFile(file, 'security-key PIN');
    if (!hasTty())
      throw new VaultError('INVALID_INPUT', 'The security key needs its PIN: run in a terminal or set MEMORY_VAULT_FIDO2_PIN_FILE.');
    const pin = await promptLine('Security key PIN: ', true);
    return pin.length > 0 ? pin : undefined;
  };
}

/** The level-5 gate for CLI sessions: real keys over node-hid, prompts on the owner's terminal. */
export function terminalHardwareKey(): HardwareKeyBindingOptions {
  const pin = fido2PinFrom();
  const provider: PinProvider = () => pin();
  return { transport: new NodeHidTransport(), onStatus: stderrFido2Status(), pin: provider, insertTimeoutMs: hasTty() ? 30_000 : 0 };
}
