import { describe, expect, it } from 'vitest';
import type { SealedBlob } from '../../core/ports/key-sealer.port.js';
import { decodeTpm2Blob, encodeTpm2Blob } from './sealed-blob.js';

const good = encodeTpm2Blob({ pub: Buffer.from([1, 2, 3]), priv: Buffer.from([4, 5, 6, 7]), pcrs: 'sha256:0,7,23', pinRequired: true });
const withFields = (fields: Record<string, string>): SealedBlob => ({ kind: 'tpm2', fields: { ...good.fields, ...fields } });

describe('sealed TPM blob codec', () => {
  it('round-trips', () => {
    expect(good.fields).toEqual({ pub: 'AQID', priv: 'BAUGBw==', pcrs: 'sha256:0,7,23', pinRequired: 'true' });
    const d = decodeTpm2Blob(good);
    expect([...d.pub]).toEqual([1, 2, 3]);
    expect(d.pinRequired).toBe(true);
  });
  it.each([
    ['wrong kind', { ...good, kind: 'fido2' }],
    ['non-canonical pcrs', withFields({ pcrs: 'sha256:23,0' })],
    ['argv injection in pcrs', withFields({ pcrs: 'sha256:23 -o /tmp/x' })],
    ['bad base64', withFields({ pub: 'not base64!' })],
    ['empty priv', withFields({ priv: '' })],
    ['bad flag', withFields({ pinRequired: 'yes' })],
  ])('rejects %s', (_name, blob) => {
    expect(() => decodeTpm2Blob(blob as SealedBlob)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }) as Error);
  });
});
