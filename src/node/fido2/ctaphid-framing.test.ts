import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CtapHidFrameError, MAX_MESSAGE_SIZE, MessageAssembler, encodeMessage, parsePacket } from './ctaphid-framing.js';
import { fuzzRuns } from '../../../tests/support/fuzz.js';

const CID = 0x01020304;
const pattern = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);

describe('CTAPHID framing (CTAP 2.1 §11.2.4)', () => {
  it('the largest message is 7609 bytes', () => {
    expect(MAX_MESSAGE_SIZE).toBe(7609);
  });

  it.each([
    [0, 1],
    [57, 1],
    [58, 2],
    [57 + 59, 2],
    [57 + 59 + 1, 3],
    [7609, 129],
  ])('splits %i bytes into %i reports with the documented layout', (size, count) => {
    const payload = pattern(size);
    const reports = encodeMessage(CID, 0x90, payload);
    expect(reports).toHaveLength(count);
    const first = reports[0]!;
    expect(first).toHaveLength(64);
    // CID big-endian, CMD with bit 7 set, BCNT big-endian.
    expect([...first.subarray(0, 7)]).toEqual([1, 2, 3, 4, 0x90, size >> 8, size & 0xff]);
    // Reassemble by hand from the documented offsets: 57 data bytes, then 59 per continuation.
    const rebuilt: number[] = [...first.subarray(7, 7 + Math.min(57, size))];
    reports.slice(1).forEach((r, seq) => {
      expect(r).toHaveLength(64);
      expect([...r.subarray(0, 5)]).toEqual([1, 2, 3, 4, seq]);
      rebuilt.push(...r.subarray(5, 5 + Math.min(59, size - rebuilt.length)));
    });
    expect(rebuilt).toEqual([...payload]);
    // Padding after the payload is zero.
    const last = reports[reports.length - 1]!;
    const used = count === 1 ? 7 + size : 5 + (size - 57 - (count - 2) * 59);
    expect([...last.subarray(used)].every((b) => b === 0)).toBe(true);
  });

  it('refuses a payload larger than 7609 bytes', () => {
    expect(() => encodeMessage(CID, 0x90, new Uint8Array(7610))).toThrow(CtapHidFrameError);
  });

  it.each([0, 57, 58, 7609])('reassembles %i bytes', (size) => {
    const payload = pattern(size);
    const asm = new MessageAssembler(CID);
    const reports = encodeMessage(CID, 0x90, payload);
    const results = reports.map((r) => asm.push(r));
    expect(results.slice(0, -1).every((r) => r === undefined)).toBe(true);
    expect(results.at(-1)).toEqual({ cid: CID, cmd: 0x90, payload });
  });

  it('ignores reports for other channels', () => {
    const asm = new MessageAssembler(CID);
    const other = encodeMessage(0x0a0b0c0d, 0x90, pattern(10))[0]!;
    expect(asm.push(other)).toBeUndefined();
    expect(asm.pending).toBe(false);
  });

  it('reports a sequence gap as BAD_SEQ', () => {
    const asm = new MessageAssembler(CID);
    const reports = encodeMessage(CID, 0x90, pattern(200));
    asm.push(reports[0]!);
    const bad = Uint8Array.from(reports[1]!);
    bad[4] = 3;
    expect(() => asm.push(bad)).toThrow(expect.objectContaining({ code: 'BAD_SEQ' }));
  });

  it('reports a continuation without an init packet', () => {
    const asm = new MessageAssembler(CID);
    expect(() => asm.push(encodeMessage(CID, 0x90, pattern(100))[1]!)).toThrow(
      expect.objectContaining({ code: 'UNEXPECTED_CONTINUATION' }),
    );
  });

  it('rejects reports that are not 64 bytes and BCNT above the maximum', () => {
    expect(() => parsePacket(new Uint8Array(20))).toThrow(expect.objectContaining({ code: 'BAD_REPORT_SIZE' }));
    const r = new Uint8Array(64);
    r[4] = 0x90;
    r[5] = 0xff;
    r[6] = 0xff;
    expect(() => parsePacket(r)).toThrow(expect.objectContaining({ code: 'BAD_LENGTH' }));
  });

  it('fuzz: random report streams only ever raise CtapHidFrameError and always terminate', () => {
    const report = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 70 }),
      fc.uint8Array({ minLength: 64, maxLength: 64 }),
      // Mostly-valid reports on our channel so the assembler gets deep into messages.
      fc
        .tuple(
          fc.boolean(),
          fc.integer({ min: 0, max: 0x7f }),
          fc.integer({ min: 0, max: 8000 }),
          fc.uint8Array({ minLength: 57, maxLength: 57 }),
        )
        .map(([init, seq, len, data]) => {
          const r = new Uint8Array(64);
          r.set([1, 2, 3, 4]);
          if (init) {
            r[4] = 0x80 | seq;
            r[5] = len >> 8;
            r[6] = len & 0xff;
            r.set(data, 7);
          } else {
            r[4] = seq;
            r.set(data, 5);
          }
          return r;
        }),
    );
    fc.assert(
      fc.property(fc.array(report, { maxLength: 200 }), (reports) => {
        const asm = new MessageAssembler(CID);
        for (const r of reports) {
          try {
            const m = asm.push(r);
            if (m) expect(m.payload.length).toBeLessThanOrEqual(MAX_MESSAGE_SIZE);
          } catch (e) {
            if (!(e instanceof CtapHidFrameError)) throw e;
          }
        }
      }),
      { numRuns: fuzzRuns(500) },
    );
  });
});
