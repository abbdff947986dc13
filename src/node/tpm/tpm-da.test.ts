import { describe, expect, it } from 'vitest';
import { parseDaState } from './tpm-da.js';

const sample = (counter: string, lock: string) =>
  `TPM2_PT_PERMANENT:\n  ownerAuthSet:              0\n  lockoutAuthSet:            0\n  inLockout:                 ${lock}\n` +
  `TPM2_PT_LOCKOUT_COUNTER: ${counter}\nTPM2_PT_MAX_AUTH_FAIL: 0x3\nTPM2_PT_LOCKOUT_INTERVAL: 0x3E8\n`;

describe('parseDaState', () => {
  it('computes retries left', () => {
    expect(parseDaState(sample('0x1', '0'))).toEqual({ lockoutCounter: 1, maxAuthFail: 3, inLockout: false, retriesLeft: 2 });
    expect(parseDaState(sample('0x3', '1'))?.retriesLeft).toBe(0);
    expect(parseDaState('garbage')).toBeUndefined();
  });
});
