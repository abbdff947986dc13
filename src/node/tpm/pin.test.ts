import { describe, expect, it } from 'vitest';
import { pinAuthArg } from './pin.js';

describe('pinAuthArg', () => {
  it('hex-encodes the NFC UTF-8 bytes so no PIN can look like an auth prefix', () => {
    expect(pinAuthArg('1234')).toBe('hex:31323334');
    expect(pinAuthArg('file:-')).toBe(`hex:${Buffer.from('file:-').toString('hex')}`);
    expect(pinAuthArg('e\u0301')).toBe(pinAuthArg('\u00e9'));
  });
  it.each(['', 'x'.repeat(33), 'a\u0000b'])('rejects %j', (bad) => {
    expect(() => pinAuthArg(bad)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }) as Error);
  });
});
