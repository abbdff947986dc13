import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isLevel, levelName, LEVEL_NAMES } from './level.js';
import { levelSchema, parseLevel } from './level.schema.js';

describe('levelSchema: the one parser to Level', () => {
  it('property: every integer 0..5 round-trips unchanged', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 5 }), (n) => levelSchema.parse(n) === n && isLevel(n)));
  });

  it('property: every other number is refused, at the edges and beyond', () => {
    const outside = fc.oneof(
      fc.integer({ max: -1 }),
      fc.integer({ min: 6 }),
      fc.double({ noInteger: true }),
      fc.constantFrom(Number.NaN, Infinity, -Infinity, -0.5, 5.000001),
    );
    fc.assert(fc.property(outside, (n) => !levelSchema.safeParse(n).success && !isLevel(n)));
  });

  it('refuses what is not a number (a numeric string, a boolean, null)', () => {
    for (const v of ['1', true, null, undefined, [1], { level: 1 }]) expect(levelSchema.safeParse(v).success).toBe(false);
    expect(() => parseLevel('3')).toThrow();
  });

  it('exact boundary values: -1 and 6 refused, 0 and 5 accepted', () => {
    expect([-1, 0, 5, 6].map((n) => levelSchema.safeParse(n).success)).toEqual([false, true, true, false]);
  });

  it('becomes a JSON Schema enum of the six levels (what an MCP client sees)', () => {
    expect(z.toJSONSchema(levelSchema)).toMatchObject({ enum: [0, 1, 2, 3, 4, 5] });
  });

  it('names the six levels and prints unknown numbers instead of failing', () => {
    expect(LEVEL_NAMES).toHaveLength(6);
    expect(levelName(3)).toBe('Sealed');
    expect(levelName(9)).toBe('Level 9');
  });
});
