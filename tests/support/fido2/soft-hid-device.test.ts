// Checks of the stand-in itself, at the raw report level, so host tests rely on a device that
// behaves as CTAP 2.1 §11.2 says.
import { describe, expect, it } from 'vitest';
import { createSoftKey } from './soft-key.js';
import { isCanonical } from './soft-cbor.js';

function report(cid: number, cmd: number, payload: number[]): Uint8Array {
  const r = new Uint8Array(64);
  new DataView(r.buffer).setUint32(0, cid);
  r[4] = cmd;
  r[5] = payload.length >> 8;
  r[6] = payload.length & 0xff;
  r.set(payload, 7);
  return r;
}

async function initChannel(handle: ReturnType<ReturnType<typeof createSoftKey>['device']['open']>): Promise<number> {
  await handle.write(report(0xffffffff, 0x86, [1, 2, 3, 4, 5, 6, 7, 8]));
  const resp = (await handle.read(1000))!;
  expect([...resp.subarray(0, 7)]).toEqual([0xff, 0xff, 0xff, 0xff, 0x86, 0, 17]);
  expect([...resp.subarray(7, 15)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  return new DataView(resp.buffer, resp.byteOffset).getUint32(15);
}

describe('SoftHidDevice (test stand-in)', () => {
  it('answers INIT on broadcast with nonce, new CID, protocol 2, CBOR capability', async () => {
    const key = createSoftKey();
    const h = key.device.open();
    const cid = await initChannel(h);
    expect(cid).toBeGreaterThan(0);
    const last = key.device.sent.at(-1)!;
    expect(last[7 + 12]).toBe(2);
    expect(last[7 + 16]! & 0x04).toBe(0x04);
  });

  it('rejects an unallocated channel with ERR_INVALID_CHANNEL and unknown commands with INVALID_CMD', async () => {
    const key = createSoftKey();
    const h = key.device.open();
    await h.write(report(0x42, 0x81, [1]));
    expect([...(await h.read(1000))!.subarray(4, 8)]).toEqual([0xbf, 0, 1, 0x0b]);
    const cid = await initChannel(h);
    await h.write(report(cid, 0x83, [0]));
    expect([...(await h.read(1000))!.subarray(4, 8)]).toEqual([0xbf, 0, 1, 0x01]);
  });

  it('answers a SEQ gap with ERR_INVALID_SEQ', async () => {
    const key = createSoftKey();
    const h = key.device.open();
    const cid = await initChannel(h);
    await h.write(report(cid, 0x81, new Array(57).fill(9).concat()));
    // Declare 100 bytes, then send continuation SEQ 1 instead of 0.
    const init = report(cid, 0x81, new Array(57).fill(1));
    init[5] = 0;
    init[6] = 100;
    await h.read(1000); // the 57-byte ping echo
    await h.write(init);
    const cont = new Uint8Array(64);
    new DataView(cont.buffer).setUint32(0, cid);
    cont[4] = 1;
    await h.write(cont);
    expect([...(await h.read(1000))!.subarray(4, 8)]).toEqual([0xbf, 0, 1, 0x04]);
  });

  it('refuses non-canonical CBOR with CTAP2_ERR_INVALID_CBOR', async () => {
    const key = createSoftKey();
    const h = key.device.open();
    const cid = await initChannel(h);
    // getAssertion with map keys out of order: {2: h'', 1: "x"}
    await h.write(report(cid, 0x90, [0x02, 0xa2, 0x02, 0x40, 0x01, 0x61, 0x78]));
    expect([...(await h.read(1000))!.subarray(4, 8)]).toEqual([0x90, 0, 1, 0x12]);
    expect(isCanonical(Uint8Array.of(0xa2, 0x01, 0x61, 0x78, 0x02, 0x40))).toBe(true);
  });

  it('delivers every input report to every open handle, like hidraw', async () => {
    const key = createSoftKey();
    const a = key.device.open();
    const b = key.device.open();
    await a.write(report(0xffffffff, 0x86, [9, 9, 9, 9, 9, 9, 9, 9]));
    expect(await a.read(1000)).toEqual(await b.read(1000));
    await a.close();
    expect(key.device.openHandles).toBe(1);
  });
});
