// The framer alone, against a naive reference (split the whole stream on "\n"): any way the
// stream is cut into chunks yields the same frames, and a line over the limit always throws
// FrameTooLarge without the framer ever holding more than the limit.
import fc from 'fast-check';
import { chunksAt } from '../../../tests/support/byte-chunks.js';
import { describe, expect, it } from 'vitest';
import { FrameTooLarge, LineFramer } from './line-framer.js';

const line = fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b.filter((x) => x !== 0x0a)));

describe('LineFramer', () => {
  it('any split of a stream of lines yields the frames of the naive split', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 30 }), (lines, cuts) => {
        const stream = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]));
        const framer = new LineFramer(64);
        const frames = chunksAt(stream, cuts).flatMap((c) => framer.push(c));
        expect(frames.map((f) => f.toString('hex'))).toEqual(lines.map((l) => l.toString('hex')));
        expect(framer.buffered).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('a line over the limit throws FrameTooLarge however it is split, and never holds more than the limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (max, extra, cuts) => {
          const framer = new LineFramer(max);
          const stream = Buffer.concat([Buffer.alloc(max + extra, 0x61), Buffer.from('\n')]);
          let thrown = false;
          for (const c of chunksAt(stream, cuts)) {
            try {
              framer.push(c);
            } catch (e) {
              expect(e).toBeInstanceOf(FrameTooLarge);
              thrown = true;
              break;
            }
            expect(framer.buffered).toBeLessThanOrEqual(max);
          }
          expect(thrown).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
