// Invariant: no secret and no PIN is ever written to a file; the secret enters tpm2-tools on
// stdin and leaves on stdout. Every TPM sequence of one target runs under a mutex, in a private
// work dir that is removed afterwards, and flushes every object and session it loaded.

import { writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeySealerPort, SealedBlob } from '../../core/ports/key-sealer.port.js';
import { VaultError, isVaultError } from '../../core/errors.js';
import { createToolRunner, type ToolRunner } from './tpm2-tools.runner.js';
import { mutexForTarget, type Mutex } from './mutex.js';
import { canonicalPcrSelection, DEFAULT_PCR_SELECTION } from './pcr-selection.js';
import { pinAuthArg } from './pin.js';
import { withWorkDir } from './work-dir.js';
import { readDaState } from './tpm-da.js';
import { decodeTpm2Blob, encodeTpm2Blob, TPM2_KIND } from './sealed-blob.js';
import { FILES, buildSealPolicy, createPrimary, createSealedObject, loadSealedObject, unsealObject } from './tpm-steps.js';

export interface TpmSealerOptions {
  /**
   * TCTI string. Leave undefined in production: tpm2-tools then use TPM2TOOLS_TCTI if set, else
   * `device:` (/dev/tpmrm0, then /dev/tpm0). Tests pass `swtpm:host=127.0.0.1,port=P`.
   */
  readonly tcti?: string | undefined;
  /** PCRs the seal is bound to (default `sha256:0,2,4,7`). Stored in the blob for unseal. */
  readonly pcrs?: string | undefined;
  /** Per-tool timeout in ms (default 120 s; real TPM chips can be slow). */
  readonly timeoutMs?: number | undefined;
}

export const MAX_SECRET_BYTES = 64;

export class TpmSealer implements KeySealerPort {
  readonly kind = TPM2_KIND;
  readonly pcrs: string;
  private readonly runner: ToolRunner;
  private readonly mutex: Mutex;

  constructor(options: TpmSealerOptions = {}) {
    this.pcrs = canonicalPcrSelection(options.pcrs ?? DEFAULT_PCR_SELECTION);
    this.runner = createToolRunner({ tcti: options.tcti, timeoutMs: options.timeoutMs });
    this.mutex = mutexForTarget(options.tcti);
  }

  async seal(secret: Uint8Array, options: { pin?: string } = {}): Promise<SealedBlob> {
    if (!(secret instanceof Uint8Array) || secret.length === 0 || secret.length > MAX_SECRET_BYTES) {
      throw new VaultError('INVALID_INPUT', `A TPM-sealed secret must be 1..${MAX_SECRET_BYTES} bytes.`);
    }
    const pinArg = options.pin === undefined ? undefined : pinAuthArg(options.pin);
    const pcrs = this.pcrs;
    return this.mutex.run(() =>
      withWorkDir(async (dir) => {
        await createPrimary(this.runner, dir);
        await buildSealPolicy(this.runner, dir, pcrs, pinArg !== undefined);
        await createSealedObject(this.runner, dir, secret, pinArg);
        const [pub, priv] = await Promise.all([readFile(join(dir, FILES.pub)), readFile(join(dir, FILES.priv))]);
        return encodeTpm2Blob({ pub, priv, pcrs, pinRequired: pinArg !== undefined });
      }),
    );
  }

  async unseal(blob: SealedBlob, options: { pin?: string } = {}): Promise<Uint8Array> {
    const parsed = decodeTpm2Blob(blob);
    if (parsed.pinRequired && options.pin === undefined) {
      // Refuse before touching the TPM: an empty password would cost a dictionary-attack strike.
      throw new VaultError('TPM_AUTH_FAILED', 'This TPM-sealed key needs its PIN.', { reason: 'pin-required' });
    }
    const pinArg = parsed.pinRequired && options.pin !== undefined ? pinAuthArg(options.pin) : undefined;
    return this.mutex.run(() =>
      withWorkDir(async (dir) => {
        await writeFile(join(dir, FILES.pub), parsed.pub, { mode: 0o600 });
        await writeFile(join(dir, FILES.priv), parsed.priv, { mode: 0o600 });
        await createPrimary(this.runner, dir);
        await loadSealedObject(this.runner, dir);
        let out: Uint8Array;
        try {
          out = await unsealObject(this.runner, dir, parsed.pcrs, pinArg);
        } catch (e) {
          throw await this.withRetriesLeft(e);
        }
        if (out.length === 0) throw new VaultError('INTERNAL', 'The TPM returned an empty secret.');
        return out;
      }),
    );
  }

  /** Adds the remaining PIN attempts to a wrong-PIN error (one cheap capability query). */
  private async withRetriesLeft(e: unknown): Promise<unknown> {
    if (!isVaultError(e) || e.code !== 'TPM_AUTH_FAILED' || e.details['reason'] !== undefined) return e;
    const da = await readDaState(this.runner);
    if (!da) return e;
    const message =
      da.retriesLeft > 0
        ? `Wrong TPM PIN; ${da.retriesLeft} attempt(s) left before the TPM locks out.`
        : 'Wrong TPM PIN; the TPM is now in dictionary-attack lockout.';
    return new VaultError('TPM_AUTH_FAILED', message, { ...e.details, retriesLeft: da.retriesLeft, maxAuthFail: da.maxAuthFail });
  }
}
