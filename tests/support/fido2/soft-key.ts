// Test wiring: a soft authenticator behind a soft HID device, plus helpers to open a session
// and enrol a key exactly as production does.
import { SoftAuthenticator, type SoftAuthenticatorOptions } from './soft-authenticator.js';
import { SoftHidDevice, SoftHidTransport } from './soft-hid-device.js';
import { openSession, type Fido2Session } from '../../../src/node/fido2/fido2-session.js';
import { enrollHardwareKey, type EnrollOptions } from '../../../src/node/fido2/fido2-enroll.js';
import type { Fido2KeyRecord } from '../../../src/node/fido2/key-lifecycle.js';

export interface SoftKey {
  readonly authenticator: SoftAuthenticator;
  readonly device: SoftHidDevice;
}

export function createSoftKey(options: SoftAuthenticatorOptions = {}): SoftKey {
  const authenticator = new SoftAuthenticator(options);
  return { authenticator, device: new SoftHidDevice(authenticator) };
}

export function transportFor(...keys: SoftKey[]): SoftHidTransport {
  return new SoftHidTransport(keys.map((k) => k.device));
}

export function sessionFor(key: SoftKey): Promise<Fido2Session> {
  return openSession(key.device.open(), { idleTimeoutMs: 2000 });
}

export async function enrollSoftKey(key: SoftKey, options: EnrollOptions): Promise<Fido2KeyRecord> {
  const session = await sessionFor(key);
  try {
    return await enrollHardwareKey(session, options);
  } finally {
    await session.close();
  }
}
