import { describe, expect, it } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import { Fido2HardwareKey, type Fido2HardwareKeyOptions } from './fido2-hardware-key.js';
import type { Fido2Status } from './fido2-status.js';
import type { SignCountUpdate } from './key-lifecycle.js';
import { createSoftKey, enrollSoftKey, transportFor, type SoftKey } from '../../../tests/support/fido2/soft-key.js';
import { SoftHidTransport } from '../../../tests/support/fido2/soft-hid-device.js';

const salt = (): Uint8Array => new Uint8Array(randomBytes(32));
const idBytes = (id: string): Uint8Array => new Uint8Array(Buffer.from(id, 'base64url'));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

async function setup(keyOptions: Parameters<typeof createSoftKey>[0] = {}, enrollPin?: string) {
  const key = createSoftKey(keyOptions);
  const record = await enrollSoftKey(key, { name: 'Primary', ...(enrollPin ? { pin: enrollPin } : {}) });
  return { key, record };
}

function hardwareKey(keys: SoftKey[], records: Fido2HardwareKeyOptions['records'], extra: Partial<Fido2HardwareKeyOptions> = {}) {
  const statuses: Fido2Status[] = [];
  const updates: SignCountUpdate[] = [];
  const hk = new Fido2HardwareKey({
    transport: transportFor(...keys),
    records,
    onStatus: (s) => statuses.push(s),
    onRecordUpdate: (u) => updates.push(u),
    ...extra,
  });
  return { hk, statuses, updates };
}

