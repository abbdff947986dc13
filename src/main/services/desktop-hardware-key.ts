// The owner's security key as the desktop app uses it: real keys over node-hid in the main
// process. Touch and PIN states go to the window through `onStatus` (issue 15 item 2 builds the
// dialog on it); without a PIN provider a key with a PIN is refused rather than guessed.
import type { Fido2Status } from '../../node/fido2/fido2-status.js';
import { NodeHidTransport } from '../../node/fido2/node-hid-device.js';
import type { HardwareKeyBindingOptions } from '../../node/hardware/vault-hardware-key.js';

/** How long the desktop waits for the owner to insert a key before TOKEN_REQUIRED. */
const INSERT_TIMEOUT_MS = 30_000;

export function desktopHardwareKey(onStatus: (status: Fido2Status) => void = () => undefined): HardwareKeyBindingOptions {
  return { transport: new NodeHidTransport(), onStatus, insertTimeoutMs: INSERT_TIMEOUT_MS };
}
