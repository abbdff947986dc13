// Host side of CTAPHID: allocate a channel, run one request/response transaction at a time,
// surface keepalives, honour AbortSignal with CTAPHID_CANCEL, and give up on silence.
import { randomBytes } from 'node:crypto';
import { VaultError } from '../../core/errors.js';
import type { HidDevice } from './hid-device.port.js';
import {
  BROADCAST_CID,
  CTAPHID,
  CTAPHID_ERR,
  CtapHidFrameError,
  MessageAssembler,
  encodeMessage,
  type CtapHidMessage,
} from './ctaphid-framing.js';

export interface CtapHidDeviceInfo {
  readonly protocolVersion: number;
  readonly deviceVersion: readonly [number, number, number];
  /** CAPABILITY_WINK 0x01, CAPABILITY_CBOR 0x04, CAPABILITY_NMSG 0x08 (§11.2.9.1.3). */
  readonly capabilities: number;
}

export interface TransactOptions {
  readonly signal?: AbortSignal;
  /** Longest silence on our channel before giving up; every keepalive restarts it. */
  readonly idleTimeoutMs?: number;
  readonly onKeepalive?: (status: number) => void;
}

export interface CtapHidChannelOptions {
  readonly idleTimeoutMs?: number;
  /** How often a busy device (another channel mid-transaction) is retried before failing. */
  readonly busyRetries?: number;
  readonly busyRetryDelayMs?: number;
  /** Upper bound of one device.read; bounds how late an abort is noticed. */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
}

const DEFAULTS = { idleTimeoutMs: 3000, busyRetries: 20, busyRetryDelayMs: 100, pollMs: 50 };
export const CAPABILITY_CBOR = 0x04;

function fido2Error(message: string, details: Record<string, string | number | boolean>): VaultError {
  return new VaultError('FIDO2_ERROR', message, details);
}

