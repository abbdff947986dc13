// One opened authenticator: a CTAPHID channel, a CTAP2 client and its getInfo, bundled so the
// enrolment and the hardware-key binding share the same open/close discipline.
import type { HidDevice } from './hid-device.port.js';
import { CAPABILITY_CBOR, CtapHidChannel, type CtapHidChannelOptions } from './ctaphid-channel.js';
import { Ctap2Client } from './ctap2-client.js';
import type { GetInfoResponse } from './ctap2-responses.js';
import { VaultError } from '../../core/errors.js';
import { HMAC_SECRET } from './hmac-secret.js';

export interface Fido2Session {
  readonly channel: CtapHidChannel;
  readonly client: Ctap2Client;
  readonly info: GetInfoResponse;
  close(): Promise<void>;
}

export async function openSession(device: HidDevice, options: CtapHidChannelOptions = {}): Promise<Fido2Session> {
  try {
    const channel = await CtapHidChannel.open(device, options);
    // A U2F-only device lacks CAPABILITY_CBOR (§11.2.9.1.3) and cannot do hmac-secret.
    if ((channel.info.capabilities & CAPABILITY_CBOR) === 0) {
      throw new VaultError('FIDO2_ERROR', 'This security key does not support FIDO2.', { reason: 'unsupported' });
    }
    const client = new Ctap2Client(channel);
    const info = await client.getInfo(options.signal ? { signal: options.signal } : {});
    if (!info.extensions.includes(HMAC_SECRET)) {
      throw new VaultError('FIDO2_ERROR', 'This security key does not support hmac-secret.', { reason: 'unsupported' });
    }
    return { channel, client, info, close: () => device.close() };
  } catch (e) {
    await device.close().catch(() => undefined);
    throw e;
  }
}
