import { describe, expect, it } from 'vitest';
import { deriveTitle } from './derive-title.js';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('deriveTitle', () => {
  it('takes the first text line of level 0–2 content, cleaned and shortened', () => {
    expect(deriveTitle(b('\n\n  Meeting notes  \nsecond line'), 1, undefined)).toBe('Meeting notes');
    expect(deriveTitle(b('a\u202Eb\u0007c\tstill'), 0, undefined)).toBe('a b c still');
    const long = deriveTitle(b('x'.repeat(300)), 2, undefined);
    expect(Array.from(long)).toHaveLength(80);
    expect(long.endsWith('…')).toBe(true);
  });

  it('never uses level 3+ content: the file name, else INVALID_INPUT', () => {
    expect(deriveTitle(b('db password hunter2'), 3, '/tmp/prod-db.txt')).toBe('prod-db.txt');
    expect(() => deriveTitle(b('db password hunter2'), 4, undefined)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    try {
      deriveTitle(b('hunter2'), 5, undefined);
    } catch (e) {
      expect(String(e)).not.toContain('hunter2');
    }
  });

  it('binary content falls back to the file name', () => {
    expect(deriveTitle(Buffer.from([0xff, 0xfe, 0x00, 0x81]), 1, 'blob.bin')).toBe('blob.bin');
    expect(() => deriveTitle(Buffer.from([0xff, 0xfe]), 1, undefined)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
