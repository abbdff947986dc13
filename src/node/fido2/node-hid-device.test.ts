import { describe, expect, it, vi } from 'vitest';
import {
  FIDO_USAGE_PAGE,
  NodeHidDevice,
  NodeHidTransport,
  isFidoDevice,
  type NodeHidAsyncDevice,
  type NodeHidDeviceInfo,
  type NodeHidModule,
} from './node-hid-device.js';
import { CtapHidChannel } from './ctaphid-channel.js';
import { createSoftKey } from '../../../tests/support/fido2/soft-key.js';

const dev = (over: Partial<NodeHidDeviceInfo>): NodeHidDeviceInfo => ({
  vendorId: 0x1050,
  productId: 0x0407,
  path: '/dev/hidraw0',
  usagePage: FIDO_USAGE_PAGE,
  usage: 1,
  ...over,
});

function fakeHid(devices: NodeHidDeviceInfo[], open: (path: string) => Promise<NodeHidAsyncDevice>): NodeHidModule {
  return { devicesAsync: vi.fn(async () => devices), HIDAsync: { open: vi.fn(open) } };
}

describe('node-hid adapter (mocked module)', () => {
  it('lists only FIDO interfaces (usage page 0xF1D0, usage 1), once per path', async () => {
    const hid = fakeHid(
      [
        dev({ path: '/dev/hidraw0', product: 'YubiKey' }),
        dev({ path: '/dev/hidraw1', usagePage: 0x01, usage: 0x06 }), // keyboard (OTP) interface
        dev({ path: '/dev/hidraw0' }), // same interface reported twice
        dev({ path: '/dev/hidraw2', usage: 0x02 }),
        dev({ path: undefined }),
      ],
      async () => Promise.reject(new Error('unused')),
    );
    const list = await new NodeHidTransport(() => hid).list();
    expect(list).toEqual([{ path: '/dev/hidraw0', vendorId: 0x1050, productId: 0x0407, product: 'YubiKey' }]);
    expect(isFidoDevice(dev({ usagePage: 0xf1d1 }))).toBe(false);
  });

  it('loads node-hid lazily, only when first used', async () => {
    const load = vi.fn(() => fakeHid([], async () => Promise.reject(new Error('x'))));
    const t = new NodeHidTransport(load);
    expect(load).not.toHaveBeenCalled();
    await t.list();
    await t.list();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('writes 65 bytes with report id 0 and returns 64-byte reads as Uint8Array', async () => {
    const writes: Buffer[] = [];
    const inner: NodeHidAsyncDevice = {
      write: vi.fn(async (v: number[] | Buffer) => {
        writes.push(Buffer.from(v));
        return 65;
      }),
      read: vi.fn(async () => Buffer.alloc(64, 7)),
      close: vi.fn(async () => undefined),
    };
    const d = new NodeHidDevice(inner);
    const report = Uint8Array.from({ length: 64 }, (_, i) => i);
    await d.write(report);
    expect(writes[0]).toHaveLength(65);
    expect(writes[0]![0]).toBe(0);
    expect([...writes[0]!.subarray(1)]).toEqual([...report]);
    const r = await d.read(100);
    expect(r).toBeInstanceOf(Uint8Array);
    expect(r).toHaveLength(64);
    await d.close();
    await d.close();
    expect(inner.close).toHaveBeenCalledTimes(1);
    await expect(d.write(new Uint8Array(10))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('maps a read timeout (undefined) to undefined and open failures to FIDO2_ERROR', async () => {
    const inner: NodeHidAsyncDevice = { write: async () => 65, read: async () => undefined, close: async () => undefined };
    expect(await new NodeHidDevice(inner).read(5)).toBeUndefined();
    const hid = fakeHid([dev({})], async () => Promise.reject(new Error('permission denied')));
    await expect(new NodeHidTransport(() => hid).open('/dev/hidraw0')).rejects.toMatchObject({
      code: 'FIDO2_ERROR',
      details: { reason: 'hid-open' },
    });
  });

  it('carries a full CTAPHID INIT + PING through a node-hid-shaped device backed by the soft key', async () => {
    const key = createSoftKey();
    const handle = key.device.open();
    // Behave like HIDAsync: strip report id 0 on write, return Buffers on read.
    const inner: NodeHidAsyncDevice = {
      write: async (v) => {
        const b = Buffer.from(v);
        expect(b[0]).toBe(0);
        await handle.write(b.subarray(1));
        return b.length;
      },
      read: async (t) => {
        const r = await handle.read(t ?? 100);
        return r ? Buffer.from(r) : undefined;
      },
      close: () => handle.close(),
    };
    const hid = fakeHid([dev({ path: key.device.path })], async () => inner);
    const transport = new NodeHidTransport(() => hid);
    const [found] = await transport.list();
    const channel = await CtapHidChannel.open(await transport.open(found!.path));
    expect(await channel.ping(Uint8Array.of(1, 2, 3))).toEqual(Uint8Array.of(1, 2, 3));
    await channel.close();
  });
});
