// A minimal in-process HardwareKeyPort for engine tests: HMAC-SHA-256 under a per-device secret
// stands in for the FIDO2 hmac-secret output. The CTAP2 stand-in over HID lives in tests/support/fido2.
import { createHmac, randomBytes } from 'node:crypto';
import { VaultError } from '../../src/core/errors.js';
import type { HardwareKeyPort } from '../../src/core/ports/hardware-key.port.js';

export function fakeHardwareKey(credentialId = randomBytes(8).toString('hex')): HardwareKeyPort & { present: boolean; touches: number } {
  const deviceSecret = randomBytes(32);
  const key = {
    present: true,
    touches: 0,
    enrolledCredentials: () => [{ credentialId }],
    deriveSecret: (req: Parameters<HardwareKeyPort['deriveSecret']>[0]) => {
      if (!key.present) return Promise.reject(new VaultError('TOKEN_REQUIRED', 'No security key is connected.'));
      if (!req.allowCredentials.some((c) => c.credentialId === credentialId)) {
        return Promise.reject(new VaultError('TOKEN_MISMATCH', 'This security key does not hold the credential.'));
      }
      key.touches++;
      return Promise.resolve({ credentialId, secret: createHmac('sha256', deviceSecret).update(req.salt).digest() });
    },
  };
  return key;
}
