// Pure CTAPHID packet codec: message -> 64-byte reports and reports -> message.
// It never touches a device, so it can be fuzzed; every malformed input surfaces as
// CtapHidFrameError and nothing else.
import { HID_REPORT_SIZE } from './hid-device.port.js';

// CTAPHID command codes, CTAP 2.1 §11.2.9 (the init-packet CMD byte has bit 7 set).
export const CTAPHID = {
  PING: 0x81,
  MSG: 0x83,
  LOCK: 0x84,
  INIT: 0x86,
  WINK: 0x88,
  CBOR: 0x90,
  CANCEL: 0x91,
  KEEPALIVE: 0xbb,
  ERROR: 0xbf,
} as const;

// CTAPHID_ERROR codes, CTAP 2.1 §11.2.9.1.6.
export const CTAPHID_ERR = {
  INVALID_CMD: 0x01,
  INVALID_PAR: 0x02,
  INVALID_LEN: 0x03,
  INVALID_SEQ: 0x04,
  MSG_TIMEOUT: 0x05,
  CHANNEL_BUSY: 0x06,
  LOCK_REQUIRED: 0x0a,
  INVALID_CHANNEL: 0x0b,
  OTHER: 0x7f,
} as const;

/** KEEPALIVE status byte, CTAP 2.1 §11.2.9.1.7. */
export const KEEPALIVE_STATUS = { PROCESSING: 1, UPNEEDED: 2 } as const;

/** The broadcast channel, used only for CTAPHID_INIT (CTAP 2.1 §11.2.3). */
export const BROADCAST_CID = 0xffffffff;

// CTAP 2.1 §11.2.4: init packet = CID(4) CMD(1) BCNT(2) DATA(s-7);
// continuation = CID(4) SEQ(1) DATA(s-5), SEQ 0..0x7f.
export const INIT_DATA_SIZE = HID_REPORT_SIZE - 7; // 57
export const CONT_DATA_SIZE = HID_REPORT_SIZE - 5; // 59
export const MAX_SEQ = 0x7f;
/** 57 + 128 * 59 = 7609 bytes, the largest message a 64-byte report can carry (§11.2.4). */
export const MAX_MESSAGE_SIZE = INIT_DATA_SIZE + (MAX_SEQ + 1) * CONT_DATA_SIZE;

export type CtapHidFrameErrorCode = 'BAD_REPORT_SIZE' | 'BAD_LENGTH' | 'BAD_SEQ' | 'UNEXPECTED_CONTINUATION' | 'MESSAGE_TOO_LARGE';

