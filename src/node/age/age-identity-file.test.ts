import * as age from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { parseAgeIdentities, resolveAgeRecipient } from './age-identity-file.js';

const A = 'AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQS3EGFKC';

describe('age identity files', () => {
  it('reads the age-keygen layout: comments, blank lines, several identities', async () => {
    const b = await age.generateX25519Identity();
    const text = `# created: 2026-12-01T00:00:00Z\n# public key: age1…\n${A}\n\n${b}\r\n`;
    expect(parseAgeIdentities(text)).toEqual([A, b]);
  });

  it('refuses a file with no identity, a plugin identity and junk with INVALID_INPUT, never echoing the line', () => {
    expect(() => parseAgeIdentities('# only a comment\n')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseAgeIdentities('AGE-PLUGIN-YUBIKEY-1ABC\n')).toThrow(/plugin/);
    try {
      parseAgeIdentities(`${A}\nAGE-SECRET-KEY-1TOOSHORT\n`);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'INVALID_INPUT' });
      expect(String(e)).toContain('Line 2');
      expect(String(e)).not.toContain('TOOSHORT');
    }
  });

  it('resolves a recipient string or a recipients file holding exactly one', async () => {
    const r = await age.identityToRecipient(await age.generateX25519Identity());
    const files: Record<string, string> = { one: `# heir\n${r}\n`, two: `${r}\n${r}\n`, ssh: 'ssh-ed25519 AAAA…\n' };
    const read = (p: string): string => files[p] ?? '';
    expect(resolveAgeRecipient(r, read)).toBe(r);
    expect(resolveAgeRecipient('one', read)).toBe(r);
    expect(() => resolveAgeRecipient('two', read)).toThrow(/exactly one/);
    expect(() => resolveAgeRecipient('ssh', read)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => resolveAgeRecipient('age1nope', read)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
