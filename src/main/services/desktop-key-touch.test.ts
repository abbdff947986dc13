// The window's security-key step over the real CTAP2/HID driver and the soft authenticator
// behind the HID-device interface: touch, timeout (CTAPHID CANCEL sent), Cancel, Retry, the
// wrong key, and PIN entry with a wrong PIN first.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isVaultError } from '../../core/errors.js';
import { Fido2HardwareKey } from '../../node/fido2/fido2-hardware-key.js';
import type { Fido2KeyRecord } from '../../node/fido2/key-lifecycle.js';
import type { TouchAttemptDto } from '../../shared/key-touch.contract.js';
import { createSoftKey, enrollSoftKey, transportFor, type SoftKey } from '../../../tests/support/fido2/soft-key.js';
import { KeyTouchFlow, touchContextFor, type KeyTouchOptions } from './desktop-key-touch.js';

const CTAPHID_CANCEL = 0x91;
const CTAPHID_KEEPALIVE = 0xbb;
const KEEPALIVE_UPNEEDED = 2;

function cancelsSent(key: SoftKey): number {
  return key.device.received.filter((r) => r[4] === CTAPHID_CANCEL).length;
}

/** Until the key has sent KEEPALIVE with status UPNEEDED: the request is in flight, waiting for a touch. */
async function upNeeded(key: SoftKey, after = 0): Promise<void> {
  const asking = (r: Uint8Array): boolean => r[4] === CTAPHID_KEEPALIVE && r[7] === KEEPALIVE_UPNEEDED;
  while (!key.device.sent.slice(after).some(asking)) await new Promise((r) => setTimeout(r, 5));
}

/** The owner touches the key once it asks (a touch before the key asks is not one). */
async function touchWhenAsked(key: SoftKey, after = 0): Promise<void> {
  await upNeeded(key, after);
  key.authenticator.touch();
}

async function setup(opts: { plugged?: SoftKey[]; pin?: string; flow?: KeyTouchOptions } = {}) {
  const key = createSoftKey(opts.pin ? { pin: opts.pin } : {});
  const record: Fido2KeyRecord = await enrollSoftKey(key, { name: 'Blue key', ...(opts.pin ? { pin: opts.pin } : {}) });
  key.authenticator.userPresence = 'manual';
  const flow = new KeyTouchFlow({ touchTimeoutMs: 5_000, retryWindowMs: 5_000, keepEndedMs: 50, ...opts.flow });
  const states: TouchAttemptDto[] = [];
  flow.onStatus((a) => states.push(a));
  const binding = flow.binding({ transport: transportFor(...(opts.plugged ?? [key])), insertTimeoutMs: 0 });
  const port = flow.wrap(new Fido2HardwareKey({ ...binding, records: () => [record] }));
  const derive = () =>
    port.deriveSecret({
      salt: new Uint8Array(randomBytes(32)),
      allowCredentials: [{ credentialId: record.credentialId }],
      reason: 'Recall of "plan"',
    });
  /** Resolves with the first attempt state matching `state`. */
  const reach = (state: TouchAttemptDto['state']): Promise<TouchAttemptDto> =>
    new Promise((resolve) => {
      const seen = states.find((s) => s.state === state);
      if (seen) return resolve(seen);
      const off = flow.onStatus((a) => {
        if (a.state !== state) return;
        off();
        resolve(a);
      });
    });
  return { key, flow, states, derive, reach };
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isVaultError(e)) throw new Error('expected a VaultError');
  return { code: e.code, message: e.message };
}

