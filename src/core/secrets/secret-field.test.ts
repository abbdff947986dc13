import { describe, expect, it } from 'vitest';
import { isVaultError } from '../errors.js';
import { selectSecretField } from './secret-field.js';

const content = Buffer.from(
  JSON.stringify({ db: { password: 'pw-1234', port: 5432, tls: true, hosts: ['a', 'b'] }, 'a.b': 'dotted', users: [{ pw: 'u0' }] }),
);
const code = (path: string[], c: Buffer = content) => {
  try {
    return selectSecretField(c, path).toString();
  } catch (e) {
    return isVaultError(e) ? e.code : 'THROWN';
  }
};

describe('selectSecretField', () => {
  it('selects scalars by key and array index', () => {
    expect(code(['db', 'password'])).toBe('pw-1234');
    expect(code(['db', 'port'])).toBe('5432');
    expect(code(['db', 'tls'])).toBe('true');
    expect(code(['db', 'hosts', '1'])).toBe('b');
    expect(code(['users', '0', 'pw'])).toBe('u0');
    expect(code(['a.b'])).toBe('dotted');
  });

  it('refuses missing fields, objects, arrays, inherited keys and non-JSON content with INVALID_INPUT', () => {
    for (const p of [['db', 'user'], ['db'], ['db', 'hosts'], ['users', '01'], ['users', '5'], ['constructor'], ['db', '__proto__']])
      expect(code(p)).toBe('INVALID_INPUT');
    expect(code(['x'], Buffer.from('not json'))).toBe('INVALID_INPUT');
  });
});
