import { describe, expect, it } from 'vitest';
import { canonicalPcrSelection, DEFAULT_PCR_SELECTION } from './pcr-selection.js';

describe('PCR selection', () => {
  it('canonicalizes (sorted, de-duplicated, multi-bank)', () => {
    expect(canonicalPcrSelection('sha256:7,0,7,23')).toBe('sha256:0,7,23');
    expect(canonicalPcrSelection('sha256:0+sha1:7')).toBe('sha256:0+sha1:7');
    expect(canonicalPcrSelection(DEFAULT_PCR_SELECTION)).toBe('sha256:0,2,4,7');
  });
  it.each(['', 'sha256', 'sha256:', 'sha256:24', 'md5:1', 'sha256:1 -Q', 'sha256:1,,2', '-o /tmp/x', 'sha256:1+sha256:2'])(
    'rejects %j with INVALID_INPUT',
    (bad) => {
      expect(() => canonicalPcrSelection(bad)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }) as Error);
    },
  );
});
