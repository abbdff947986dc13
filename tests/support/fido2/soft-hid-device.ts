// The device side of CTAPHID (CTAP 2.1 §11.2) in front of a SoftAuthenticator, behind the same
// HidDevice interface node-hid is adapted to. Framing is written here independently of the
// host codec. Every open handle receives every input report, as with hidraw.
import { randomBytes } from 'node:crypto';
import type { HidDevice, HidDeviceDescriptor, HidTransport } from '../../../src/node/fido2/hid-device.port.js';
import type { SoftAuthenticator } from './soft-authenticator.js';

const REPORT = 64;
const BROADCAST = 0xffffffff;
const MAX_MSG = 57 + 128 * 59;
const ERR = {
  INVALID_CMD: 0x01,
  INVALID_LEN: 0x03,
  INVALID_SEQ: 0x04,
  MSG_TIMEOUT: 0x05,
  CHANNEL_BUSY: 0x06,
  INVALID_CHANNEL: 0x0b,
} as const;

/** One-shot faults: each is consumed by the next response (or request) it applies to. */
export interface SoftHidFaults {
  /** Corrupt the SEQ of the first continuation packet of the next multi-packet response. */
  badSeq?: boolean;
  /** Send only the init packet of the next multi-packet response. */
  dropContinuation?: boolean;
  /** Send the first report of the next response cut to 20 bytes. */
  shortReport?: boolean;
  /** Answer the next request with CTAPHID_ERROR and this code. */
  ctaphidError?: number;
  /** Never answer the next request at all. */
  silent?: boolean;
}

interface Assembly {
  cmd: number;
  buffer: Buffer;
  filled: number;
  seq: number;
  timer: NodeJS.Timeout;
}

class SoftHandle implements HidDevice {
  readonly queue: Uint8Array[] = [];
  private waiter: (() => void) | undefined;
  closed = false;

  constructor(private readonly device: SoftHidDevice) {}

  deliver(report: Uint8Array): void {
    this.queue.push(report);
    this.waiter?.();
  }

  async write(report: Uint8Array): Promise<void> {
    if (this.closed || !this.device.plugged) throw new Error('write failed: device not available');
    if (report.length !== REPORT) throw new Error(`HID write of ${report.length} bytes`);
    this.device.receive(new Uint8Array(report));
  }

  read(timeoutMs: number): Promise<Uint8Array | undefined> {
    if (this.closed) return Promise.reject(new Error('read on closed device'));
    const next = this.queue.shift();
    if (next) return Promise.resolve(next);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(undefined);
      }, timeoutMs);
      this.waiter = () => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(this.queue.shift());
      };
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.device.detach(this);
  }
}

export class SoftHidDevice {
  readonly path = `soft-hid-${randomBytes(4).toString('hex')}`;
  plugged = true;
  faults: SoftHidFaults = {};
  keepaliveIntervalMs = 20;
  /** Max gap between packets of one request before MSG_TIMEOUT (§11.2.5.2). */
  messageTimeoutMs = 500;
  /** Every report the device sent, for frame-level assertions. */
  readonly sent: Uint8Array[] = [];
  /** Every report the host wrote. */
  readonly received: Uint8Array[] = [];
  private readonly handles = new Set<SoftHandle>();
  private readonly channels = new Set<number>();
  private nextCid = 1;
  private assembling: { cid: number; a: Assembly } | undefined;
  private busy: { cid: number; abort: AbortController } | undefined;

  constructor(readonly authenticator: SoftAuthenticator) {}

  open(): HidDevice {
    if (!this.plugged) throw new Error('device unplugged');
    const h = new SoftHandle(this);
    this.handles.add(h);
    return h;
  }

  get openHandles(): number {
    return this.handles.size;
  }

  detach(h: SoftHandle): void {
    this.handles.delete(h);
  }

  /** Queue raw reports as if the device sent them (for parser tests). */
  inject(report: Uint8Array): void {
    for (const h of this.handles) h.deliver(report);
  }

  private emit(report: Uint8Array): void {
    this.sent.push(report);
    this.inject(report);
  }

  private send(cid: number, cmd: number, payload: Uint8Array, applyFaults = false): void {
    const reports: Uint8Array[] = [];
    const first = Buffer.alloc(REPORT);
    first.writeUInt32BE(cid, 0);
    first[4] = cmd;
    first.writeUInt16BE(payload.length, 5);
    Buffer.from(payload.subarray(0, 57)).copy(first, 7);
    reports.push(first);
    for (let off = 57, seq = 0; off < payload.length; off += 59, seq++) {
      const cont = Buffer.alloc(REPORT);
      cont.writeUInt32BE(cid, 0);
      cont[4] = seq;
      Buffer.from(payload.subarray(off, off + 59)).copy(cont, 5);
      reports.push(cont);
    }
    if (applyFaults && reports.length > 1 && this.faults.badSeq) {
      this.faults.badSeq = false;
      reports[1]![4] = 0x05;
    }
    if (applyFaults && reports.length > 1 && this.faults.dropContinuation) {
      this.faults.dropContinuation = false;
      reports.length = 1;
    }
    if (applyFaults && this.faults.shortReport) {
      this.faults.shortReport = false;
      reports[0] = reports[0]!.subarray(0, 20);
    }
    for (const r of reports) this.emit(r);
  }

  private error(cid: number, code: number): void {
    this.send(cid, 0xbf, Uint8Array.of(code));
  }

  /** One output report from the host. */
  receive(report: Uint8Array): void {
    this.received.push(report);
    const cid = Buffer.from(report).readUInt32BE(0);
    const type = report[4]!;
    if ((type & 0x80) !== 0) this.onInit(cid, type, (report[5]! << 8) | report[6]!, report.subarray(7));
    else this.onCont(cid, type, report.subarray(5));
  }

