import { describe, expect, it } from 'vitest';
import { docSizeTotal } from './sqlite-vault-repository.js';

describe('docSizeTotal (FTS5 docsize: one SQLite varint per column)', () => {
  it('sums one-byte and multi-byte varints', () => {
    expect(docSizeTotal(Buffer.from([3, 0, 5, 7]))).toBe(15);
    // 200 = 0x81 0x48 and 16,384 = 0x81 0x80 0x00 (big-endian 7-bit groups, high bit = more).
    expect(docSizeTotal(Buffer.from([0x81, 0x48, 2]))).toBe(202);
    expect(docSizeTotal(Buffer.from([0x81, 0x80, 0x00, 1]))).toBe(16_385);
    expect(docSizeTotal(Buffer.alloc(0))).toBe(0);
  });
});
