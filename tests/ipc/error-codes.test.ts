// The bridge's error-code union is a copy (shared may not import core); it must not drift.
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/core/errors.js';
import { IPC_ERROR_CODES, ipcErrorCodeSchema } from '../../src/shared/errors.contract.js';

describe('shared IPC error codes', () => {
  it('equal the core ERROR_CODES, in order', () => {
    expect([...IPC_ERROR_CODES]).toEqual([...ERROR_CODES]);
  });

  it('refuse a code core does not define', () => {
    expect(ipcErrorCodeSchema.safeParse('TOTALLY_FINE').success).toBe(false);
    expect(ipcErrorCodeSchema.safeParse('APPROVAL_DENIED').success).toBe(true);
  });
});
