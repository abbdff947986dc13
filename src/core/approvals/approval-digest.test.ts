import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { APPROVAL_DIGEST_PATTERN, approvalDigest, digestMatches, type ApprovalDigestInput } from './approval-digest.js';

const base: ApprovalDigestInput = {
  requestId: '6f1c2f4e-1d2a-4c8e-9a55-0b7e3c1d2e3f',
  requester: { id: 'agent-1' },
  memory: { id: '0b9d5f0a-3c3e-4d5a-8f21-6a7b8c9d0e1f' },
  level: 3,
  justification: 'deploy the release',
  expiresAt: 1_700_000_120_000,
};

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('approvalDigest', () => {
  it('is SHA-256 over the domain, a NUL and the RFC 8785 form of the shown fields', () => {
    // Written out by hand: keys in UTF-16 order, no whitespace, the justification as its SHA-256.
    const jcs =
      `{"expiresAt":1700000120000,"justificationSha256":"${sha('deploy the release')}","level":3,` +
      `"memoryId":"0b9d5f0a-3c3e-4d5a-8f21-6a7b8c9d0e1f","requestId":"6f1c2f4e-1d2a-4c8e-9a55-0b7e3c1d2e3f","requesterId":"agent-1"}`;
    expect(approvalDigest(base)).toBe(sha(`memory-vault/approval-digest/v1\u0000${jcs}`));
    expect(approvalDigest(base)).toMatch(APPROVAL_DIGEST_PATTERN);
  });

  it('ignores fields outside the binding (state, display names) but not any bound field', () => {
    const withExtras = { ...base, state: 'approved', requester: { id: 'agent-1', name: 'other name' } };
    expect(approvalDigest(withExtras)).toBe(approvalDigest(base));
    const variants: ApprovalDigestInput[] = [
      { ...base, requestId: '6f1c2f4e-1d2a-4c8e-9a55-0b7e3c1d2e40' },
      { ...base, requester: { id: 'agent-2' } },
      { ...base, memory: { id: '0b9d5f0a-3c3e-4d5a-8f21-6a7b8c9d0e20' } },
      { ...base, level: 4 },
      { ...base, justification: 'deploy the release ' },
      { ...base, expiresAt: base.expiresAt + 1 },
    ];
    const digests = new Set([approvalDigest(base), ...variants.map(approvalDigest)]);
    expect(digests.size).toBe(variants.length + 1);
  });

  it('matches only its own well-formed digest', () => {
    const d = approvalDigest(base);
    expect(digestMatches(base, d)).toBe(true);
    expect(digestMatches(base, d.toUpperCase())).toBe(false);
    expect(digestMatches(base, d.slice(0, 63))).toBe(false);
    expect(digestMatches(base, '')).toBe(false);
    expect(digestMatches({ ...base, level: 2 }, d)).toBe(false);
  });
});
