// Record protection for the owner channel after an OPAQUE login.
// Invariant: after login every frame in each direction is AES-256-GCM under a key of its own
// (HKDF from the OPAQUE session key) with the frame counter as nonce, so a relay between client
// and server can neither read frames nor inject, replay, drop-and-continue or reorder them: the
// receiver only accepts the next counter and tears the channel down on the first bad frame.
// Hand-written on node:crypto because this is ~60 lines of standard construction (HKDF +
// AES-GCM with an implicit sequence number, as in TLS 1.3 records) over a transport we already
// frame ourselves; a TLS/Noise library would bring its own handshake, which OPAQUE replaces.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { hkdfKey, zeroize } from '../../core/crypto/keys.js';

const SALT = Buffer.from('memory-vault owner channel v1', 'utf8');
const TAG_BYTES = 16;
type Direction = 'client->server' | 'server->client';

/** A frame that fails to open: the channel is finished (the caller closes the connection). */
export class SealedFrameRejected extends Error {
  override readonly name = 'SealedFrameRejected';
}

function nonce(counter: number): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(BigInt(counter), 4);
  return n;
}

export class SealedChannel {
  private sendCounter = 0;
  private recvCounter = 0;
  private broken = false;

  private constructor(
    private readonly sendKey: Buffer,
    private readonly recvKey: Buffer,
    private readonly sendLabel: Buffer,
    private readonly recvLabel: Buffer,
  ) {}

  /** Keys for one side, from OPAQUE's session key (base64url, as the library returns it). */
  static fromSessionKey(sessionKey: string, side: 'client' | 'server'): SealedChannel {
    const ikm = Buffer.from(sessionKey, 'base64url');
    try {
      const c2s: Direction = 'client->server';
      const s2c: Direction = 'server->client';
      const keyC2s = hkdfKey(ikm, SALT, `key ${c2s}`);
      const keyS2c = hkdfKey(ikm, SALT, `key ${s2c}`);
      return side === 'client'
        ? new SealedChannel(keyC2s, keyS2c, Buffer.from(c2s), Buffer.from(s2c))
        : new SealedChannel(keyS2c, keyC2s, Buffer.from(s2c), Buffer.from(c2s));
    } finally {
      zeroize(ikm);
    }
  }

  /** One frame: base64url(ciphertext ‖ tag), no newline. */
  seal(plaintext: string): string {
    if (this.broken) throw new SealedFrameRejected('The owner channel is closed.');
    if (this.sendCounter >= Number.MAX_SAFE_INTEGER) throw new SealedFrameRejected('The owner channel used up its nonces.');
    const c = createCipheriv('aes-256-gcm', this.sendKey, nonce(this.sendCounter++));
    c.setAAD(this.sendLabel);
    const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final(), c.getAuthTag()]);
    return body.toString('base64url');
  }

  /** Open the next frame in order; throws SealedFrameRejected (and stays broken) otherwise. */
  open(frame: string): string {
    if (this.broken) throw new SealedFrameRejected('The owner channel is closed.');
    const body = Buffer.from(frame, 'base64url');
    if (body.length < TAG_BYTES || body.toString('base64url') !== frame) return this.reject();
    try {
      const d = createDecipheriv('aes-256-gcm', this.recvKey, nonce(this.recvCounter));
      d.setAAD(this.recvLabel);
      d.setAuthTag(body.subarray(body.length - TAG_BYTES));
      const out = Buffer.concat([d.update(body.subarray(0, body.length - TAG_BYTES)), d.final()]).toString('utf8');
      this.recvCounter++;
      return out;
    } catch {
      return this.reject();
    }
  }

  dispose(): void {
    this.broken = true;
    zeroize(this.sendKey, this.recvKey);
  }

  private reject(): never {
    this.dispose();
    throw new SealedFrameRejected('An owner-channel frame failed authentication.');
  }
}