export function cancelledError(): VaultError {
  return fido2Error('The request to the hardware key was cancelled.', { reason: 'cancelled' });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

type Outcome = { kind: 'ok'; payload: Uint8Array } | { kind: 'busy' };

export class CtapHidChannel {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly opts: typeof DEFAULTS;

  private constructor(
    private readonly device: HidDevice,
    readonly cid: number,
    readonly info: CtapHidDeviceInfo,
    options: CtapHidChannelOptions,
  ) {
    this.opts = { ...DEFAULTS, ...stripUndefined(options) };
  }

  /** CTAPHID_INIT on the broadcast channel with a fresh nonce allocates our CID (§11.2.9.1.3). */
  static async open(device: HidDevice, options: CtapHidChannelOptions = {}): Promise<CtapHidChannel> {
    const nonce = randomBytes(8);
    const probe = new CtapHidChannel(device, BROADCAST_CID, { protocolVersion: 0, deviceVersion: [0, 0, 0], capabilities: 0 }, options);
    const payload = await probe.exchange(CTAPHID.INIT, nonce, {
      ...(options.signal ? { signal: options.signal } : {}),
      // Responses to other hosts' INITs on the broadcast channel carry their nonce: skip them.
      accept: (m) => m.payload.length >= 17 && Buffer.from(m.payload.subarray(0, 8)).equals(nonce),
    });
    const cid = ((payload[8]! << 24) | (payload[9]! << 16) | (payload[10]! << 8) | payload[11]!) >>> 0;
    if (cid === 0 || cid === BROADCAST_CID) {
      throw fido2Error('The hardware key allocated an invalid channel.', { reason: 'protocol', cid });
    }
    const info: CtapHidDeviceInfo = {
      protocolVersion: payload[12]!,
      deviceVersion: [payload[13]!, payload[14]!, payload[15]!],
      capabilities: payload[16]!,
    };
    return new CtapHidChannel(device, cid, info, options);
  }

  /** One CTAPHID transaction; transactions on a channel never interleave (§11.2.5.1). */
  transact(cmd: number, payload: Uint8Array, options: TransactOptions = {}): Promise<Uint8Array> {
    const run = this.queue.then(() => this.exchange(cmd, payload, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  ping(data: Uint8Array, options: TransactOptions = {}): Promise<Uint8Array> {
    return this.transact(CTAPHID.PING, data, options);
  }

  /** CTAPHID_CBOR carries one CTAP2 command byte + CBOR parameters (§11.2.9.1.2). */
  cbor(request: Uint8Array, options: TransactOptions = {}): Promise<Uint8Array> {
    return this.transact(CTAPHID.CBOR, request, options);
  }

  close(): Promise<void> {
    return this.device.close();
  }

  private async exchange(
    cmd: number,
    payload: Uint8Array,
    options: TransactOptions & { accept?: (m: CtapHidMessage) => boolean },
  ): Promise<Uint8Array> {
    let reports: Uint8Array[];
    try {
      reports = encodeMessage(this.cid, cmd, payload);
    } catch (e) {
      if (e instanceof CtapHidFrameError) throw new VaultError('INVALID_INPUT', e.message, { reason: e.code });
      throw e;
    }
    for (let attempt = 0; ; attempt++) {
      if (options.signal?.aborted) throw cancelledError();
      for (const r of reports) await this.device.write(r);
      const outcome = await this.receive(cmd, options);
      if (outcome.kind === 'ok') return outcome.payload;
      // CHANNEL_BUSY: another application holds the device (§11.2.5.1); wait and resend.
      if (attempt >= this.opts.busyRetries) {
        throw fido2Error('The hardware key is busy with another application.', { reason: 'busy', ctaphidError: CTAPHID_ERR.CHANNEL_BUSY });
      }
      await sleep(this.opts.busyRetryDelayMs, options.signal);
    }
  }

  private async receive(cmd: number, options: TransactOptions & { accept?: (m: CtapHidMessage) => boolean }): Promise<Outcome> {
    const idle = options.idleTimeoutMs ?? this.opts.idleTimeoutMs;
    const assembler = new MessageAssembler(this.cid);
    let deadline = Date.now() + idle;
    let cancelSent = false;
    for (;;) {
      if (options.signal?.aborted && !cancelSent) {
        // CTAPHID_CANCEL (§11.2.9.1.5) has no response of its own; the pending request then
        // ends with CTAP2_ERR_KEEPALIVE_CANCEL, which we wait for so the device is left idle.
        cancelSent = true;
        for (const r of encodeMessage(this.cid, CTAPHID.CANCEL, new Uint8Array(0))) await this.device.write(r);
        deadline = Date.now() + idle;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        if (cancelSent) throw cancelledError();
        throw fido2Error('The hardware key stopped responding.', { reason: 'timeout', timeoutMs: idle });
      }
      const report = await this.device.read(Math.min(remaining, this.opts.pollMs));
      if (report === undefined) continue;
      let message: CtapHidMessage | undefined;
      try {
        message = assembler.push(report);
      } catch (e) {
        if (e instanceof CtapHidFrameError) {
          throw fido2Error(`Malformed response from the hardware key: ${e.message}`, { reason: 'frame', frameError: e.code });
        }
        throw e;
      }
      if (message === undefined) {
        if (assembler.pending) deadline = Date.now() + idle;
        continue;
      }
      deadline = Date.now() + idle;
      if (message.cmd === CTAPHID.KEEPALIVE) {
        // §11.2.9.1.7: the authenticator is alive; status says processing or waiting for touch.
        options.onKeepalive?.(message.payload[0] ?? 0);
        continue;
      }
      if (message.cmd === CTAPHID.ERROR) {
        const code = message.payload[0] ?? CTAPHID_ERR.OTHER;
        if (code === CTAPHID_ERR.CHANNEL_BUSY && !cancelSent) return { kind: 'busy' };
        if (cancelSent) throw cancelledError();
        throw fido2Error(`The hardware key reported CTAPHID error 0x${code.toString(16)}.`, { reason: 'ctaphid', ctaphidError: code });
      }
      if (message.cmd === (cmd | 0x80)) {
        if (options.accept && !options.accept(message)) continue;
        if (cancelSent) throw cancelledError();
        return { kind: 'ok', payload: message.payload };
      }
      throw fido2Error('The hardware key answered a different command.', { reason: 'protocol', cmd: message.cmd });
    }
  }
}

function stripUndefined(o: CtapHidChannelOptions): Partial<typeof DEFAULTS> {
  const out: Partial<typeof DEFAULTS> = {};
  if (o.idleTimeoutMs !== undefined) out.idleTimeoutMs = o.idleTimeoutMs;
  if (o.busyRetries !== undefined) out.busyRetries = o.busyRetries;
  if (o.busyRetryDelayMs !== undefined) out.busyRetryDelayMs = o.busyRetryDelayMs;
  if (o.pollMs !== undefined) out.pollMs = o.pollMs;
  return out;
}
