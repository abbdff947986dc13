import { describe, expect, it } from 'vitest';
import { CtapHidChannel } from './ctaphid-channel.js';
import { Ctap2Client } from './ctap2-client.js';
import { createSoftKey } from '../../../tests/support/fido2/soft-key.js';

const pattern = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 13 + 1) & 0xff);
const fido2 = (reason: string, extra: Record<string, unknown> = {}): unknown =>
  expect.objectContaining({ code: 'FIDO2_ERROR', details: expect.objectContaining({ reason, ...extra }) });

describe('CtapHidChannel over the soft device', () => {
  it('INIT allocates a fresh channel per open and reports CBOR capability', async () => {
    const key = createSoftKey();
    const a = await CtapHidChannel.open(key.device.open());
    const b = await CtapHidChannel.open(key.device.open());
    expect(a.cid).not.toBe(b.cid);
    expect(a.info.protocolVersion).toBe(2);
    expect(a.info.capabilities & 0x04).toBe(0x04);
  });

  it.each([0, 57, 58, 7609])('PING echoes %i bytes across continuation packets', async (size) => {
    const key = createSoftKey();
    const ch = await CtapHidChannel.open(key.device.open());
    const before = key.device.sent.length;
    const data = pattern(size);
    expect(await ch.ping(data)).toEqual(data);
    // The device's own (independent) framing sent the documented number of reports.
    const expected = size <= 57 ? 1 : 1 + Math.ceil((size - 57) / 59);
    expect(key.device.sent.length - before).toBe(expected);
  });

  it('reports keepalive statuses while the key waits for a touch, then completes', async () => {
    const key = createSoftKey();
    key.authenticator.userPresence = 'manual';
    const client = new Ctap2Client(await CtapHidChannel.open(key.device.open()));
    const seen: number[] = [];
    const info = await client.getInfo();
    const pending = client.makeCredential(
      {
        clientDataHash: new Uint8Array(32),
        rp: { id: 'memory-vault.local' },
        user: { id: new Uint8Array([1]) },
        algorithms: [-7],
      },
      {
        onKeepalive: (s) => {
          seen.push(s);
          if (s === 2) key.authenticator.touch();
        },
      },
    );
    const res = await pending;
    expect(info.versions).toContain('FIDO_2_1');
    expect(res.fmt).toBe('packed');
    expect(seen).toContain(2);
  });

  it('a second channel gets CHANNEL_BUSY while the first is mid-transaction, then succeeds once free', async () => {
    const key = createSoftKey();
    key.authenticator.userPresence = 'manual';
    const first = new Ctap2Client(await CtapHidChannel.open(key.device.open()));
    const noRetry = await CtapHidChannel.open(key.device.open(), { busyRetries: 0 });
    const patient = await CtapHidChannel.open(key.device.open(), { busyRetries: 1000, busyRetryDelayMs: 5 });
    let upNeeded!: () => void;
    const waiting = new Promise<void>((r) => (upNeeded = r));
    const long = first.makeCredential(
      { clientDataHash: new Uint8Array(32), rp: { id: 'memory-vault.local' }, user: { id: new Uint8Array([1]) }, algorithms: [-7] },
      { onKeepalive: (s) => s === 2 && upNeeded() },
    );
    await waiting;
    await expect(noRetry.ping(pattern(3))).rejects.toEqual(fido2('busy', { ctaphidError: 0x06 }));
    const retried = patient.ping(pattern(3));
    key.authenticator.touch();
    await long;
    expect(await retried).toEqual(pattern(3));
  });

  it('aborting sends CTAPHID_CANCEL and rejects with a cancelled error', async () => {
    const key = createSoftKey();
    key.authenticator.userPresence = 'manual';
    const channel = await CtapHidChannel.open(key.device.open());
    const client = new Ctap2Client(channel);
    const controller = new AbortController();
    const pending = client.makeCredential(
      { clientDataHash: new Uint8Array(32), rp: { id: 'memory-vault.local' }, user: { id: new Uint8Array([1]) }, algorithms: [-7] },
      { signal: controller.signal, onKeepalive: (s) => s === 2 && controller.abort() },
    );
    await expect(pending).rejects.toEqual(fido2('cancelled'));
    // A CANCEL init packet (CMD 0x91, BCNT 0) went out on our channel.
    const cancels = key.device.received.filter((r) => r[4] === 0x91 && r[5] === 0 && r[6] === 0);
    expect(cancels.map((r) => Buffer.from(r.subarray(0, 4)).readUInt32BE(0))).toEqual([channel.cid]);
    expect(key.authenticator.credentialCount).toBe(0);
    // The channel is usable again afterwards.
    expect(await channel.ping(pattern(5))).toEqual(pattern(5));
  });

  it('an already-aborted signal never touches the device', async () => {
    const key = createSoftKey();
    const channel = await CtapHidChannel.open(key.device.open());
    const before = key.device.sent.length;
    await expect(channel.ping(pattern(1), { signal: AbortSignal.abort() })).rejects.toEqual(fido2('cancelled'));
    expect(key.device.sent.length).toBe(before);
  });

  it('times out when the device goes silent', async () => {
    const key = createSoftKey();
    const channel = await CtapHidChannel.open(key.device.open(), { idleTimeoutMs: 100 });
    key.device.faults.silent = true;
    await expect(channel.ping(pattern(4))).rejects.toEqual(fido2('timeout'));
  });

  it('times out when a response loses its continuation packets', async () => {
    const key = createSoftKey();
    const channel = await CtapHidChannel.open(key.device.open(), { idleTimeoutMs: 100 });
    key.device.faults.dropContinuation = true;
    await expect(channel.ping(pattern(300))).rejects.toEqual(fido2('timeout'));
  });

  it('turns a bad SEQ and a short report into framing errors', async () => {
    const key = createSoftKey();
    const channel = await CtapHidChannel.open(key.device.open());
    key.device.faults.badSeq = true;
    await expect(channel.ping(pattern(300))).rejects.toEqual(fido2('frame', { frameError: 'BAD_SEQ' }));
    const again = await CtapHidChannel.open(key.device.open());
    key.device.faults.shortReport = true;
    await expect(again.ping(pattern(10))).rejects.toEqual(fido2('frame', { frameError: 'BAD_REPORT_SIZE' }));
  });

  it('surfaces CTAPHID_ERROR codes', async () => {
    const key = createSoftKey();
    const channel = await CtapHidChannel.open(key.device.open());
    key.device.faults.ctaphidError = 0x7f;
    await expect(channel.ping(pattern(2))).rejects.toEqual(fido2('ctaphid', { ctaphidError: 0x7f }));
  });

  it('rejects a message larger than CTAPHID can carry before writing anything', async () => {
    const key = createSoftKey();
    const channel = await CtapHidChannel.open(key.device.open());
    await expect(channel.ping(new Uint8Array(7610))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
