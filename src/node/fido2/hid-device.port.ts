// The CTAPHID code talks to this small interface instead of node-hid, so that the shipped
// transport (node-hid-device.ts) and the test authenticator (tests/support/fido2) are
// interchangeable and no test needs a physical key.

/** FIDO HID reports are 64 bytes (CTAP 2.1 §11.2.4, "HID report size is 64 bytes"). */
export const HID_REPORT_SIZE = 64;

/** One open FIDO HID interface. Reports are exchanged WITHOUT the report-id byte. */
export interface HidDevice {
  /** Send one 64-byte output report. */
  write(report: Uint8Array): Promise<void>;
  /** Next 64-byte input report, or undefined when none arrived within `timeoutMs`. */
  read(timeoutMs: number): Promise<Uint8Array | undefined>;
  close(): Promise<void>;
}

/** What discovery reports about a FIDO device; never contains secrets. */
export interface HidDeviceDescriptor {
  readonly path: string;
  readonly vendorId: number;
  readonly productId: number;
  readonly product?: string;
  readonly manufacturer?: string;
}

/** Finds FIDO devices and opens them (node-hid in production, soft devices in tests). */
export interface HidTransport {
  list(): Promise<readonly HidDeviceDescriptor[]>;
  open(path: string): Promise<HidDevice>;
}
