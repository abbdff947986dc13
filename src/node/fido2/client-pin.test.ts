import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { ClientPin, PIN_PERMISSION, validatePin } from './client-pin.js';
import { createSoftKey, sessionFor } from '../../../tests/support/fido2/soft-key.js';

describe('ClientPin against the soft authenticator', () => {
  it('setPIN stores SHA-256(pin)[0..16] on the key and flips getInfo clientPin', async () => {
    const key = createSoftKey();
    const session = await sessionFor(key);
    expect(session.info.options['clientPin']).toBe(false);
    const pin = new ClientPin(session.client, session.info);
    expect(pin.protocol).toBe(2);
    await pin.setPin('1234');
    expect(Buffer.from(key.authenticator.clientPin.pin!)).toEqual(createHash('sha256').update('1234').digest().subarray(0, 16));
    expect((await session.client.getInfo()).options['clientPin']).toBe(true);
    expect(await pin.getRetries()).toBe(8);
    const token = await pin.getPinToken('1234', { permissions: PIN_PERMISSION.GA, rpId: 'memory-vault.local' });
    expect(token.token).toHaveLength(32);
    await session.close();
  });

  it('wrong PINs count down, three in a row need a power cycle, exhaustion blocks', async () => {
    const key = createSoftKey({ pin: 'right-pin' });
    const session = await sessionFor(key);
    const pin = new ClientPin(session.client, session.info);
    const scope = { permissions: PIN_PERMISSION.GA, rpId: 'memory-vault.local' };
    await expect(pin.getPinToken('wrong1', scope)).rejects.toMatchObject({ details: { reason: 'pin-invalid', pinRetries: 7 } });
    await expect(pin.getPinToken('wrong2', scope)).rejects.toMatchObject({ details: { pinRetries: 6 } });
    await expect(pin.getPinToken('wrong3', scope)).rejects.toMatchObject({
      details: { reason: 'pin-blocked', ctapError: 'CTAP2_ERR_PIN_AUTH_BLOCKED' },
    });
    key.authenticator.clientPin.powerCycle();
    await expect(pin.getPinToken('right-pin', scope)).resolves.toBeDefined();
    expect(await pin.getRetries()).toBe(8);
    await session.close();
  });

  it('falls back to getPinToken (0x05) on CTAP 2.0 keys', async () => {
    const key = createSoftKey({ pin: 'abcd' });
    const session = await sessionFor(key);
    const pin = new ClientPin(session.client, { ...session.info, options: { ...session.info.options, pinUvAuthToken: false } });
    await pin.getPinToken('abcd', { permissions: PIN_PERMISSION.GA, rpId: 'memory-vault.local' });
    // ClientPIN init packets: [cid][0x90][bcnt][0x06][map hdr][0x01][proto][0x02][subCommand]
    const subCommands = key.device.received.filter((r) => r[4] === 0x90 && r[7] === 0x06 && r[11] === 0x02).map((r) => r[12]);
    expect(subCommands).toContain(0x05);
    expect(subCommands).not.toContain(0x09);
    await session.close();
  });

  it('validates PIN length before anything is sent', () => {
    expect(() => validatePin('123')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => validatePin('x'.repeat(64))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(validatePin('1234')).toHaveLength(4);
  });
});
