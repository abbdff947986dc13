// Reading secrets and confirmations from the owner's terminal. Secrets are read with echo off
// and never from argv (which leaks into process lists and shell history).
import { openSync, readFileSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { VaultError } from '../../core/errors.js';

function openTty(): { input: ReadStream; output: WriteStream; close: () => void } | null {
  try {
    const inFd = openSync('/dev/tty', 'r');
    const outFd = openSync('/dev/tty', 'w');
    const input = new ReadStream(inFd);
    const output = new WriteStream(outFd);
    return {
      input,
      output,
      close: () => {
        input.destroy();
        output.destroy();
      },
    };
  } catch {
    return null;
  }
}

export function hasTty(): boolean {
  const t = openTty();
  t?.close();
  return t !== null;
}

/** Read one line from the terminal; with `secret`, echo is off. */
export function promptLine(question: string, secret: boolean): Promise<string> {
  const tty = openTty();
  if (!tty) return Promise.reject(new VaultError('INVALID_INPUT', 'No terminal is available to ask the owner.'));
  return new Promise((resolve, reject) => {
    const { input, output } = tty;
    output.write(question);
    if (secret) input.setRawMode(true);
    let value = '';
    const finish = (err?: VaultError) => {
      if (secret) input.setRawMode(false);
      input.removeAllListeners('data');
      output.write('\n');
      tty.close();
      if (err) reject(err);
      else resolve(value);
    };
    input.on('data', (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new VaultError('INVALID_INPUT', 'Cancelled.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    });
  });
}

/** Passphrase from MEMORY_VAULT_PASSPHRASE_FILE (scripts) or the terminal without echo. */
export async function readPassphrase(opts: { confirm: boolean }): Promise<string> {
  const file = process.env.MEMORY_VAULT_PASSPHRASE_FILE;
  if (file) {
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch {
      throw new VaultError('INVALID_INPUT', 'MEMORY_VAULT_PASSPHRASE_FILE cannot be read.');
    }
    return raw.replace(/\r?\n$/, '');
  }
  if (!hasTty()) throw new VaultError('INVALID_INPUT', 'No passphrase: run in a terminal or set MEMORY_VAULT_PASSPHRASE_FILE.');
  const first = await promptLine('Vault passphrase: ', true);
  if (opts.confirm) {
    const second = await promptLine('Repeat passphrase: ', true);
    if (first !== second) throw new VaultError('INVALID_INPUT', 'The passphrases do not match.');
  }
  return first;
}