/** The only error this module throws. */
export class CtapHidFrameError extends Error {
  override readonly name = 'CtapHidFrameError';
  constructor(
    readonly code: CtapHidFrameErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface InitPacket {
  readonly kind: 'init';
  readonly cid: number;
  readonly cmd: number;
  readonly bcnt: number;
  readonly data: Uint8Array;
}
export interface ContPacket {
  readonly kind: 'cont';
  readonly cid: number;
  readonly seq: number;
  readonly data: Uint8Array;
}
export type Packet = InitPacket | ContPacket;

export interface CtapHidMessage {
  readonly cid: number;
  readonly cmd: number;
  readonly payload: Uint8Array;
}

function readCid(report: Uint8Array): number {
  return ((report[0]! << 24) | (report[1]! << 16) | (report[2]! << 8) | report[3]!) >>> 0;
}

function writeCid(target: Uint8Array, cid: number): void {
  target[0] = (cid >>> 24) & 0xff;
  target[1] = (cid >>> 16) & 0xff;
  target[2] = (cid >>> 8) & 0xff;
  target[3] = cid & 0xff;
}

/** Split one message into 64-byte reports (CTAP 2.1 §11.2.4), zero padded as the spec requires. */
export function encodeMessage(cid: number, cmd: number, payload: Uint8Array): Uint8Array[] {
  if (payload.length > MAX_MESSAGE_SIZE) {
    throw new CtapHidFrameError('MESSAGE_TOO_LARGE', `payload of ${payload.length} bytes exceeds ${MAX_MESSAGE_SIZE}`);
  }
  const reports: Uint8Array[] = [];
  const first = new Uint8Array(HID_REPORT_SIZE);
  writeCid(first, cid);
  first[4] = cmd | 0x80;
  first[5] = (payload.length >> 8) & 0xff;
  first[6] = payload.length & 0xff;
  first.set(payload.subarray(0, INIT_DATA_SIZE), 7);
  reports.push(first);
  let offset = INIT_DATA_SIZE;
  for (let seq = 0; offset < payload.length; seq++) {
    const cont = new Uint8Array(HID_REPORT_SIZE);
    writeCid(cont, cid);
    cont[4] = seq;
    cont.set(payload.subarray(offset, offset + CONT_DATA_SIZE), 5);
    reports.push(cont);
    offset += CONT_DATA_SIZE;
  }
  return reports;
}

/** Decode one report; the high bit of byte 4 tells init from continuation (§11.2.4). */
export function parsePacket(report: Uint8Array): Packet {
  if (report.length !== HID_REPORT_SIZE) {
    throw new CtapHidFrameError('BAD_REPORT_SIZE', `report of ${report.length} bytes, expected ${HID_REPORT_SIZE}`);
  }
  const cid = readCid(report);
  const type = report[4]!;
  if ((type & 0x80) !== 0) {
    const bcnt = (report[5]! << 8) | report[6]!;
    if (bcnt > MAX_MESSAGE_SIZE) {
      throw new CtapHidFrameError('BAD_LENGTH', `BCNT ${bcnt} exceeds ${MAX_MESSAGE_SIZE}`);
    }
    return { kind: 'init', cid, cmd: type, bcnt, data: report.slice(7) };
  }
  return { kind: 'cont', cid, seq: type, data: report.slice(5) };
}

/**
 * Reassembles the response on one channel. Packets for other channels are ignored (other
 * applications may share the device, §11.2.3); a sequence gap or a stray continuation is a
 * framing error rather than silently corrupted data (§11.2.6).
 */
export class MessageAssembler {
  private current: { cmd: number; buffer: Uint8Array; filled: number; nextSeq: number } | undefined;

  constructor(private readonly cid: number) {}

  /** Feed one report; returns the message once complete, undefined while more is expected. */
  push(report: Uint8Array): CtapHidMessage | undefined {
    const packet = parsePacket(report);
    if (packet.cid !== this.cid) return undefined;
    if (packet.kind === 'init') {
      // A new init packet on our channel starts over (e.g. KEEPALIVE, ERROR between messages).
      const buffer = new Uint8Array(packet.bcnt);
      const take = Math.min(packet.bcnt, INIT_DATA_SIZE);
      buffer.set(packet.data.subarray(0, take));
      this.current = { cmd: packet.cmd, buffer, filled: take, nextSeq: 0 };
    } else {
      const cur = this.current;
      if (cur === undefined) {
        throw new CtapHidFrameError('UNEXPECTED_CONTINUATION', `continuation SEQ ${packet.seq} without an init packet`);
      }
      if (packet.seq !== cur.nextSeq) {
        this.current = undefined;
        throw new CtapHidFrameError('BAD_SEQ', `expected SEQ ${cur.nextSeq}, got ${packet.seq}`);
      }
      const take = Math.min(cur.buffer.length - cur.filled, CONT_DATA_SIZE);
      cur.buffer.set(packet.data.subarray(0, take), cur.filled);
      cur.filled += take;
      cur.nextSeq += 1;
    }
    const done = this.current;
    if (done !== undefined && done.filled === done.buffer.length) {
      this.current = undefined;
      return { cid: this.cid, cmd: done.cmd, payload: done.buffer };
    }
    return undefined;
  }

  /** True while a multi-packet message is half received. */
  get pending(): boolean {
    return this.current !== undefined;
  }

  reset(): void {
    this.current = undefined;
  }
}
