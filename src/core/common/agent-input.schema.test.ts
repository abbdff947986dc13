import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { agentExpiryDaysSchema, agentNameSchema, agentNamespacesSchema, agentTokenSchema } from './agent-input.schema.js';
import {
  approvalDigestSchema,
  grantMinutesSchema,
  lockdownReasonSchema,
  waitMsSchema,
  waitSecondsSchema,
} from './approval-input.schema.js';

const ok = (schema: z.ZodType, v: unknown) => schema.safeParse(v).success;

describe('agent input limits, at exactly the boundary values', () => {
  it('name: 64 characters accepted, 65 refused; only letters, digits, _ . -', () => {
    expect([ok(agentNameSchema, 'a'.repeat(64)), ok(agentNameSchema, 'a'.repeat(65)), ok(agentNameSchema, '')]).toEqual([
      true,
      false,
      false,
    ]);
    expect(['Research_Bot', 'infra-bot.2', 'bad name', 'bot\u001b', 'bot\u202e'].map((v) => ok(agentNameSchema, v))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('property: every name of the allowed alphabet round-trips', () => {
    const name = fc.stringMatching(/^[\w.-]{1,64}$/);
    fc.assert(fc.property(name, (n) => agentNameSchema.parse(n) === n));
  });

  it('namespaces: 1 and 64 accepted; empty, 65 and duplicates refused', () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `ns${i}`);
    expect([0, 1, 64, 65].map((n) => ok(agentNamespacesSchema, list(n)))).toEqual([false, true, true, false]);
    expect(ok(agentNamespacesSchema, ['a', 'a'])).toBe(false);
  });

  it('expiry: 1 and 3650 days accepted, 0 and 3651 refused', () => {
    expect([0, 1, 3650, 3651].map((n) => ok(agentExpiryDaysSchema, n))).toEqual([false, true, true, false]);
  });

  it('token: mvt_ and 43 base64url characters, nothing else', () => {
    expect([
      ok(agentTokenSchema, `mvt_${'A'.repeat(43)}`),
      ok(agentTokenSchema, `mvt_${'A'.repeat(42)}`),
      ok(agentTokenSchema, `mvt_${'A'.repeat(44)}`),
    ]).toEqual([true, false, false]);
  });
});

describe('approval input limits, at exactly the boundary values', () => {
  it('grant minutes: 0 and 60 accepted, -1 and 61 refused', () => {
    expect([-1, 0, 60, 61].map((n) => ok(grantMinutesSchema, n))).toEqual([false, true, true, false]);
  });

  it('wait: 300 000 ms and 300 s accepted, one more refused (the same bound in both units)', () => {
    expect([0, 300_000, 300_001].map((n) => ok(waitMsSchema, n))).toEqual([true, true, false]);
    expect([0, 300, 301].map((n) => ok(waitSecondsSchema, n))).toEqual([true, true, false]);
  });

  it('lockdown reason: 500 characters accepted, 501 refused', () => {
    expect([ok(lockdownReasonSchema, 'r'.repeat(500)), ok(lockdownReasonSchema, 'r'.repeat(501))]).toEqual([true, false]);
  });

  it('property: a lower-case hex SHA-256 round-trips; upper case or a wrong length is refused', () => {
    const digest = fc.stringMatching(/^[0-9a-f]{64}$/);
    fc.assert(fc.property(digest, (d) => approvalDigestSchema.parse(d) === d));
    expect([ok(approvalDigestSchema, 'A'.repeat(64)), ok(approvalDigestSchema, 'a'.repeat(63))]).toEqual([false, false]);
  });
});
