// A resolved secret on its way to a child process. Invariant: the plaintext leaves this object
// only through `bytes()`, called by the node-side runner; serialising it (JSON.stringify, an RPC
// result, a log line) throws or prints a placeholder, so an accidental leak fails loudly instead
// of carrying the value. Wiped (zero-filled) when the run is over.
import { VaultError } from '../errors.js';

const REDACTED = '[secret]';

export class SecretValue {
  #bytes: Buffer;
  #wiped = false;

  private constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  /** A copy of `bytes`: the caller may wipe its own buffer. */
  static of(bytes: Uint8Array): SecretValue {
    return new SecretValue(Buffer.from(bytes));
  }

  /** Takes ownership of `bytes` without copying (the pipeline's freshly decrypted buffer). */
  static adopt(bytes: Buffer): SecretValue {
    return new SecretValue(bytes);
  }

  get length(): number {
    return this.#bytes.length;
  }

  get wiped(): boolean {
    return this.#wiped;
  }

  /** The live buffer, for the runner only: do not keep it, do not serialise it. */
  bytes(): Buffer {
    if (this.#wiped) throw new VaultError('INTERNAL', 'This secret was already wiped.');
    return this.#bytes;
  }

  wipe(): void {
    this.#bytes.fill(0);
    this.#wiped = true;
  }

  toJSON(): never {
    throw new VaultError('INTERNAL', 'A secret value may not be serialised.');
  }

  toString(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}