describe('KeyTouchFlow (desktop level-5 step)', () => {
  it('asks for a touch (keepalive UPNEEDED), then succeeds once the key is touched; the approval context is attached', async () => {
    const { key, flow, derive, reach, states } = await setup();
    flow.expect(touchContextFor('agent-recall', 'Research Bot', { shortId: 'abc123', level: 5, title: 'plan' }, false), 'plan');
    const pending = derive();
    const touch = await reach('touch-key');
    expect(touch).toMatchObject({
      purpose: 'agent-recall',
      requester: 'Research Bot',
      memory: { shortId: 'abc123', level: 5, title: null },
    });
    expect(touch.deadline).toBeGreaterThan(Date.now());
    await touchWhenAsked(key);
    const result = await pending;
    expect(result.secret).toHaveLength(32);
    expect(states.at(-1)?.state).toBe('succeeded');
    expect(cancelsSent(key)).toBe(0);
  });

  it('times out when nobody touches: CTAPHID CANCEL is sent, Retry is offered, Close refuses with TOKEN_REQUIRED', async () => {
    const { key, flow, derive, reach } = await setup({ flow: { touchTimeoutMs: 300 } });
    const pending = derive();
    const timedOut = await reach('timed-out');
    expect(timedOut.canRetry).toBe(true);
    expect(timedOut.error?.message).toMatch(/not touched within/);
    expect(cancelsSent(key)).toBe(1);
    flow.dismiss(timedOut.attemptId);
    expect(await failure(pending)).toMatchObject({ code: 'TOKEN_REQUIRED' });
  });

  it('Retry after a timeout asks again, and a touch then succeeds', async () => {
    const { key, flow, derive, reach, states } = await setup({ flow: { touchTimeoutMs: 300 } });
    const pending = derive();
    const timedOut = await reach('timed-out');
    const mark = key.device.sent.length;
    flow.retry(timedOut.attemptId);
    await touchWhenAsked(key, mark);
    await expect(pending).resolves.toMatchObject({ secret: expect.any(Uint8Array) });
    expect(states.at(-1)?.state).toBe('succeeded');
  });

  it("the owner's Cancel sends CTAPHID CANCEL and ends the step without Retry", async () => {
    const { key, flow, derive, reach } = await setup();
    const pending = derive();
    const touch = await reach('touch-key');
    await upNeeded(key);
    flow.cancel(touch.attemptId);
    expect(await failure(pending)).toMatchObject({ code: 'TOKEN_REQUIRED' });
    const ended = flow.current().find((a) => a.attemptId === touch.attemptId);
    expect(ended).toMatchObject({ state: 'cancelled', canRetry: false });
    expect(cancelsSent(key)).toBe(1);
  });

  it('a key that is not the enrolled one: TOKEN_MISMATCH shown, Retry offered, Close refuses with TOKEN_MISMATCH', async () => {
    const stranger = createSoftKey();
    const { flow, derive, reach } = await setup({ plugged: [stranger] });
    const pending = derive();
    const failed = await reach('failed');
    expect(failed.error).toMatchObject({ code: 'TOKEN_MISMATCH' });
    expect(failed.canRetry).toBe(true);
    flow.dismiss(failed.attemptId);
    expect(await failure(pending)).toMatchObject({ code: 'TOKEN_MISMATCH' });
  });

  it('a key with a PIN: asks for it, a wrong PIN says how many tries are left, Retry with the right one succeeds', async () => {
    const { key, flow, derive, reach, states } = await setup({ pin: '4821' });
    const pending = derive();
    const asking = await reach('enter-pin');
    expect(asking.keyName).toBe('Blue key');
    flow.submitPin(asking.attemptId, '0000');
    const wrong = await reach('failed');
    expect(wrong.error?.message).toMatch(/Wrong PIN: \d+ attempt/);
    expect(wrong.pinRetries).toBeGreaterThan(0);
    flow.retry(wrong.attemptId);
    await new Promise<void>((resolve) => {
      const off = flow.onStatus((a) => {
        if (a.state === 'enter-pin') {
          off();
          resolve();
        }
      });
    });
    const mark = key.device.sent.length;
    flow.submitPin(asking.attemptId, '4821');
    await touchWhenAsked(key, mark);
    await expect(pending).resolves.toMatchObject({ secret: expect.any(Uint8Array) });
    expect(states.at(-1)?.state).toBe('succeeded');
  });

  it('lock ends a waiting step at once', async () => {
    const { flow, derive, reach } = await setup();
    const pending = derive();
    await reach('touch-key');
    flow.endAll();
    expect(await failure(pending)).toMatchObject({ code: 'TOKEN_REQUIRED' });
  });
});
