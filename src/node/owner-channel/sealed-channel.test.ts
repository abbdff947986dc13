import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SealedChannel, SealedFrameRejected } from './sealed-channel.js';

const pair = () => {
  const key = randomBytes(64).toString('base64url');
  return { client: SealedChannel.fromSessionKey(key, 'client'), server: SealedChannel.fromSessionKey(key, 'server') };
};

describe('sealed owner channel', () => {
  it('carries frames both ways, in order', () => {
    const { client, server } = pair();
    expect(server.open(client.seal('one'))).toBe('one');
    expect(server.open(client.seal('two'))).toBe('two');
    expect(client.open(server.seal('reply'))).toBe('reply');
  });

  it('hides the plaintext and uses a different key per direction', () => {
    const { client, server } = pair();
    const frame = client.seal('approvals.decide secret-request-id');
    expect(Buffer.from(frame, 'base64url').toString('utf8')).not.toContain('approvals');
    // A client frame reflected back to the client does not open (keys differ by direction).
    expect(() => client.open(frame)).toThrow(SealedFrameRejected);
    expect(server.open(frame)).toContain('approvals');
  });

  it('rejects a replayed frame, and the channel stays closed after', () => {
    const { client, server } = pair();
    const f = client.seal('decide');
    expect(server.open(f)).toBe('decide');
    expect(() => server.open(f)).toThrow(SealedFrameRejected);
    expect(() => server.open(client.seal('next'))).toThrow(SealedFrameRejected);
  });

  it('rejects reordered, tampered, truncated and foreign frames', () => {
    const a = pair();
    const f0 = a.client.seal('first');
    const f1 = a.client.seal('second');
    expect(() => a.server.open(f1)).toThrow(SealedFrameRejected);
    void f0;
    const b = pair();
    const g = Buffer.from(b.client.seal('x'), 'base64url');
    g[0] = (g[0] ?? 0) ^ 1;
    expect(() => b.server.open(g.toString('base64url'))).toThrow(SealedFrameRejected);
    const c = pair();
    expect(() => c.server.open('AAAA')).toThrow(SealedFrameRejected);
    const d = pair();
    const other = pair();
    expect(() => d.server.open(other.client.seal('x'))).toThrow(SealedFrameRejected);
    const e = pair();
    expect(() => e.server.open('{"jsonrpc":"2.0","id":1,"method":"approvals.decide"}')).toThrow(SealedFrameRejected);
  });
});
