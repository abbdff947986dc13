import { describe, expect, it } from 'vitest';
import { isVaultError } from '../errors.js';
import { parseInjectTemplate, renderInjectTemplate } from './inject-template.js';
import { SecretValue } from './secret-value.js';

const ID = '3fa2c1d0-1111-4222-8333-444455556666';
const codeOf = (f: () => unknown) => {
  try {
    f();
    return 'OK';
  } catch (e) {
    return isVaultError(e) ? e.code : 'THROWN';
  }
};

describe('inject templates', () => {
  it('finds each distinct reference and renders values in place, text byte for byte', () => {
    const t = parseInjectTemplate(
      `A={{ mv://ops/${ID}#pw }}\nB={{mv://ops/${ID}#pw}} {{ mv://ops/by-title/api%20key }}\n{ not a placeholder }`,
    );
    expect(t.refs).toEqual([`mv://ops/${ID}#pw`, 'mv://ops/by-title/api%20key']);
    const values = new Map([
      [`mv://ops/${ID}#pw`, SecretValue.of(Buffer.from('s3cret'))],
      ['mv://ops/by-title/api%20key', SecretValue.of(Buffer.from('k-123'))],
    ]);
    expect(renderInjectTemplate(t, values).toString()).toBe('A=s3cret\nB=s3cret k-123\n{ not a placeholder }');
  });

  it('refuses a malformed or unterminated placeholder before anything is resolved', () => {
    expect(codeOf(() => parseInjectTemplate('X={{ mv://ops/by-title/a b }}'))).toBe('INVALID_INPUT');
    expect(codeOf(() => parseInjectTemplate(`X={{ mv://ops/${ID}`))).toBe('INVALID_INPUT');
    expect(codeOf(() => parseInjectTemplate('X={{ mv://ops/XYZ }}'))).toBe('INVALID_INPUT');
  });

  it('refuses to render a reference without a value', () => {
    const t = parseInjectTemplate(`{{ mv://ops/${ID} }}`);
    expect(codeOf(() => renderInjectTemplate(t, new Map()))).toBe('INTERNAL');
  });
});