  private onInit(cid: number, cmd: number, bcnt: number, data: Uint8Array): void {
    if (cmd === 0x86) return this.init(cid, data); // INIT is answered even while busy (§11.2.9.1.3)
    if (cmd === 0x91) {
      // CANCEL (§11.2.9.1.5): only the channel running the transaction may cancel it; no reply.
      if (this.busy?.cid === cid) this.busy.abort.abort();
      return;
    }
    if (cid === BROADCAST || cid === 0 || !this.channels.has(cid)) return this.error(cid, ERR.INVALID_CHANNEL);
    if ((this.busy && this.busy.cid !== cid) || (this.assembling && this.assembling.cid !== cid)) return this.error(cid, ERR.CHANNEL_BUSY);
    if (this.busy) return this.error(cid, ERR.CHANNEL_BUSY);
    if (this.assembling) {
      clearTimeout(this.assembling.a.timer);
      this.assembling = undefined;
      return this.error(cid, ERR.INVALID_SEQ);
    }
    if (bcnt > MAX_MSG) return this.error(cid, ERR.INVALID_LEN);
    const buffer = Buffer.alloc(bcnt);
    const take = Math.min(bcnt, 57);
    Buffer.from(data.subarray(0, take)).copy(buffer);
    if (take === bcnt) return this.dispatch(cid, cmd, buffer);
    this.assembling = { cid, a: { cmd, buffer, filled: take, seq: 0, timer: this.msgTimer(cid) } };
  }

  private msgTimer(cid: number): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.assembling = undefined;
      this.error(cid, ERR.MSG_TIMEOUT);
    }, this.messageTimeoutMs);
    t.unref();
    return t;
  }

  private onCont(cid: number, seq: number, data: Uint8Array): void {
    const cur = this.assembling;
    if (!cur) return; // spurious continuation: ignored
    if (cur.cid !== cid) return this.error(cid, ERR.CHANNEL_BUSY);
    clearTimeout(cur.a.timer);
    if (seq !== cur.a.seq) {
      this.assembling = undefined;
      return this.error(cid, ERR.INVALID_SEQ);
    }
    const take = Math.min(cur.a.buffer.length - cur.a.filled, 59);
    Buffer.from(data.subarray(0, take)).copy(cur.a.buffer, cur.a.filled);
    cur.a.filled += take;
    cur.a.seq += 1;
    if (cur.a.filled < cur.a.buffer.length) {
      cur.a.timer = this.msgTimer(cid);
      return;
    }
    this.assembling = undefined;
    this.dispatch(cid, cur.a.cmd, cur.a.buffer);
  }

  private init(cid: number, nonce: Uint8Array): void {
    let newCid = cid;
    if (cid === BROADCAST) {
      newCid = this.nextCid++;
      this.channels.add(newCid);
    } else if (this.channels.has(cid)) {
      // INIT on an allocated channel resynchronises it: drop its pending request.
      if (this.assembling?.cid === cid) this.assembling = undefined;
      if (this.busy?.cid === cid) this.busy.abort.abort();
    } else {
      return this.error(cid, ERR.INVALID_CHANNEL);
    }
    const resp = Buffer.alloc(17);
    Buffer.from(nonce.subarray(0, 8)).copy(resp);
    resp.writeUInt32BE(newCid, 8);
    resp[12] = 2; // CTAPHID protocol version
    resp.set([5, 4, 0], 13); // device version
    resp[16] = 0x01 | 0x04 | 0x08; // WINK | CBOR | NMSG
    this.send(cid, 0x86, resp);
  }

  private dispatch(cid: number, cmd: number, payload: Buffer): void {
    if (this.faults.silent) {
      this.faults.silent = false;
      return;
    }
    if (this.faults.ctaphidError !== undefined) {
      const code = this.faults.ctaphidError;
      delete this.faults.ctaphidError;
      return this.error(cid, code);
    }
    if (cmd === 0x81) return this.send(cid, 0x81, payload, true); // PING echoes
    if (cmd === 0x88) return this.send(cid, 0x88, new Uint8Array(0)); // WINK
    if (cmd !== 0x90) return this.error(cid, ERR.INVALID_CMD); // MSG is not offered (NMSG)
    const abort = new AbortController();
    this.busy = { cid, abort };
    let status: 1 | 2 = 1;
    const keepalive = setInterval(() => this.send(cid, 0xbb, Uint8Array.of(status)), this.keepaliveIntervalMs);
    const ctx = { signal: abort.signal, setStatus: (s: 1 | 2) => (status = s) };
    void this.authenticator
      .handle(payload, ctx)
      .catch(() => Uint8Array.of(0x7f))
      .then((response) => {
        clearInterval(keepalive);
        if (this.busy?.abort === abort) this.busy = undefined;
        this.send(cid, 0x90, response, true);
      });
  }
}

/** A HidTransport over soft devices; plug/unplug by toggling `device.plugged`. */
export class SoftHidTransport implements HidTransport {
  constructor(readonly devices: SoftHidDevice[] = []) {}

  async list(): Promise<readonly HidDeviceDescriptor[]> {
    return this.devices
      .filter((d) => d.plugged)
      .map((d) => ({ path: d.path, vendorId: 0x1209, productId: 0xf1d0, product: 'Soft FIDO2 key' }));
  }

  async open(path: string): Promise<HidDevice> {
    const d = this.devices.find((x) => x.path === path && x.plugged);
    if (!d) throw new Error(`no device at ${path}`);
    return d.open();
  }
}
