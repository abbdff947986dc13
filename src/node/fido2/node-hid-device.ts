// The only file that knows node-hid. It filters FIDO interfaces and adapts HIDAsync to our
// HidDevice (64-byte reports; node-hid wants a leading report-id byte on writes).
import { createRequire } from 'node:module';
// Types only: the module itself is loaded lazily below (its native binding needs libusb).
import type { Device, HIDAsync } from 'node-hid';
import { VaultError } from '../../core/errors.js';
import { HID_REPORT_SIZE, type HidDevice, type HidDeviceDescriptor, type HidTransport } from './hid-device.port.js';

/** FIDO usage page and CTAPHID usage (CTAP 2.1 §11.2.8.2, HID report descriptor). */
export const FIDO_USAGE_PAGE = 0xf1d0;
export const FIDO_USAGE_CTAPHID = 0x01;

/** The slice of node-hid's Device we read, taken from node-hid's own types (never written twice). */
export type NodeHidDeviceInfo = Readonly<
  Pick<Device, 'vendorId' | 'productId' | 'path' | 'product' | 'manufacturer' | 'usagePage' | 'usage'>
>;

/** The slice of node-hid's HIDAsync we use. */
export type NodeHidAsyncDevice = Pick<HIDAsync, 'write' | 'read' | 'close'>;

/** The slice of the node-hid module we use; injected so tests can fake it. */
export interface NodeHidModule {
  devicesAsync(): Promise<NodeHidDeviceInfo[]>;
  HIDAsync: { open(path: string): Promise<NodeHidAsyncDevice> };
}

export function isFidoDevice(d: NodeHidDeviceInfo): d is NodeHidDeviceInfo & { path: string } {
  return d.usagePage === FIDO_USAGE_PAGE && d.usage === FIDO_USAGE_CTAPHID && typeof d.path === 'string' && d.path.length > 0;
}

/** Loads node-hid lazily: its native binding needs libusb, and most vault runs never touch a key. */
export function loadNodeHid(): NodeHidModule {
  const require = createRequire(import.meta.url);
  return require('node-hid') as NodeHidModule;
}

export class NodeHidDevice implements HidDevice {
  private closed = false;

  constructor(private readonly hid: NodeHidAsyncDevice) {}

  async write(report: Uint8Array): Promise<void> {
    if (report.length !== HID_REPORT_SIZE) throw new VaultError('INVALID_INPUT', `HID reports are ${HID_REPORT_SIZE} bytes.`);
    // hidapi: first byte is the report id; FIDO uses unnumbered reports, so 0x00 + 64 bytes.
    const out = Buffer.alloc(HID_REPORT_SIZE + 1);
    out.set(report, 1);
    const written = await this.hid.write(out);
    if (written < HID_REPORT_SIZE) {
      throw new VaultError('FIDO2_ERROR', 'Short write to the security key.', { reason: 'hid-io', written });
    }
  }

  async read(timeoutMs: number): Promise<Uint8Array | undefined> {
    const data = await this.hid.read(Math.max(1, Math.floor(timeoutMs)));
    if (data === undefined || data.length === 0) return undefined;
    return new Uint8Array(data);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.hid.close();
  }
}

export class NodeHidTransport implements HidTransport {
  private module: NodeHidModule | undefined;

  /** Pass a module (tests) or let the real node-hid load on first use. */
  constructor(private readonly load: () => NodeHidModule = loadNodeHid) {}

  private hid(): NodeHidModule {
    this.module ??= this.load();
    return this.module;
  }

  async list(): Promise<readonly HidDeviceDescriptor[]> {
    const all = await this.hid().devicesAsync();
    const seen = new Set<string>();
    const out: HidDeviceDescriptor[] = [];
    for (const d of all) {
      // Composite keys (e.g. OTP + FIDO) expose several interfaces; keep FIDO ones, once each.
      if (!isFidoDevice(d) || seen.has(d.path)) continue;
      seen.add(d.path);
      out.push({
        path: d.path,
        vendorId: d.vendorId,
        productId: d.productId,
        ...(d.product !== undefined ? { product: d.product } : {}),
        ...(d.manufacturer !== undefined ? { manufacturer: d.manufacturer } : {}),
      });
    }
    return out;
  }

  async open(path: string): Promise<HidDevice> {
    try {
      return new NodeHidDevice(await this.hid().HIDAsync.open(path));
    } catch (e) {
      throw new VaultError('FIDO2_ERROR', 'The security key could not be opened.', {
        reason: 'hid-open',
        cause: e instanceof Error ? e.message : 'unknown',
      });
    }
  }
}
