import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isVaultError } from '../errors.js';
import { commandDigest, COMMAND_DIGEST_DOMAIN, purposeIsConsistent, usePurpose, usePurposeSchema } from './use-purpose.js';

describe('command digest and use purpose', () => {
  it('is SHA-256 over the domain, a NUL and the RFC 8785 JSON of argv and cwd (written out here)', () => {
    const expected = createHash('sha256').update(`${COMMAND_DIGEST_DOMAIN}\u0000{"argv":["psql","-h","db"],"cwd":"/srv"}`).digest('hex');
    expect(commandDigest({ commandLine: ['psql', '-h', 'db'], cwd: '/srv' })).toBe(expected);
  });

  it('separates argument boundaries, order and directory', () => {
    const d = (argv: string[], cwd = '/srv') => commandDigest({ commandLine: argv, cwd });
    const all = [d(['a b']), d(['a', 'b']), d(['b', 'a']), d(['a', 'b'], '/other'), d(['ab'])];
    expect(new Set(all).size).toBe(all.length);
  });

  it('builds a consistent purpose and refuses malformed command lines', () => {
    const p = usePurpose(['curl', 'https://x.invalid'], '/tmp');
    expect(p).toEqual({
      kind: 'use',
      commandLine: ['curl', 'https://x.invalid'],
      cwd: '/tmp',
      commandDigest: commandDigest({ commandLine: ['curl', 'https://x.invalid'], cwd: '/tmp' }),
    });
    expect(purposeIsConsistent(p)).toBe(true);
    expect(purposeIsConsistent({ ...p, commandLine: ['sh'] })).toBe(false);
    for (const [argv, cwd] of [
      [[], '/tmp'],
      [[''], '/tmp'],
      [['a\u0000b'], '/tmp'],
      [['ls'], 'relative/dir'],
    ] as const) {
      let code = 'OK';
      try {
        usePurpose(argv, cwd);
      } catch (e) {
        code = isVaultError(e) ? e.code : 'THROWN';
      }
      expect(code).toBe('INVALID_INPUT');
    }
  });

  it("the DTO schema refuses unknown keys and a digest that is not the command line's", () => {
    const p = usePurpose(['ls'], '/');
    expect(usePurposeSchema.safeParse(p).success).toBe(true);
    expect(usePurposeSchema.safeParse({ ...p, extra: 1 }).success).toBe(false);
    expect(usePurposeSchema.safeParse({ ...p, commandDigest: '0'.repeat(64) }).success).toBe(false);
  });
});