describe('Fido2HardwareKey.deriveSecret (hmac-secret)', () => {
  it('returns HMAC-SHA-256(CredRandom, salt): stable for a salt, different for another salt', async () => {
    const { key, record } = await setup();
    const { hk, statuses, updates } = hardwareKey([key], () => [record]);
    const s1 = salt();
    const s2 = salt();
    const req = (s: Uint8Array) => ({ salt: s, allowCredentials: [{ credentialId: record.credentialId }], reason: 'recall "diary"' });
    const a = await hk.deriveSecret(req(s1));
    const b = await hk.deriveSecret(req(s1));
    const c = await hk.deriveSecret(req(s2));
    expect(a.credentialId).toBe(record.credentialId);
    expect(a.secret).toHaveLength(32);
    expect(hex(a.secret)).toBe(hex(b.secret));
    expect(hex(a.secret)).not.toBe(hex(c.secret));
    // Independent oracle: the soft key's CredRandom (without UV) and node:crypto.
    const credRandom = key.authenticator.credRandom(idBytes(record.credentialId), false)!;
    expect(hex(a.secret)).toBe(createHmac('sha256', credRandom).update(s1).digest('hex'));
    expect(statuses).toContainEqual({ kind: 'touch-key', reason: 'recall "diary"' });
    expect(updates.every((u) => !u.cloneSuspected)).toBe(true);
    expect(updates.at(-1)!.record.signCount).toBeGreaterThan(record.signCount);
  });

  it('works with PIN/UV auth protocol One only (CTAP 2.0 keys)', async () => {
    const { key, record } = await setup({ pinUvAuthProtocols: [1] });
    const { hk } = hardwareKey([key], () => [record]);
    const s = salt();
    const r = await hk.deriveSecret({ salt: s, allowCredentials: [{ credentialId: record.credentialId }], reason: 'r' });
    const credRandom = key.authenticator.credRandom(idBytes(record.credentialId), false)!;
    expect(hex(r.secret)).toBe(createHmac('sha256', credRandom).update(s).digest('hex'));
  });

  it('two different authenticators give different secrets for the same salt', async () => {
    const one = await setup();
    const two = await setup();
    const s = salt();
    const r1 = await hardwareKey([one.key], () => [one.record]).hk.deriveSecret({
      salt: s,
      allowCredentials: [{ credentialId: one.record.credentialId }],
      reason: 'r',
    });
    const r2 = await hardwareKey([two.key], () => [two.record]).hk.deriveSecret({
      salt: s,
      allowCredentials: [{ credentialId: two.record.credentialId }],
      reason: 'r',
    });
    expect(hex(r1.secret)).not.toBe(hex(r2.secret));
  });

  it('a plugged-in key that does not hold the credential → TOKEN_MISMATCH', async () => {
    const enrolled = await setup();
    const stranger = createSoftKey();
    const { hk } = hardwareKey([stranger], () => [enrolled.record]);
    await expect(
      hk.deriveSecret({ salt: salt(), allowCredentials: [{ credentialId: enrolled.record.credentialId }], reason: 'r' }),
    ).rejects.toMatchObject({
      code: 'TOKEN_MISMATCH',
    });
  });

  it('with a stranger and the right key plugged in, picks the right one', async () => {
    const enrolled = await setup();
    const stranger = createSoftKey();
    const { hk } = hardwareKey([stranger, enrolled.key], () => [enrolled.record]);
    const r = await hk.deriveSecret({ salt: salt(), allowCredentials: [{ credentialId: enrolled.record.credentialId }], reason: 'r' });
    expect(r.credentialId).toBe(enrolled.record.credentialId);
  });

  it('no device → TOKEN_REQUIRED', async () => {
    const { record } = await setup();
    const hk = new Fido2HardwareKey({ transport: new SoftHidTransport([]), records: () => [record] });
    await expect(
      hk.deriveSecret({ salt: salt(), allowCredentials: [{ credentialId: record.credentialId }], reason: 'r' }),
    ).rejects.toMatchObject({
      code: 'TOKEN_REQUIRED',
    });
  });

  it('says "insert your key" and proceeds once the key is plugged in', async () => {
    const { key, record } = await setup();
    key.device.plugged = false;
    const statuses: Fido2Status[] = [];
    const hk = new Fido2HardwareKey({
      transport: transportFor(key),
      records: () => [record],
      insertTimeoutMs: 30_000,
      devicePollMs: 5,
      onStatus: (s) => {
        statuses.push(s);
        if (s.kind === 'insert-key') key.device.plugged = true;
      },
    });
    const r = await hk.deriveSecret({ salt: salt(), allowCredentials: [{ credentialId: record.credentialId }], reason: 'recall' });
    expect(r.secret).toHaveLength(32);
    expect(statuses[0]).toEqual({ kind: 'insert-key', reason: 'recall' });
  });

  it('rejects bad input: salt length and unknown credentials', async () => {
    const { key, record } = await setup();
    const { hk } = hardwareKey([key], () => [record]);
    await expect(
      hk.deriveSecret({ salt: new Uint8Array(16), allowCredentials: [{ credentialId: record.credentialId }], reason: 'r' }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(hk.deriveSecret({ salt: salt(), allowCredentials: [{ credentialId: 'AAAA' }], reason: 'r' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(hk.enrolledCredentials()).toEqual([{ credentialId: record.credentialId }]);
  });

  it('abort while waiting for the touch cancels on the device', async () => {
    const { key, record } = await setup();
    key.authenticator.userPresence = 'manual';
    const controller = new AbortController();
    const { hk } = hardwareKey([key], () => [record], {
      onStatus: (s) => {
        if (s.kind === 'touch-key') controller.abort();
      },
    });
    await expect(
      hk.deriveSecret({ salt: salt(), allowCredentials: [{ credentialId: record.credentialId }], reason: 'r', signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'FIDO2_ERROR', details: { reason: 'cancelled' } });
    expect(key.device.openHandles).toBe(0);
  });

  it('reports a counter regression through onRecordUpdate', async () => {
    const { key, record } = await setup();
    const { hk, updates } = hardwareKey([key], () => [{ ...record, signCount: 1000 }]);
    await hk.deriveSecret({ salt: salt(), allowCredentials: [{ credentialId: record.credentialId }], reason: 'r' });
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ cloneSuspected: true, record: { signCount: 1000, cloneSuspected: true } });
  });
});

describe('Fido2HardwareKey with a PIN-protected key', () => {
  const PIN = '246810';

  it('correct PIN: UV secret equals HMAC(CredRandomWithUV, salt)', async () => {
    const { key, record } = await setup({ pin: PIN }, PIN);
    expect(record.userVerification).toBe(true);
    const { hk, statuses } = hardwareKey([key], () => [record], { pin: async () => PIN });
    const s = salt();
    const r = await hk.deriveSecret({ salt: s, allowCredentials: [{ credentialId: record.credentialId }], reason: 'r' });
    const withUv = key.authenticator.credRandom(idBytes(record.credentialId), true)!;
    expect(hex(r.secret)).toBe(createHmac('sha256', withUv).update(s).digest('hex'));
    expect(statuses.map((x) => x.kind)).toEqual(expect.arrayContaining(['enter-pin', 'touch-key']));
  });

  it('wrong PIN reports the retries left', async () => {
    const { key, record } = await setup({ pin: PIN }, PIN);
    const { hk } = hardwareKey([key], () => [record], { pin: async () => '0000' });
    await expect(
      hk.deriveSecret({ salt: salt(), allowCredentials: [{ credentialId: record.credentialId }], reason: 'r' }),
    ).rejects.toMatchObject({
      code: 'FIDO2_ERROR',
      details: { reason: 'pin-invalid', pinRetries: 7 },
    });
    expect(key.authenticator.clientPin.retries).toBe(7);
  });

  it('no PIN prompt for a UV-enrolled key → clear pin-required error', async () => {
    const { key, record } = await setup({ pin: PIN }, PIN);
    const { hk } = hardwareKey([key], () => [record]);
    await expect(
      hk.deriveSecret({ salt: salt(), allowCredentials: [{ credentialId: record.credentialId }], reason: 'r' }),
    ).rejects.toMatchObject({
      code: 'FIDO2_ERROR',
      details: { reason: 'pin-required' },
    });
  });

  it('enrolling a PIN-protected key without the PIN is refused with pin-required', async () => {
    const key = createSoftKey({ pin: PIN });
    await expect(enrollSoftKey(key, { name: 'k' })).rejects.toMatchObject({ code: 'FIDO2_ERROR', details: { reason: 'pin-required' } });
  });

  it('declining the PIN prompt cancels', async () => {
    const { key, record } = await setup({ pin: PIN }, PIN);
    const { hk } = hardwareKey([key], () => [record], { pin: async () => undefined });
    await expect(
      hk.deriveSecret({ salt: salt(), allowCredentials: [{ credentialId: record.credentialId }], reason: 'r' }),
    ).rejects.toMatchObject({
      details: { reason: 'cancelled' },
    });
  });
});
