import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  agentIdSchema,
  agentRefSchema,
  approvalRequestIdSchema,
  grantIdSchema,
  MAX_REF_CHARS,
  memoryIdSchema,
  memoryRefSchema,
  parseMemoryId,
} from './ids.schema.js';

const fullIdSchemas = { memoryIdSchema, agentIdSchema, approvalRequestIdSchema, grantIdSchema };

describe('branded ids: created only by parsing', () => {
  it.each(Object.entries(fullIdSchemas))('property: %s accepts every v4 UUID and returns it unchanged', (_name, schema) => {
    fc.assert(fc.property(fc.uuid({ version: 4 }), (id) => schema.parse(id) === id));
  });

  it.each(Object.entries(fullIdSchemas))(
    '%s refuses a short id, a path, an empty string, a UUID with a stray character',
    (_name, schema) => {
      for (const v of [
        '0b9f3c9e',
        '../../etc/passwd',
        '',
        '0b9f3c9e-5f0e-4c55-9d2f-5a3c0f1e2d3c ',
        '0b9f3c9e-5f0e-4c55-9d2f-5a3c0f1e2d3cc',
        42,
        null,
      ]) {
        expect(schema.safeParse(v).success).toBe(false);
      }
    },
  );

  it('property: parseMemoryId is undefined exactly when memoryIdSchema refuses', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uuid({ version: 4 }), fc.string({ maxLength: 40 })),
        (s) => (parseMemoryId(s) === undefined) === !memoryIdSchema.safeParse(s).success,
      ),
    );
  });
});

describe('references (full id or prefix / name): length limits at exactly the boundary', () => {
  it.each([
    ['memoryRefSchema', memoryRefSchema],
    ['agentRefSchema', agentRefSchema],
  ])('%s: 1 and 64 characters accepted, 0 and 65 refused', (_name, schema) => {
    expect(MAX_REF_CHARS).toBe(64);
    expect(['', 'a', 'a'.repeat(64), 'a'.repeat(65)].map((v) => schema.safeParse(v).success)).toEqual([false, true, true, false]);
  });

  it('property: any well-formed string of 1..64 characters round-trips; a lone surrogate is refused', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 64 }), (s) => memoryRefSchema.parse(s) === s));
    expect(memoryRefSchema.safeParse('ab\ud800').success).toBe(false);
  });
});
